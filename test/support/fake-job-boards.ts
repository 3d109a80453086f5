// A fake job-board server speaking the documented public APIs:
//   Greenhouse  GET /v1/boards/{board}/jobs?content=true&pay_transparency=true
//   Lever       GET /v0/postings/{site}?mode=json
//   Ashby       GET /posting-api/job-board/{board}?includeCompensation=true
// Each board answers with its jobs, or misbehaves as told: 404, 429 (with
// Retry-After) before succeeding, 500, or an answer slower than the client's
// timeout. Every request is recorded (path, time, User-Agent).
import { startLocalServer } from './local-server.ts';

type Behaviour = { kind: 'ok' } | { kind: '404' } | { kind: '500' } | { kind: 'slow'; ms: number } | { kind: '429-then-ok'; times: number; retryAfter: string };

interface Board {
  jobs: unknown[];
  behaviour?: Behaviour;
}

interface RecordedRequest {
  path: string;
  at: number;
  userAgent: string | undefined;
  status: number;
}

export interface FakeJobBoards {
  url: string;
  /** Boards by "greenhouse:acme" / "lever:site" / "ashby:board"; change them between crawls. */
  boards: Map<string, Board>;
  requests: RecordedRequest[];
  /** Per board, the most requests it was answering at one time. */
  maxInFlight: Map<string, number>;
  close(): Promise<void>;
}

const ROUTES: [RegExp, string][] = [
  [/^\/v1\/boards\/([^/]+)\/jobs$/, 'greenhouse'],
  [/^\/v0\/postings\/([^/]+)$/, 'lever'],
  [/^\/posting-api\/job-board\/([^/]+)$/, 'ashby'],
];

export async function startFakeJobBoards(): Promise<FakeJobBoards> {
  const boards = new Map<string, Board>();
  const requests: RecordedRequest[] = [];
  const served429 = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const server = await startLocalServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const at = Date.now();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ path: u.pathname + u.search, at, userAgent: req.headers['user-agent'], status });
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(text);
    };
    const route = ROUTES.find(([re]) => re.test(u.pathname));
    if (!route || req.method !== 'GET') return send(404, { error: 'not found' });
    const key = `${route[1]}:${decodeURIComponent(route[0].exec(u.pathname)![1]!)}`;
    const board = boards.get(key);
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, inFlight.get(key)!));
    res.on('close', () => inFlight.set(key, inFlight.get(key)! - 1));
    // Each API's own 404 for an unknown board.
    if (!board || board.behaviour?.kind === '404') {
      return route[1] === 'lever' ? send(404, { ok: false, error: 'Document not found' }) : send(404, { status: 404, error: 'Job board not found' });
    }
    const ok = () => send(200, route[1] === 'lever' ? board.jobs : route[1] === 'greenhouse' ? { jobs: board.jobs, meta: { total: board.jobs.length } } : { apiVersion: '1', jobs: board.jobs });
    const b = board.behaviour ?? { kind: 'ok' };
    switch (b.kind) {
      case '500':
        return send(500, 'Internal Server Error');
      case 'slow': {
        // Recorded on arrival (status 0): the client gives up before the answer.
        requests.push({ path: u.pathname + u.search, at, userAgent: req.headers['user-agent'], status: 0 });
        const t = setTimeout(() => res.writableEnded || res.destroyed || ok(), b.ms);
        res.on('close', () => clearTimeout(t));
        return;
      }
      case '429-then-ok': {
        const n = served429.get(key) ?? 0;
        if (n < b.times) {
          served429.set(key, n + 1);
          return send(429, { error: 'Too Many Requests' }, { 'retry-after': b.retryAfter });
        }
        return ok();
      }
      default:
        return ok();
    }
  });
  return { url: server.url, boards, requests, maxInFlight, close: server.close };
}

// ---- documented job shapes ---------------------------------------------------

/** Greenhouse escapes the markup of `content` (&lt;p&gt;...), entities inside it twice (&amp;amp;). */
function greenhouseEscape(html: string): string {
  return html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function greenhouseJob(j: { id: number; title: string; location: string; html: string; pay?: { min: number; max: number; currency?: string; title?: string }[]; updated?: string }) {
  return {
    id: j.id,
    internal_job_id: j.id * 10,
    title: j.title,
    updated_at: j.updated ?? '2026-11-20T10:20:30-05:00',
    requisition_id: `R-${j.id}`,
    location: { name: j.location },
    absolute_url: `https://boards.greenhouse.io/acme/jobs/${j.id}`,
    language: 'en',
    metadata: null,
    content: greenhouseEscape(j.html),
    departments: [{ id: 1, name: 'AI', child_ids: [], parent_id: null }],
    offices: [{ id: 2, name: j.location, location: j.location, child_ids: [], parent_id: null }],
    pay_input_ranges: (j.pay ?? []).map((p) => ({
      min_cents: p.min * 100,
      max_cents: p.max * 100,
      currency_type: p.currency ?? 'USD',
      title: p.title ?? 'Zone 1',
      blurb: '<p>Pay varies by location.</p>',
    })),
  };
}

export function leverPosting(j: {
  id: string;
  text: string;
  location: string;
  workplaceType?: 'remote' | 'hybrid' | 'on-site' | 'unspecified';
  salary?: { min: number; max: number; currency?: string; interval: string };
  descriptionPlain?: string;
  additionalPlain?: string;
  lists?: { text: string; content: string }[];
}) {
  return {
    id: j.id,
    text: j.text,
    categories: { commitment: 'Full-time', department: 'Engineering', location: j.location, team: 'AI', allLocations: [j.location] },
    country: 'US',
    createdAt: Date.parse('2026-11-18T12:00:00Z'),
    descriptionPlain: j.descriptionPlain ?? 'We build AI products.',
    description: `<div>${j.descriptionPlain ?? 'We build AI products.'}</div>`,
    lists: j.lists ?? [{ text: 'What you will do', content: '<li>Ship models with PyTorch</li><li>Work with Kubernetes</li>' }],
    additional: j.additionalPlain ? `<div>${j.additionalPlain}</div>` : '',
    additionalPlain: j.additionalPlain ?? '',
    hostedUrl: `https://jobs.lever.co/site/${j.id}`,
    applyUrl: `https://jobs.lever.co/site/${j.id}/apply`,
    workplaceType: j.workplaceType ?? 'unspecified',
    ...(j.salary ? { salaryRange: { currency: j.salary.currency ?? 'USD', interval: j.salary.interval, min: j.salary.min, max: j.salary.max } } : {}),
  };
}

export type AshbyComponent = { compensationType: 'Salary' | 'EquityPercentage' | 'EquityCashValue' | 'Bonus' | 'Commission'; interval: string; currencyCode: string | null; minValue: number | null; maxValue: number | null };

export function ashbyJob(j: { id: string; title: string; location: string; isRemote?: boolean; workplaceType?: string; plain: string; tiers?: AshbyComponent[][] }) {
  const tiers = j.tiers ?? [];
  return {
    id: j.id,
    title: j.title,
    department: 'Engineering',
    team: 'AI',
    employmentType: 'FullTime',
    location: j.location,
    secondaryLocations: [],
    isRemote: j.isRemote ?? false,
    workplaceType: j.workplaceType ?? (j.isRemote ? 'Remote' : 'OnSite'),
    publishedAt: '2026-11-17T09:00:00.000+00:00',
    isListed: true,
    jobUrl: `https://jobs.ashbyhq.com/board/${j.id}`,
    applyUrl: `https://jobs.ashbyhq.com/board/${j.id}/application`,
    descriptionHtml: `<p>${j.plain}</p>`,
    descriptionPlain: j.plain,
    ...(tiers.length
      ? {
          compensation: {
            compensationTierSummary: 'See tiers',
            scrapeableCompensationSalarySummary: null,
            compensationTiers: tiers.map((components, i) => ({ id: `t${i}`, tierSummary: `Tier ${i + 1}`, title: `Tier ${i + 1}`, components: components.map((c, k) => ({ id: `c${k}`, summary: '', ...c })) })),
            summaryComponents: tiers[0],
          },
        }
      : {}),
  };
}

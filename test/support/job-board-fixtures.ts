// The boards the crawl tests serve from the fake job-board server: every
// documented shape the connectors read (nested HTML-escaped content, several
// pay zones, hourly and monthly pay, equity components, no pay, remote flags)
// and every misbehaviour (404, 429 then success, 500, a slow answer).
import { ashbyJob, greenhouseJob, leverPosting, type FakeJobBoards } from './fake-job-boards.ts';

export const GREENHOUSE_JOBS = [
  greenhouseJob({
    id: 101,
    title: 'Senior Machine Learning Engineer',
    location: 'San Francisco, CA',
    html: '<div class="content-intro"><p>At Acme &amp; friends we train <strong>LLMs</strong>.</p></div><div><h3>What you&#39;ll do</h3><ul><li>Train models with <em>PyTorch</em></li><li>Run them on Kubernetes</li></ul></div>',
    pay: [
      { min: 180_000, max: 240_000, title: 'Zone 1 (SF, NYC)' },
      { min: 150_000, max: 200_000, title: 'Zone 2' },
    ],
  }),
  greenhouseJob({
    id: 102,
    title: 'Data Scientist',
    location: 'Remote - US',
    html: '<div><p>Work with Python and SQL.</p><div class="pay"><p>The base salary range for this role is $130,000&nbsp;&mdash;&nbsp;$160,000 USD.</p></div></div>',
  }),
  greenhouseJob({
    id: 103,
    title: 'AI Research Intern',
    location: 'New York, NY',
    html: '<p>Summer internship.</p>',
    pay: [{ min: 50, max: 70, title: 'Hourly pay' }],
  }),
  greenhouseJob({ id: 104, title: 'Prompt Engineer', location: 'New York, NY', html: '<p>We raised $300M in our Series C. Write prompts for Claude.</p>' }),
];

export const LEVER_JOBS = [
  leverPosting({ id: 'a1b2c3d4-0001', text: 'Staff ML Engineer', location: 'Remote', workplaceType: 'remote', salary: { min: 200_000, max: 260_000, interval: 'per-year-salary' } }),
  leverPosting({ id: 'a1b2c3d4-0002', text: 'Machine Learning Engineer', location: 'Austin, TX', workplaceType: 'on-site', salary: { min: 10_000, max: 12_000, interval: 'per-month-salary' } }),
  leverPosting({ id: 'a1b2c3d4-0003', text: 'Data Engineer', location: 'Chicago, IL', workplaceType: 'hybrid', additionalPlain: 'Pay range: $50 - $70 per hour, plus a $2,000 learning stipend.' }),
];

const ASHBY_JOBS = [
  ashbyJob({
    id: 'ash-1',
    title: 'Senior AI Engineer',
    location: 'Remote (US)',
    isRemote: true,
    plain: 'Build agents with LangChain and Python.',
    tiers: [
      [
        { compensationType: 'Salary', interval: '1 YEAR', currencyCode: 'USD', minValue: 180_000, maxValue: 220_000 },
        { compensationType: 'EquityPercentage', interval: 'NONE', currencyCode: null, minValue: 0.1, maxValue: 0.5 },
        { compensationType: 'Bonus', interval: '1 YEAR', currencyCode: 'USD', minValue: 10_000, maxValue: 20_000 },
      ],
      [{ compensationType: 'Salary', interval: '1 YEAR', currencyCode: 'USD', minValue: 170_000, maxValue: 200_000 }],
    ],
  }),
  ashbyJob({
    id: 'ash-2',
    title: 'Research Scientist',
    location: 'Seattle, WA',
    plain: 'Research on reinforcement learning.',
    tiers: [[{ compensationType: 'Salary', interval: '1 HOUR', currencyCode: 'USD', minValue: 60, maxValue: 80 }]],
  }),
  ashbyJob({
    id: 'ash-3',
    title: 'MLOps Engineer',
    location: 'Berlin, Germany',
    workplaceType: 'Hybrid',
    plain: 'Keep our training clusters running. Equity: generous.',
    tiers: [[{ compensationType: 'EquityCashValue', interval: '1 YEAR', currencyCode: 'USD', minValue: 50_000, maxValue: 100_000 }]],
  }),
];

/** Serves the three good boards and the four bad ones; answers the sources to add. */
export function serveBoards(fake: FakeJobBoards, opts: { slowMs: number }) {
  fake.boards.set('greenhouse:acme', { jobs: GREENHOUSE_JOBS });
  fake.boards.set('lever:leverco', { jobs: LEVER_JOBS });
  fake.boards.set('ashby:ashco', { jobs: ASHBY_JOBS });
  fake.boards.set('greenhouse:gone', { jobs: [], behaviour: { kind: '404' } });
  fake.boards.set('lever:busy', { jobs: [LEVER_JOBS[0]], behaviour: { kind: '429-then-ok', times: 1, retryAfter: '1' } });
  fake.boards.set('ashby:broken', { jobs: [], behaviour: { kind: '500' } });
  fake.boards.set('greenhouse:slow', { jobs: GREENHOUSE_JOBS, behaviour: { kind: 'slow', ms: opts.slowMs } });
  return [
    { kind: 'greenhouse', board: 'acme', company: 'Acme AI' },
    { kind: 'lever', board: 'leverco', company: 'Lever Co' },
    { kind: 'ashby', board: 'ashco' },
    { kind: 'greenhouse', board: 'gone' },
    { kind: 'lever', board: 'busy', company: 'Busy Inc' },
    { kind: 'ashby', board: 'broken' },
    { kind: 'greenhouse', board: 'slow' },
  ].map((s) => ({ ...s, baseUrl: fake.url }));
}

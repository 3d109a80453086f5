// Render an issue: build the MJML for one segment (the set of roles a reader
// follows) from templates/, compile it ONCE, and keep the HTML and the text
// part as static pieces with per-recipient slots between them. Filling a
// recipient is then plain string concatenation (fillRecipient), hundreds of
// times faster than compiling per recipient (test/bench/personalise.ts).
import { roleBySlug } from '../roles/catalog.ts';
import type { IssueContent } from './content.ts';
import { digestMjml, type HrefFor, type BuildMode } from './mjml-build.ts';
import { SLOT_CLOSE, SLOT_OPEN, slot, escapeHtml, loadTemplates, type TemplateValue } from './template.ts';
import { digestText } from './text.ts';
import { emailSafe } from './email-safe.ts';
import { FEED_ALTERNATES } from '../ui/feed-links.ts';

export interface RenderOptions {
  /** Absolute site URL without a trailing slash, e.g. https://digest.example. */
  publicUrl: string;
  postalAddress: string;
  templatesDir?: string;
}

/** The followed roles as a segment: tracked roles only, each once, sorted. */
function segmentOf(roles: readonly string[] | null | undefined): string[] {
  return [...new Set((roles ?? []).filter((r) => roleBySlug(r) !== undefined))].sort();
}

/** Static text with slots: `statics.length === slots.length + 1`. */
interface Pieces {
  statics: string[];
  /** 0 unsubscribe URL, 1 preferences URL, 2 tracked link (id in `linkIds`). */
  kinds: number[];
  linkIds: string[];
}

export interface CompiledDigest {
  issueWeek: string;
  segment: string[];
  subject: string;
  html: Pieces;
  text: Pieces;
  /** MJML warnings at compile time (strict validation throws on errors). */
  warnings: string[];
}

const UNSUBSCRIBE = 'U';
const PREFERENCES = 'P';
const LINK = 'L:';

function splitPieces(s: string, linkSuffix: (linkId: string) => string): Pieces {
  const statics: string[] = [];
  const kinds: number[] = [];
  const linkIds: string[] = [];
  let at = 0;
  for (;;) {
    const open = s.indexOf(SLOT_OPEN, at);
    if (open < 0) break;
    const close = s.indexOf(SLOT_CLOSE, open);
    if (close < 0) throw new Error('unterminated slot in compiled digest');
    statics.push(s.slice(at, open));
    const name = s.slice(open + 1, close);
    if (name === UNSUBSCRIBE) kinds.push(0);
    else if (name === PREFERENCES) kinds.push(1);
    else if (name.startsWith(LINK)) kinds.push(2);
    else throw new Error(`unknown slot ${name}`);
    linkIds.push(name.startsWith(LINK) ? name.slice(LINK.length) : '');
    at = close + 1;
  }
  statics.push(s.slice(at));
  // The link's own part of the URL is the same for every reader: bake it into
  // the static text after the slot, so a recipient only adds their prefix.
  for (let i = 0; i < kinds.length; i++) if (kinds[i] === 2) statics[i + 1] = linkSuffix(linkIds[i]!) + statics[i + 1];
  return { statics, kinds, linkIds };
}

function linkHrefs(content: IssueContent, mode: BuildMode, publicUrl: string): HrefFor {
  const paths = new Map(content.links.map((l) => [l.id, l.path]));
  return (id: string): TemplateValue => {
    const p = paths.get(id);
    if (p === undefined) throw new Error(`issue ${content.week} has no link ${id}`);
    return mode === 'email' ? slot(`${LINK}${id}`) : `${publicUrl}${p}`;
  };
}

/** The MJML source of an issue for a segment; email mode has slots, web mode has plain site links. */
export function buildMjml(content: IssueContent, segment: readonly string[], mode: BuildMode, opts: RenderOptions): string {
  const t = loadTemplates(opts.templatesDir);
  return digestMjml(t, content, segmentOf(segment), mode, {
    href: linkHrefs(content, mode, opts.publicUrl),
    unsubscribe: slot(UNSUBSCRIBE),
    preferences: slot(PREFERENCES),
    publicUrl: opts.publicUrl,
    postalAddress: opts.postalAddress,
  });
}

/** Compile MJML at `strict` validation; throws with MJML's messages when the document is invalid. */
export async function compileMjml(source: string): Promise<{ html: string; warnings: string[] }> {
  // Loaded on first use: MJML takes seconds to load, and the service's start-up (and every CLI command) need not wait for it.
  const { default: mjml2html } = await import('mjml');
  const out = await mjml2html(source, { validationLevel: 'strict', keepComments: false, fonts: {} });
  return { html: emailSafe(out.html), warnings: out.errors.map((e) => e.formattedMessage) };
}

export interface CompileOptions extends RenderOptions {
  /** The fixed tail of each tracked link after the recipient's prefix: links.ts `linkSuffixer(secret, issueId)`. */
  linkSuffix: (linkId: string) => string;
}

/** Compile an issue once for a segment of readers. */
export async function compileSegment(content: IssueContent, segment: readonly string[], opts: CompileOptions): Promise<CompiledDigest> {
  const seg = segmentOf(segment);
  const { html, warnings } = await compileMjml(buildMjml(content, seg, 'email', opts));
  const text = digestText(content, seg, 'email', {
    href: linkHrefs(content, 'email', opts.publicUrl),
    unsubscribe: slot(UNSUBSCRIBE),
    preferences: slot(PREFERENCES),
    publicUrl: opts.publicUrl,
    postalAddress: opts.postalAddress,
  });
  return {
    issueWeek: content.week,
    segment: seg,
    subject: content.subject,
    html: splitPieces(html, (id) => escapeHtml(opts.linkSuffix(id))),
    text: splitPieces(text, opts.linkSuffix),
    warnings,
  };
}

/** The web version ("view in browser", archive): no slots, no personal links, rows in catalog order. */
export async function renderWebVersion(content: IssueContent, opts: RenderOptions): Promise<string> {
  const { html } = await compileMjml(buildMjml(content, [], 'web', opts));
  // As on the site's pages: no favicon request, and the feeds' autodiscovery links.
  const alternates = FEED_ALTERNATES.map((f) => `<link rel="alternate" type="${f.type}" href="${f.href}" title="${escapeHtml(f.title)}">`).join('');
  return html.replace(/<head>/i, `<head><link rel="icon" href="data:,">${alternates}`);
}

export interface RecipientValues {
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** Tracked link URL up to the link's own part: links.ts `clickPrefix(publicUrl, secret, issueId, subscriberId)`. */
  linkPrefix: string;
}

const NEEDS_ESCAPE = /[&<>"'\uE000\uE001]/;
const attr = (s: string) => (NEEDS_ESCAPE.test(s) ? escapeHtml(s) : s);

function join(p: Pieces, unsub: string, prefs: string, prefix: string): string {
  const { statics, kinds } = p;
  let out = statics[0]!;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    out += (k === 2 ? prefix : k === 0 ? unsub : prefs) + statics[i + 1];
  }
  return out;
}

/** One recipient's message from a compiled segment: plain substitution, values escaped for HTML. */
export function fillRecipient(compiled: CompiledDigest, v: RecipientValues): { subject: string; html: string; text: string } {
  return {
    subject: compiled.subject,
    html: join(compiled.html, attr(v.unsubscribeUrl), attr(v.preferencesUrl), attr(v.linkPrefix)),
    text: join(compiled.text, v.unsubscribeUrl, v.preferencesUrl, v.linkPrefix),
  };
}

/** Compiled segments of one issue, compiled on first use. */
export class SegmentCache {
  private readonly map = new Map<string, Promise<CompiledDigest>>();
  constructor(
    readonly content: IssueContent,
    private readonly opts: CompileOptions,
  ) {}
  get(roles: readonly string[] | null | undefined): Promise<CompiledDigest> {
    const seg = segmentOf(roles);
    const key = seg.join(',');
    let hit = this.map.get(key);
    if (!hit) {
      hit = compileSegment(this.content, seg, this.opts);
      hit.catch(() => this.map.delete(key));
      this.map.set(key, hit);
    }
    return hit;
  }
  get size(): number {
    return this.map.size;
  }
}

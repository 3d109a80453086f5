// A very small template fill for the MJML files in templates/: `{{name}}` is
// replaced by the value HTML-escaped, `{{{name}}}` by a value that is already
// markup (built from other filled partials). A name the template uses but the
// caller did not pass is an error, so a typo never ships as literal braces.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Markup that must not be escaped again. */
export class Raw {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new Raw(html);

export type TemplateValue = string | number | Raw;

/**
 * Per-recipient slots are written between these two private-use characters;
 * escapeHtml removes them from data, so text from feeds can never open a slot.
 */
export const SLOT_OPEN = '\uE000';
export const SLOT_CLOSE = '\uE001';
export const slot = (name: string) => raw(`${SLOT_OPEN}${name}${SLOT_CLOSE}`);

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[\uE000\uE001]/g, '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Plain text from data, with slot markers removed (the text part's "escaping"). */
export function plain(s: string): string {
  return s.replace(/[\uE000\uE001]/g, '');
}

const TAG = /\{\{\{\s*([a-zA-Z][\w]*)\s*\}\}\}|\{\{\s*([a-zA-Z][\w]*)\s*\}\}/g;

export function fill(template: string, values: Record<string, TemplateValue>, name = 'template'): string {
  return template.replace(TAG, (_m, rawName: string | undefined, escName: string | undefined) => {
    const key = (rawName ?? escName)!;
    if (!(key in values)) throw new Error(`${name}: no value for {{${key}}}`);
    const v = values[key]!;
    if (v instanceof Raw) return v.html;
    if (rawName !== undefined) throw new Error(`${name}: {{{${key}}}} needs markup, got plain text`);
    return escapeHtml(String(v));
  });
}

export interface Templates {
  digest: string;
  partials: Record<string, string>;
}

const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

const loaded = new Map<string, Templates>();

/** templates/digest.mjml and templates/partials/*, read once per directory. */
export function loadTemplates(dir: string = DEFAULT_TEMPLATES_DIR): Templates {
  const hit = loaded.get(dir);
  if (hit) return hit;
  const partialsDir = path.join(dir, 'partials');
  const partials: Record<string, string> = {};
  for (const f of readdirSync(partialsDir)) {
    const m = /^(.+)\.(mjml|html)$/.exec(f);
    if (m) partials[m[1]!] = readFileSync(path.join(partialsDir, f), 'utf8').trimEnd();
  }
  const t = { digest: readFileSync(path.join(dir, 'digest.mjml'), 'utf8'), partials };
  loaded.set(dir, t);
  return t;
}

export function partial(t: Templates, name: string): string {
  const p = t.partials[name];
  if (p === undefined) throw new Error(`missing template partial templates/partials/${name}`);
  return p;
}

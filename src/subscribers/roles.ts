// Roles a reader follows: slugs from the role catalog, deduplicated, in
// catalog order. Pure.
import { ROLES, roleBySlug } from '../roles/catalog.ts';

export type RolesCheck = { ok: true; roles: string[] } | { ok: false; message: string };

/** Accepts an array of slugs or one string of slugs separated by `,` or `;`. */
export function parseRoles(input: unknown): RolesCheck {
  if (input === undefined || input === null || input === '') return { ok: true, roles: [] };
  const items = Array.isArray(input) ? input : [input];
  const slugs: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') return { ok: false, message: 'Roles must be given as role names like mlops-engineer.' };
    for (const part of item.split(/[;,]/)) {
      const s = part.trim().toLowerCase();
      if (s !== '') slugs.push(s);
    }
  }
  const unknown = slugs.filter((s) => !roleBySlug(s));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map((s) => JSON.stringify(s.slice(0, 40))).join(', ');
    return { ok: false, message: `Unknown role ${shown}. Known roles: ${ROLES.map((r) => r.slug).join(', ')}.` };
  }
  const set = new Set(slugs);
  return { ok: true, roles: ROLES.map((r) => r.slug).filter((s) => set.has(s)) };
}

export function roleNames(slugs: readonly string[]): string[] {
  return slugs.map((s) => roleBySlug(s)?.name ?? s);
}

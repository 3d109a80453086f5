// What one segment of readers sees, shared by the HTML and the text part:
// followed roles' rows first, their comparisons first, and why they get it.
import { roleBySlug } from '../roles/catalog.ts';
import type { ComparisonCard, IssueContent, ShiftRow } from './content.ts';
import { featuredFor } from './featured.ts';
import { weekLabel } from '../stats/figures.ts';
import type { TemplateValue } from './template.ts';

export type BuildMode = 'email' | 'web';
export type HrefFor = (linkId: string) => TemplateValue;

export interface BuildContext {
  href: HrefFor;
  unsubscribe: TemplateValue;
  preferences: TemplateValue;
  publicUrl: string;
  postalAddress: string;
}

export interface SegmentView {
  rows: { row: ShiftRow; followed: boolean }[];
  featured: ComparisonCard[];
  why: string;
}

function names(slugs: readonly string[]): string {
  const n = slugs.map((s) => roleBySlug(s)?.name ?? s);
  return n.length <= 1 ? (n[0] ?? '') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

export function segmentView(content: IssueContent, segment: readonly string[], mode: BuildMode, publicUrl: string): SegmentView {
  const f = new Set(segment);
  const rows = [
    ...content.shifts.filter((r) => f.has(r.role)).map((row) => ({ row, followed: true })),
    ...content.shifts.filter((r) => !f.has(r.role)).map((row) => ({ row, followed: false })),
  ];
  const host = publicUrl.replace(/^https?:\/\//, '');
  const why =
    mode === 'web'
      ? `This is the web version of the weekly Track AI Salary Trends digest for ${weekLabel(content.week)}, as it was sent.`
      : `You receive this weekly digest because you subscribed to Track AI Salary Trends at ${host} and confirmed your address` +
        (segment.length > 0 ? `. You follow ${names(segment)}, so those roles come first.` : '.');
  return { rows, featured: featuredFor(content, segment), why };
}

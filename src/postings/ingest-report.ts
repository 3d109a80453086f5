// A person-readable ingest summary for the CLI. Pure.
import type { IngestSummary } from './ingest.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** Totals on one line, then one line per rejected row ("file:line: reason"). */
export function formatIngestSummary(s: IngestSummary, maxErrorLines = 50): string {
  const lines = [
    `ingest: ${n(s.files)} file${s.files === 1 ? '' : 's'}, ${n(s.read)} rows read, ${n(s.stored)} stored ` +
      `(${n(s.inserted)} new, ${n(s.updated)} already known${s.unchanged > 0 ? `, ${n(s.unchanged)} of them unchanged` : ''}), ` +
      `${n(s.rejected)} rejected`,
  ];
  const shown = s.errors.slice(0, maxErrorLines);
  for (const e of shown) lines.push(`  ${e.file}:${e.line}: ${e.reason}`);
  const more = s.rejected - shown.length;
  if (more > 0) lines.push(`  ... and ${n(more)} more rejected row${more === 1 ? '' : 's'}`);
  if (s.payDropped > 0) {
    lines.push(`${n(s.payDropped)} row${s.payDropped === 1 ? '' : 's'} stored without pay (not a finite or plausible amount):`);
    for (const w of s.payWarnings.slice(0, maxErrorLines)) lines.push(`  ${w.file}:${w.line}: ${w.reason}`);
  }
  return lines.join('\n');
}

// The `digest stats` table: one aligned row per tracked role with the week's
// figures and their change since the week before, each printed by
// src/stats/figures.ts as the pages and the mail print it. Pure.
import { roleBySlug } from '../roles/catalog.ts';
import type { RoleDiff, WeekDiff } from './diff.ts';
import { count, countChange, mixPercents, money, moneyChange, nLabel, NO_POSTINGS, remoteShare, share, signedCount, signedPct, weekDates } from './figures.ts';
import type { RoleWeekStats, WeekStats } from './types.ts';

interface Column {
  title: string;
  align: 'left' | 'right';
}

const COLUMNS: Column[] = [
  { title: 'Role', align: 'left' },
  { title: 'Open', align: 'right' },
  { title: 'Change', align: 'right' },
  { title: 'Share', align: 'right' },
  { title: 'Median', align: 'right' },
  { title: 'Change', align: 'right' },
  { title: 'Pay move', align: 'left' },
  { title: 'P75', align: 'right' },
  { title: 'Remote', align: 'right' },
  { title: 'Mix e/m/s %', align: 'right' },
  { title: 'Top skill', align: 'left' },
];

export function formatStatsTable(current: WeekStats, diff: WeekDiff): string {
  const byRole = new Map(diff.roles.map((d) => [d.role, d]));
  const rows = current.roles.map((r) => row(r, current.total, byRole.get(r.role)));
  const lines = [header(current, diff), '', ...align([COLUMNS.map((c) => c.title), ...rows])];

  const skillNotes = diff.roles.filter((d) => d.skillsEntered.length > 0 || d.skillsLeft.length > 0);
  if (skillNotes.length > 0) {
    lines.push('', 'Top-8 skills that changed:');
    for (const d of skillNotes) {
      const parts = [...d.skillsEntered.map((s) => `+${s}`), ...d.skillsLeft.map((s) => `-${s}`)];
      lines.push(`  ${roleName(d.role)}: ${parts.join(', ')}`);
    }
  }
  lines.push(
    '',
    diff.first
      ? 'Pay move: none yet; moves are judged once there is a prior week.'
      : 'Pay move: "headline" when the like-for-like 95% interval excludes zero and the median moved the same way,\n' +
          'with 30+ disclosed salaries in both weeks; "≈ noise" otherwise, with n = disclosed salaries this week vs last week.',
  );
  return lines.join('\n');
}

function header(current: WeekStats, diff: WeekDiff): string {
  const span = `${weekDates(current.start, current.end, current.tz)}, ${current.tz}`;
  const total = `${count(current.total)} open postings`;
  if (diff.first || !diff.total) return `Week ${current.week} (${span}): ${total}. First tracked week: there is no prior week to compare with.`;
  const t = diff.total;
  const pct = t.pct === null ? '' : `, ${signedPct(t.pct)}`;
  return `Week ${current.week} (${span}): ${total} (${signedCount(t.change)}${pct} vs ${diff.previousWeek}).`;
}

function row(r: RoleWeekStats, total: number, d: RoleDiff | undefined): string[] {
  const mix = mixPercents(r.mix);
  // A role with no postings leaves its figures blank (its last cell says why); a missing pay figure says NOT_ENOUGH.
  return [
    roleName(r.role),
    count(r.positions),
    positionsChange(d),
    share(r.positions, total),
    r.positions > 0 ? money(r.median) : '',
    medianChange(d),
    payMove(d),
    r.positions > 0 ? money(r.p75) : '',
    r.positions > 0 ? remoteShare(r) : '',
    r.positions > 0 ? `${mix.entry}/${mix.mid}/${mix.senior}` : '',
    r.positions > 0 ? (r.topSkills[0]?.name ?? '') : `${NO_POSTINGS} this week`,
  ];
}

function positionsChange(d: RoleDiff | undefined): string {
  if (!d?.positions) return '';
  return countChange(d.positions.change, d.positions.pct);
}

function medianChange(d: RoleDiff | undefined): string {
  if (!d?.median) return '';
  return moneyChange(d.median.change, d.median.pct);
}

function payMove(d: RoleDiff | undefined): string {
  if (!d?.pay) return '';
  return d.pay.headline ? 'headline' : `≈ noise (${nLabel(d.pay.n.current, d.pay.n.previous)})`;
}

function roleName(slug: string): string {
  return roleBySlug(slug)?.name ?? slug;
}


function align(rows: string[][]): string[] {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - [...cell].length);
        return COLUMNS[i]!.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

// The sections of a comparison page that show two roles side by side.
import type { PairFacts } from '../../compare/pair-facts.ts';
import type { RoleWeekStats } from '../../stats/types.ts';
import { SENIORITIES } from '../../stats/types.ts';
import { count, mixLine, money, moneyRange, nLabel, remoteShare, share, weekLabel } from '../../stats/figures.ts';
import { ScrollTable } from '../../ui/layout.tsx';
import { smallMedian } from './role-extras.tsx';

/** The head of a two-role table: the row label's column, then each role. */
function PairHead({ first, a, b, numeric }: { first: string; a: Side; b: Side; numeric?: boolean }) {
  const cls = numeric ? 'num' : undefined;
  return (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" className={cls}>
          {a.name}
        </th>
        <th scope="col" className={cls}>
          {b.name}
        </th>
      </tr>
    </thead>
  );
}

export interface Side {
  name: string;
  stats: RoleWeekStats;
}

export function SideBySide({ a, b, total }: { a: Side; b: Side; total: number }) {
  const rows: [string, (s: RoleWeekStats) => string][] = [
    ['Open positions', (s) => count(s.positions)],
    ['Average salary range', (s) => moneyRange(s.avgMin, s.avgMax)],
    ['Median salary (top of range)', (s) => money(s.median)],
    ['75th percentile', (s) => money(s.p75)],
    ['Remote', (s) => remoteShare(s)],
    ['Experience mix', (s) => mixLine(s)],
    ['Most requested skill', (s) => s.topSkills[0]?.name ?? 'none listed'],
    [`Share of all ${count(total)} tracked positions`, (s) => share(s.positions, total)],
  ];
  return (
    <ScrollTable label="Side-by-side figures">
      <caption>
        {a.name} and {b.name}, {weekLabel(a.stats.week)}
      </caption>
      <PairHead first="Figure" a={a} b={b} />
      <tbody>
        {rows.map(([label, f]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td data-label={a.name}>{f(a.stats)}</td>
            <td data-label={b.name}>{f(b.stats)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

function SkillList({ names, className }: { names: string[]; className?: string }) {
  if (names.length === 0) return <p className="muted">None this week.</p>;
  return (
    <ul className={className ? `skills ${className}` : 'skills'}>
      {names.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

export function Skills({ a, b, facts, switching }: { a: Side; b: Side; facts: PairFacts; switching: string }) {
  const sk = facts.skills;
  return (
    <>
      <div className="grid2">
        {[a, b].map((s) => (
          <div key={s.stats.role}>
            <h3>{s.name}: top 8 skills</h3>
            {s.stats.topSkills.length ? (
              <ol className="rank">
                {s.stats.topSkills.map((k) => (
                  <li key={k.name}>
                    {k.name} <span className="muted">({count(k.count)} postings)</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">No skills listed this week.</p>
            )}
          </div>
        ))}
      </div>
      <h3>Skills both roles ask for</h3>
      <SkillList names={sk.shared} className="shared" />
      <p>{switching}</p>
      <div className="grid2">
        <div>
          <h3>Only in {a.name}’s top 8</h3>
          <SkillList names={sk.uniqueA} />
        </div>
        <div>
          <h3>Only in {b.name}’s top 8</h3>
          <SkillList names={sk.uniqueB} />
        </div>
      </div>
    </>
  );
}

export function PayDeepDive({ a, b, payLine }: { a: Side; b: Side; payLine: string }) {
  const rows: [string, (s: RoleWeekStats) => number | null][] = [
    ['25th percentile', (s) => s.p25],
    ['Median', (s) => s.median],
    ['Mean', (s) => s.mean],
    ['75th percentile', (s) => s.p75],
  ];
  const ci = (s: RoleWeekStats) => (s.medianCi ? moneyRange(s.medianCi[0], s.medianCi[1]) : 'too few postings');
  return (
    <>
      <ScrollTable label="Pay quartiles">
        <caption>Advertised top of the salary range</caption>
        <PairHead first="Figure" a={a} b={b} numeric />
        <tbody>
          {rows.map(([label, f]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num" data-label={a.name}>{money(f(a.stats))}</td>
              <td className="num" data-label={b.name}>{money(f(b.stats))}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">95% range of the median</th>
            <td className="num" data-label={a.name}>{ci(a.stats)}</td>
            <td className="num" data-label={b.name}>{ci(b.stats)}</td>
          </tr>
          <tr>
            <th scope="row">Postings that disclose pay</th>
            <td className="num" data-label={a.name}>{count(a.stats.disclosed)}</td>
            <td className="num" data-label={b.name}>{count(b.stats.disclosed)}</td>
          </tr>
        </tbody>
      </ScrollTable>
      <p>{payLine}</p>
      <p className="muted">
        These figures come from {count(a.stats.disclosed)} {a.name} and {count(b.stats.disclosed)} {b.name} postings
        that publish an annual salary in US dollars; hourly rates are annualised at 2,080 hours.
      </p>
    </>
  );
}

function CountList({ items, unit, empty }: { items: { name: string; count: number }[]; unit: string; empty: string }) {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="rank">
      {items.map((c) => (
        <li key={c.name}>
          {c.name}: {count(c.count)} {c.count === 1 ? unit : `${unit}s`}
        </li>
      ))}
    </ol>
  );
}

export function TopLists({ a, b, pick, heading, unit }: { a: Side; b: Side; pick: 'topCompanies' | 'topMetros'; heading: string; unit: string }) {
  return (
    <div className="grid2">
      {[a, b].map((s) => (
        <div key={s.stats.role}>
          <h3>
            {s.name}: {heading}
          </h3>
          <CountList items={s.stats[pick]} unit={unit} empty="No postings this week." />
        </div>
      ))}
    </div>
  );
}

export function PayBySeniority({ a, b }: { a: Side; b: Side }) {
  const label = { entry: 'Entry', mid: 'Mid', senior: 'Senior' } as const;
  const cell = (s: RoleWeekStats, level: (typeof SENIORITIES)[number]) => {
    const p = s.bySeniority[level];
    const n = p?.n ?? 0;
    return `${money(p?.median)} (${nLabel(n)}${smallMedian(n, p?.median) ? ', small sample' : ''})`;
  };
  return (
    <ScrollTable label="Pay by seniority">
      <caption>Median top of range by seniority (n = postings disclosing pay)</caption>
      <PairHead first="Level" a={a} b={b} numeric />
      <tbody>
        {SENIORITIES.map((level) => (
          <tr key={level}>
            <th scope="row">{label[level]}</th>
            <td className="num" data-label={a.name}>{cell(a.stats, level)}</td>
            <td className="num" data-label={b.name}>{cell(b.stats, level)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

// GET /roles/:slug: one role's week, its trend and links to its comparisons.
import { comparePath } from '../../compare/canonical-pair.ts';
import { ROLES, type Role } from '../../roles/catalog.ts';
import { SENIORITIES, type RoleWeekStats, type WeekStats } from '../../stats/types.ts';
import { TrendChart } from '../chart.tsx';
import { count, mixLine, money, moneyRange, nLabel, remoteShare, share, weekLabel } from '../../stats/figures.ts';
import type { TrendPoint } from '../site-data.ts';
import { Layout, NewerWeek, ScrollTable } from '../../ui/layout.tsx';
import { postingsWithPay, RoleExtrasSections } from './role-extras.tsx';

export interface RolePageProps {
  role: Role;
  stats: RoleWeekStats;
  /** The role's row of the week 52 weeks before, when that week is tracked. */
  yearAgo?: RoleWeekStats | undefined;
  week: WeekStats;
  trend: TrendPoint[];
  latest: string;
  publicUrl: string;
}

export function RolePage({ role, stats: s, yearAgo, week, trend, latest, publicUrl }: RolePageProps) {
  const isLatest = week.week === latest;
  const rows: [string, string][] = [
    ['Open positions', count(s.positions)],
    [`Share of all ${count(week.total)} tracked positions`, share(s.positions, week.total)],
    ['Average salary range', moneyRange(s.avgMin, s.avgMax)],
    ['25th percentile (top of range)', money(s.p25)],
    ['Median (top of range)', money(s.median)],
    ['Mean (top of range)', money(s.mean)],
    ['75th percentile (top of range)', money(s.p75)],
    ['95% range of the median', s.medianCi ? moneyRange(s.medianCi[0], s.medianCi[1]) : 'too few postings'],
    ['Postings that disclose pay', count(s.disclosed)],
    ['Remote', remoteShare(s)],
    ['Experience mix', mixLine(s)],
  ];
  const weeks = trend.map((t) => t.week);
  return (
    <Layout
      title={`${role.name}: pay, demand and skills (${weekLabel(week.week)})`}
      description={`${role.name} in ${weekLabel(week.week)}: ${count(s.positions)} open positions, median advertised top of range ${money(s.median)}.`}
      canonical={`${publicUrl}/roles/${role.slug}${isLatest ? '' : `?week=${week.week}`}`}
    >
      <h1>{role.name}</h1>
      <p className="lede">{role.focus}</p>
      <p className="muted">
        Figures for {weekLabel(week.week, week.start, week.end, week.tz)}
        {isLatest ? ', the latest snapshot' : ''}.
      </p>
      <NewerWeek week={week.week} latest={latest} path={`/roles/${role.slug}`} />
      <ul className="stats">
        <li>
          <b>{count(s.positions)}</b> open positions
        </li>
        <li>
          <b>{money(s.median)}</b> median top of range ({nLabel(s.disclosed)})
        </li>
        <li>
          {s.positions > 0 ? (
            <>
              <b>{remoteShare(s)}</b> remote ({count(s.remote)} of {count(s.positions)} postings)
            </>
          ) : (
            <>
              remote share: <b>{remoteShare(s)}</b>
            </>
          )}
        </li>
        <li>
          <b>{share(s.positions, week.total)}</b> of tracked positions
        </li>
      </ul>

      <h2 id="week">This week</h2>
      <ScrollTable label={`${role.name} figures`}>
        <caption>{role.name} in {weekLabel(week.week)}</caption>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num">{value}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>

      <h2 id="seniority">Pay by seniority</h2>
      <ScrollTable label="Pay by seniority">
        <caption>Median top of range by seniority</caption>
        <thead>
          <tr>
            <th scope="col">Level</th>
            <th scope="col" className="num">Median</th>
            <th scope="col" className="num">Postings with pay</th>
          </tr>
        </thead>
        <tbody>
          {SENIORITIES.map((lvl) => (
            <tr key={lvl}>
              <th scope="row">{lvl[0]!.toUpperCase() + lvl.slice(1)}</th>
              <td className="num" data-label="Median">{money(s.bySeniority[lvl]?.median)}</td>
              <td className="num" data-label="Postings with pay">{postingsWithPay(s.bySeniority[lvl]?.n ?? 0, s.bySeniority[lvl]?.median)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>

      <RoleExtrasSections stats={s} yearAgo={yearAgo} />

      <h2 id="skills">Most requested skills</h2>
      {s.topSkills.length ? (
        <ol className="rank">
          {s.topSkills.map((k) => (
            <li key={k.name}>
              {k.name} <span className="muted">({count(k.count)} postings)</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No skills listed this week.</p>
      )}

      <div className="grid2">
        <div>
          <h2 id="companies">Top employers</h2>
          <NameCounts items={s.topCompanies} />
        </div>
        <div>
          <h2 id="metros">Top locations</h2>
          <NameCounts items={s.topMetros} />
        </div>
      </div>

      <h2 id="trend">Pay over the tracked weeks</h2>
      <TrendChart
        id="role-trend"
        title={`${role.name}: median and 75th percentile of the advertised top of range`}
        weeks={weeks}
        series={[
          { label: 'Median', values: trend.map((t) => t.median), n: trend.map((t) => t.disclosed) },
          { label: '75th percentile', values: trend.map((t) => t.p75) },
        ]}
        format={money}
      />

      <h2 id="career">Career path</h2>
      <p>
        <strong>Where it leads:</strong> {role.careerPath}
      </p>
      <p>
        <strong>How people get in:</strong> {role.howToGetIn}
      </p>

      <h2 id="compare">Compare {role.name} with</h2>
      <ul className="cards">
        {ROLES.filter((r) => r.slug !== role.slug).map((r) => (
          <li className="card" key={r.slug}>
            <a href={comparePath(role.slug, r.slug)}>
              {role.name} vs {r.name}
            </a>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function NameCounts({ items }: { items: { name: string; count: number }[] }) {
  if (items.length === 0) return <p className="muted">No postings this week.</p>;
  return (
    <ol className="rank">
      {items.map((c) => (
        <li key={c.name}>
          {c.name}: {count(c.count)} {c.count === 1 ? 'opening' : 'openings'}
        </li>
      ))}
    </ol>
  );
}

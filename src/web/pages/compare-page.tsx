// GET /compare/:a-vs-:b: two roles side by side for one week.
import { comparePath } from '../../compare/canonical-pair.ts';
import type { PairFacts } from '../../compare/pair-facts.ts';
import { switchingVerdict } from '../../compare/verdict.ts';
import { averageTopLine, comparisonLines, directionNote, medianPayVerdict, skillsBase } from '../../compare/claims.ts';
import { ROLES, roleBySlug } from '../../roles/catalog.ts';
import type { WeekStats } from '../../stats/types.ts';
import { TrendChart } from '../chart.tsx';
import { count, money, share, weekHeading, weekLabel } from '../../stats/figures.ts';
import type { TrendPoint } from '../site-data.ts';
import { PayBySeniority, PayDeepDive, SideBySide, Skills, TopLists, type Side } from './compare-sections.tsx';
import { Layout, NewerWeek } from '../../ui/layout.tsx';

export interface ComparePageProps {
  week: WeekStats;
  a: Side;
  b: Side;
  facts: PairFacts;
  trendA: TrendPoint[];
  trendB: TrendPoint[];
  /** All tracked weeks, oldest first, for the week picker. */
  weeks: string[];
  latest: string;
  publicUrl: string;
}

export function ComparePage(p: ComparePageProps) {
  const { a, b, facts, week } = p;
  const path = comparePath(a.stats.role, b.stats.role);
  const roleA = roleBySlug(a.stats.role)!;
  const roleB = roleBySlug(b.stats.role)!;
  const title = `${a.name} vs ${b.name}: pay, demand and skills (${weekLabel(week.week)})`;
  const chartWeeks = [...new Set([...p.trendA, ...p.trendB].map((t) => t.week))].sort();
  const medianSeries = (label: string, t: TrendPoint[]) => {
    const at = chartWeeks.map((w) => t.find((x) => x.week === w));
    return { label, values: at.map((x) => x?.median ?? null), n: at.map((x) => x?.disclosed ?? 0) };
  };
  const isLatest = week.week === p.latest;
  const description = `${a.name} or ${b.name}? Open positions, advertised pay, skills and remote share from ${count(week.total)} AI job postings in ${weekLabel(week.week)}.`;

  return (
    <Layout title={title} description={description} canonical={`${p.publicUrl}${path}${isLatest ? '' : `?week=${week.week}`}`}>
      <p className="muted">
        <a href="/compare">All comparisons</a>
      </p>
      <h1>
        {a.name} vs {b.name}
      </h1>
      <p className="lede">
        Pay, demand and skills side by side, from {count(week.total)} open AI positions tracked in{' '}
        {weekLabel(week.week, week.start, week.end, week.tz)}
        {isLatest ? ', the latest snapshot' : ''}.
      </p>
      <NewerWeek week={week.week} latest={p.latest} path={path} />
      {p.weeks.length > 1 ? (
        <form className="pick" method="get" action={path}>
          <label>
            Week
            <select name="week" defaultValue={week.week}>
              {[...p.weeks].reverse().map((w) => (
                <option key={w} value={w}>
                  {weekHeading(w)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Show week</button>
        </form>
      ) : null}

      <section aria-labelledby="verdict">
        <h2 id="verdict">Quick verdict</h2>
        <div className="verdict">
          <ul>
            {comparisonLines(facts, a.stats, b.stats).map((line) => (
              <li key={line}>{line}</li>
            ))}
            <li>
              <strong>{a.name}:</strong> {roleA.focus}
            </li>
            <li>
              <strong>{b.name}:</strong> {roleB.focus}
            </li>
          </ul>
        </div>
      </section>

      <section aria-labelledby="table">
        <h2 id="table">Side by side</h2>
        <SideBySide a={a} b={b} total={week.total} />
        <p className="muted">
          Of all {count(week.total)} open AI positions this week, {a.name} accounts for {share(facts.positions.a, week.total)} and{' '}
          {b.name} for {share(facts.positions.b, week.total)}.
        </p>
      </section>

      <section aria-labelledby="skills">
        <h2 id="skills">Skills</h2>
        <Skills a={a} b={b} facts={facts} switching={switchingVerdict(facts, skillsBase(a.stats, b.stats))} />
      </section>

      <section aria-labelledby="pay">
        <h2 id="pay">Pay in detail</h2>
        <PayDeepDive
          a={a}
          b={b}
          payLine={[medianPayVerdict(a.stats, b.stats), averageTopLine(facts, a.stats, b.stats), directionNote(facts, a.stats, b.stats)]
            .filter(Boolean)
            .join(' ')}
        />
      </section>

      <section aria-labelledby="companies">
        <h2 id="companies">Who is hiring</h2>
        <TopLists a={a} b={b} pick="topCompanies" heading="top employers" unit="opening" />
      </section>

      <section aria-labelledby="metros">
        <h2 id="metros">Where the jobs are</h2>
        <TopLists a={a} b={b} pick="topMetros" heading="top locations" unit="opening" />
      </section>

      <section aria-labelledby="seniority">
        <h2 id="seniority">Pay by seniority</h2>
        <PayBySeniority a={a} b={b} />
      </section>

      <section aria-labelledby="careers">
        <h2 id="careers">Career paths</h2>
        <div className="grid2">
          {[roleA, roleB].map((r) => (
            <div key={r.slug}>
              <h3>{r.name}</h3>
              <p>
                <strong>Where it leads:</strong> {r.careerPath}
              </p>
              <p>
                <strong>How people get in:</strong> {r.howToGetIn}
              </p>
              <p>
                <a href={`/roles/${r.slug}`}>More about {r.name}</a>
              </p>
            </div>
          ))}
        </div>
      </section>

      <section aria-labelledby="trend">
        <h2 id="trend">Median pay over the tracked weeks</h2>
        <TrendChart
          id="median-trend"
          title={`Median advertised top of range, ${a.name} and ${b.name}`}
          weeks={chartWeeks}
          series={[
            medianSeries(a.name, p.trendA),
            medianSeries(b.name, p.trendB),
          ]}
          format={money}
        />
      </section>

      <section aria-labelledby="more">
        <h2 id="more">More comparisons</h2>
        <div className="grid2">
          {[a, b].map((s) => (
            <div key={s.stats.role}>
              <h3>{s.name} against</h3>
              <ul>
                {ROLES.filter((r) => r.slug !== a.stats.role && r.slug !== b.stats.role).map((r) => (
                  <li key={r.slug}>
                    <a href={comparePath(s.stats.role, r.slug)}>{r.name}</a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
    </Layout>
  );
}

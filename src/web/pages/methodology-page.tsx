// GET /methodology: how every figure is computed, printed from the constants
// the code runs with (src/stats/method.ts), never from copied numbers. The
// longer explanation lives in docs/methodology.md.
import { LITERAL_MAX_N } from '../../stats/bootstrap.ts';
import { METHOD, type Method } from '../../stats/method.ts';
import { count, wholePct } from '../../stats/figures.ts';
import { Layout } from '../../ui/layout.tsx';
import { EDGE_RULES, type EdgeRule } from '../../methodology/edge-rules.ts';

export interface MethodologyPageProps {
  /** The constants shown; the route passes METHOD. */
  method?: Method;
  /** The rules at the edges (docs/methodology.md); the route passes EDGE_RULES. */
  edgeRules?: readonly EdgeRule[];
  publicUrl: string;
}

const LICENCE_LINE = 'Open data under the Creative Commons Attribution 4.0 licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/';

export function MethodologyPage({ method: m = METHOD, edgeRules = EDGE_RULES, publicUrl }: MethodologyPageProps) {
  const pct = wholePct;
  return (
    <Layout
      title="How we compute the figures: methodology"
      description="How the digest counts postings, computes pay figures, like-for-like changes and intervals, and when it calls a move a headline."
      canonical={`${publicUrl}/methodology`}
    >
      <h1>How we compute the figures</h1>
      <p className="lede">
        Every number on this site and in the digest comes from open AI job postings, snapshotted once a week. This page
        prints the rules with the very constants the code runs with.
      </p>

      <h2 id="pay">Pay figures</h2>
      <ul>
        <li>
          Pay figures use postings that publish an annual US-dollar maximum (“disclosed”); hourly pay is annualised at
          2,080 hours. The base of every pay figure is its <strong>n</strong>, the number of such postings.
        </li>
        <li>
          With fewer than <strong data-constant="minDisclosedForPay">{m.minDisclosedForPay}</strong> disclosed salaries a
          role shows “not enough data”.
        </li>
        <li>
          The {pct(m.confidence)} range of a median comes from order statistics (exact binomial ranks) and is shown from{' '}
          <strong data-constant="minDisclosedForCi">{m.minDisclosedForCi}</strong> disclosed salaries on.
        </li>
      </ul>

      <h2 id="like-for-like">Like-for-like pay change</h2>
      <p>
        A median can move only because this week’s postings are more senior or more remote. To compare like with like,
        each role’s postings are split into cells of seniority × work mode (remote or on-site), and by metro as well when
        every such cell keeps at least <strong data-constant="lflMetroMinCellN">{m.lflMetroMinCellN}</strong> disclosed
        salaries in both weeks. The role’s like-for-like change is the mean of its cells’ median changes, each weighted by
        the cell’s share of last week’s disclosed salaries (a fixed basket, Laspeyres). Cells with fewer than{' '}
        <strong data-constant="lflMinCellN">{m.lflMinCellN}</strong> disclosed salaries in either week are left out,
        and their number is stored with the figure.
      </p>
      <p>
        The {pct(m.confidence)} interval comes from a seeded bootstrap: <strong data-constant="bootstrapDraws">{count(m.bootstrapDraws)}</strong>{' '}
        draws, each resampling postings within every cell (literally up to {LITERAL_MAX_N} postings a cell, from the
        distribution of the resample’s median above that). The seed (<code data-constant="bootstrapSeed">{m.bootstrapSeed}</code>),
        with the week and the role, fixes every draw, so the same postings always give the same interval.
      </p>

      <h2 id="skill-premium">Pay of postings listing a skill</h2>
      <p>
        For each of a role’s top skills, the median top of range of the role’s postings this week that list the skill is
        set against the median of those that do not, with n on both sides. The difference gets a {pct(m.confidence)}{' '}
        interval from the same seeded bootstrap ({count(m.bootstrapDraws)} draws, each side resampled on its own), from{' '}
        {m.minDisclosedForCi} disclosed salaries a side; fewer than {m.smallSampleN} on either side is marked “small
        sample”. It describes postings, not what a skill does to pay: postings that list a skill can also differ in
        seniority, employer and place.
      </p>

      <h2 id="headlines">Headlines and small samples</h2>
      <ul>
        <li>
          A pay move is a headline when the like-for-like interval excludes zero and the raw median moved the same way.
        </li>
        <li>
          When the raw median moved by <strong data-constant="rawMoveMinPct">{m.rawMoveMinPct}%</strong> or more but like
          for like pay did not, the digest says why in one sentence that names the mix shift.
        </li>
        <li>
          A claim resting on fewer than <strong data-constant="smallSampleN">{m.smallSampleN}</strong> postings on either
          side is marked “small sample”, and is never a headline, a mover or the reason a comparison is featured.
        </li>
        <li>
          Roles with fewer than <strong data-constant="windowMinDisclosed">{m.windowMinDisclosed}</strong> disclosed
          salaries in a week also show their pay over a rolling{' '}
          <strong data-constant="windowWeeks">{m.windowWeeks}</strong>-week window, labelled as such (each posting open
          in the window counted once); year-over-year change appears once the week{' '}
          <strong data-constant="yoyWeeks">{m.yoyWeeks}</strong> weeks before is tracked.
        </li>
      </ul>

      <h2 id="verdicts">Verdicts</h2>
      <ul>
        <li>
          “Likely pays more” when the two roles’ {pct(m.confidence)} median ranges are apart; “no clear difference” when
          they overlap. The medians, their ranges and their n are printed beside the verdict.
        </li>
        <li>
          The average posted top of range (the mean of the posted maxima) is shown too, labelled as such; where it and
          the median point different ways, the page says so.
        </li>
        <li>
          Median by metro lists metros with at least <strong data-constant="metroMedianMinN">{m.metroMedianMinN}</strong>{' '}
          disclosed salaries.
        </li>
      </ul>

      <h2 id="edges">Rules at the edges</h2>
      <p>Where a figure sits exactly on a boundary, these rules decide, each with the constant the code uses.</p>
      {edgeRules.map((r) => (
        <section key={r.id} id={r.id} aria-labelledby={`${r.id}-title`}>
          <h3 id={`${r.id}-title`}>{r.title}</h3>
          <p>{r.rule}</p>
          <p className="muted">
            <code>{r.constant.name}</code> = <strong data-constant={r.constant.name}>{r.constant.value}</strong>, in{' '}
            <code>{r.file}</code>
          </p>
        </section>
      ))}

      <h2 id="data">Open data</h2>
      <p>
        Every published figure, week by role, with its n: <a href="/data/weeks.csv">/data/weeks.csv</a>, and one week as
        JSON at <code>/data/2026-W47.json</code>. {LICENCE_LINE}
      </p>
    </Layout>
  );
}

// Sections of the role page added with the like-for-like method
// (docs/methodology.md): the like-for-like pay change, remote vs on-site
// median, median by metro, the skill premium; each with its n and 95% range.
import { excludesZero } from '../../stats/like-for-like.ts';
import { isSmallSample, METHOD } from '../../stats/method.ts';
import type { PaySummary, RoleWeekStats } from '../../stats/types.ts';
import { count, money, moneyRange, nLabel, pctRange, signedPct, weekLabel } from '../../stats/figures.ts';
import { ScrollTable } from '../../ui/layout.tsx';
import { SkillPremiumSection } from './skill-premium-section.tsx';

const range = (p: PaySummary) => (p.ci ? moneyRange(p.ci[0], p.ci[1]) : 'too few postings');

/** A printed median resting on a small sample (no median: "not enough data" says enough). */
export const smallMedian = (n: number, median: number | null | undefined) => median != null && isSmallSample(n);

/** A "Postings with pay" cell: the count, marked when the median beside it rests on a small sample. */
export const postingsWithPay = (n: number, median: number | null | undefined) => `${count(n)}${smallMedian(n, median) ? ' (small sample)' : ''}`;

/** One sentence on the like-for-like change, with its interval and n; undefined when there is none. */
function likeForLikeSentence(s: RoleWeekStats): string | undefined {
  const l = s.likeForLike;
  if (!l) return undefined;
  if (l.change === null || !l.ci) {
    return `No like-for-like change this week: no cell of seniority and work mode has ${METHOD.lflMinCellN} or more disclosed salaries in both weeks (${count(l.excludedCells)} ${l.excludedCells === 1 ? 'cell' : 'cells'} left out).`;
  }
  const small = isSmallSample(l.n.current, l.n.previous) ? ' Small sample.' : '';
  const verdict = excludesZero(l.ci) ? (l.change > 0 ? 'Pay rose like for like' : 'Pay fell like for like') : 'No clear change like for like';
  const left = l.excludedCells > 0 ? `; ${count(l.excludedCells)} thinner ${l.excludedCells === 1 ? 'cell' : 'cells'} left out (${count(l.excluded.current)} postings)` : '';
  return `${verdict}: ${signedPct(l.change)} on last week (${pctRange(l.ci)}), over ${count(l.cells)} ${l.cells === 1 ? 'cell' : 'cells'} of seniority × work mode${l.byMetro ? ' × metro' : ''} with ${count(l.n.current)} disclosed salaries this week and ${count(l.n.previous)} last week${left}.${small}`;
}

/** A small role's pay over the rolling window, labelled; undefined for roles with enough disclosed this week. */
function windowSentence(s: RoleWeekStats): string | undefined {
  const w = s.payWindow;
  if (!w) return undefined;
  const base = `Over the rolling ${w.weeks}-week window from ${weekLabel(w.from)} to ${weekLabel(s.week)} (this week has only ${count(s.disclosed)} disclosed ${s.disclosed === 1 ? 'salary' : 'salaries'})`;
  if (w.median === null) return `${base}: ${count(w.n)} postings disclose pay, still too few for a median.`;
  const r = w.ci ? `95% range ${moneyRange(w.ci[0], w.ci[1])}, ` : '';
  return `${base}: median top of range ${money(w.median)} (${r}${nLabel(w.n)}${isSmallSample(w.n) ? ', small sample' : ''}).`;
}

/** Year over year, once the week a year before is tracked. */
export function yearOverYearSentence(s: RoleWeekStats, yearAgo: RoleWeekStats | undefined): string | undefined {
  if (!yearAgo || s.median == null || yearAgo.median == null) return undefined;
  const pct = (s.median / yearAgo.median - 1) * 100;
  const small = isSmallSample(s.disclosed, yearAgo.disclosed) ? ' (small sample)' : '';
  return `Year over year: median top of range ${money(s.median)} (${nLabel(s.disclosed)}) against ${money(yearAgo.median)} (${nLabel(yearAgo.disclosed)}) in ${weekLabel(yearAgo.week)}, ${signedPct(pct)}${small}.`;
}

export function RoleExtrasSections({ stats: s, yearAgo }: { stats: RoleWeekStats; yearAgo?: RoleWeekStats | undefined }) {
  const lfl = likeForLikeSentence(s);
  const modes = s.workMode;
  const win = windowSentence(s);
  const yoy = yearOverYearSentence(s, yearAgo);
  return (
    <>
      {win ? (
        <>
          <h2 id="window">Pay over {s.payWindow!.weeks} weeks (rolling window)</h2>
          <p>{win}</p>
        </>
      ) : null}
      {yoy ? (
        <>
          <h2 id="year">Year over year</h2>
          <p>{yoy}</p>
        </>
      ) : null}
      {lfl ? (
        <>
          <h2 id="like-for-like">Pay like for like</h2>
          <p>{lfl}</p>
          <p className="muted">
            Comparing the same kinds of postings in both weeks, so a shift towards senior or remote postings does not
            read as a pay rise. <a href="/methodology#like-for-like">How this is computed</a>.
          </p>
        </>
      ) : null}
      {modes ? (
        <>
          <h2 id="work-mode">Remote and on-site pay</h2>
          <ScrollTable label="Remote and on-site pay">
            <caption>Median top of range by work mode (n = postings disclosing pay)</caption>
            <thead>
              <tr>
                <th scope="col">Work mode</th>
                <th scope="col" className="num">Median</th>
                <th scope="col" className="num">95% range</th>
                <th scope="col" className="num">Postings with pay</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['Remote', modes.remote],
                  ['On-site', modes.onsite],
                ] as const
              ).map(([label, p]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td className="num" data-label="Median">{money(p.median)}</td>
                  <td className="num" data-label="95% range">{range(p)}</td>
                  <td className="num" data-label="Postings with pay">{postingsWithPay(p.n, p.median)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </>
      ) : null}
      {s.metroPay && s.metroPay.length > 0 ? (
        <>
          <h2 id="metro-pay">Pay by metro</h2>
          <ScrollTable label="Pay by metro">
            <caption>
              Median top of range of on-site postings, metros with {METHOD.metroMedianMinN} or more disclosing pay
            </caption>
            <thead>
              <tr>
                <th scope="col">Metro</th>
                <th scope="col" className="num">Median</th>
                <th scope="col" className="num">95% range</th>
                <th scope="col" className="num">Postings with pay</th>
              </tr>
            </thead>
            <tbody>
              {s.metroPay.map((m) => (
                <tr key={m.name}>
                  <th scope="row">{m.name}</th>
                  <td className="num" data-label="Median">{money(m.median)}</td>
                  <td className="num" data-label="95% range">{range(m)}</td>
                  <td className="num" data-label="Postings with pay">{postingsWithPay(m.n, m.median)}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </>
      ) : null}
      {s.skillPremium ? <SkillPremiumSection premiums={s.skillPremium} /> : null}
    </>
  );
}

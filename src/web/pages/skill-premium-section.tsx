// The role page's skill premium table (docs/methodology.md): per top skill,
// the median pay of postings listing it against those that do not, with n on
// both sides and the 95% range of the difference. Worded as a difference
// between postings, never as what a skill does to pay.
import { excludesZero } from '../../stats/like-for-like.ts';
import { isSmallSample, METHOD } from '../../stats/method.ts';
import type { SkillPremium } from '../../stats/skill-premium.ts';
import { money, nLabel, signedMoney } from '../../stats/figures.ts';
import { ScrollTable } from '../../ui/layout.tsx';

/** The difference column: figure, then whether its interval is clear of zero, and the small-sample mark, in one parenthesis. */
function premiumText(p: SkillPremium): string {
  const small = isSmallSample(p.with.n, p.without.n) ? '; small sample' : '';
  if (p.premium === null) return `too few postings${small ? ' (small sample)' : ''}`;
  if (!p.ci) return `${signedMoney(p.premium)} (too few postings for a range${small})`;
  const side = excludesZero(p.ci) ? (p.premium > 0 ? 'higher' : 'lower') : 'no clear difference';
  return `${signedMoney(p.premium)} (95% range ${signedMoney(p.ci[0])} to ${signedMoney(p.ci[1])}; ${side}${small})`;
}

export function SkillPremiumSection({ premiums }: { premiums: readonly SkillPremium[] }) {
  if (premiums.length === 0) return null;
  return (
    <>
      <h2 id="skill-premium">Pay of postings listing each top skill</h2>
      <ScrollTable label="Pay of postings listing each top skill">
        <caption>Median top of range of this role's postings that list the skill against those that do not (n = postings disclosing pay)</caption>
        <thead>
          <tr>
            <th scope="col">Skill</th>
            <th scope="col" className="num">Listing it: median (n)</th>
            <th scope="col" className="num">Not listing it: median (n)</th>
            <th scope="col" className="num">Difference</th>
          </tr>
        </thead>
        <tbody>
          {premiums.map((p) => (
            <tr key={p.skill}>
              <th scope="row">{p.skill}</th>
              <td className="num" data-label="Listing it: median (n)">
                {money(p.with.median)} ({nLabel(p.with.n)})
              </td>
              <td className="num" data-label="Not listing it: median (n)">
                {money(p.without.median)} ({nLabel(p.without.n)})
              </td>
              <td className="num wrap" data-label="Difference">
                {premiumText(p)}
              </td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <p className="muted">
        A difference between postings, not the effect of a skill: postings that list a skill can differ in seniority,
        employer and place as well. Sides with fewer than {METHOD.smallSampleN} postings are marked small sample.{' '}
        <a href="/methodology#skill-premium">How this is computed</a>.
      </p>
    </>
  );
}

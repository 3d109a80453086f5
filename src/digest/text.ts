// The plain-text part: the same content as the HTML, in the same order, with
// the same figures (the strings frozen in the issue). Links are written out;
// in email mode they are per-recipient slots filled like the HTML's.
import { LINK_COMPARE_INDEX, LINK_METHODOLOGY, LINK_WEB_VERSION } from './content.ts';
import { MAIL_TREND_WEEKS, weekHeading } from '../stats/figures.ts';
import type { IssueContent } from './content.ts';
import { plain, Raw, type TemplateValue } from './template.ts';
import { DEMO_NOTICE } from '../demo/status.ts';
import { segmentView, type BuildContext, type BuildMode } from './view.ts';

const str = (v: TemplateValue) => (v instanceof Raw ? v.html : plain(String(v)));

export function digestText(content: IssueContent, segment: readonly string[], mode: BuildMode, ctx: BuildContext): string {
  const view = segmentView(content, segment, mode, ctx.publicUrl);
  const link = (id: string) => str(ctx.href(id));
  const p = plain;
  const out: string[] = [];
  out.push(`TRACK AI SALARY TRENDS · ${weekHeading(content.week)} (${p(content.weekLabel)})`);
  if (content.demo) out.push(DEMO_NOTICE);
  if (mode === 'email') out.push(`View in your browser: ${link(LINK_WEB_VERSION)}`);
  out.push('', 'THIS WEEK’S HEADLINE', p(content.headline.text), '', p(content.summary), '');

  out.push(`SALARY SHIFTS, ALL TRACKED ROLES`);
  out.push(`Median advertised top of range and open positions, each with its change on last week; trend over ${MAIL_TREND_WEEKS} weeks, oldest first.`);
  for (const { row, followed } of view.rows) {
    out.push('');
    out.push(`${p(row.name)}${followed ? ' (you follow)' : ''}`);
    out.push(`  Median ${p(row.medianText)}, change ${p(row.medianChangeText)}, ${p(row.noteText)}`);
    out.push(`  Open positions ${p(row.positionsText)}, change ${p(row.positionsChangeText)}`);
    out.push(`  Trend ${row.trendText}  ${link(row.linkId)}`);
  }

  if (content.movers.length > 0) {
    out.push('', 'MOVERS');
    for (const m of content.movers) {
      out.push('', `${p(m.name)}: ${p(m.figure)}.`, `  ${p(m.context)} (${p(m.nText)})`, `  ${link(m.linkId)}`);
    }
  }
  if (content.risingSkills.length > 0) {
    out.push('', 'SKILLS ON THE RISE', 'Skills that entered a role’s eight most requested this week.');
    for (const s of content.risingSkills) out.push(`- ${p(s.name)}: ${s.labels.map(p).join(', ')}`);
  }
  if (view.featured.length > 0) {
    out.push('', 'FEATURED COMPARISONS');
    for (const c of view.featured) {
      out.push('', p(c.title), `  ${p(c.verdict)}`, `  ${p(c.reason)}`, `  Compare the two roles: ${link(c.linkId)}`);
    }
    out.push('', `Compare any two roles: ${link(LINK_COMPARE_INDEX)}`);
  }

  out.push('', '--', p(view.why));
  const method = mode === 'email' && content.links.some((l) => l.id === LINK_METHODOLOGY) ? link(LINK_METHODOLOGY) : `${ctx.publicUrl}/methodology`;
  out.push(`How we compute these figures: ${method}`);
  if (mode === 'email') {
    out.push(`Change your roles or preferences: ${str(ctx.preferences)}`);
    out.push(`Unsubscribe in one click: ${str(ctx.unsubscribe)}`);
  } else {
    out.push(`Get this digest by email: ${ctx.publicUrl}/`);
  }
  out.push(p(ctx.postalAddress), '');
  return out.join('\n');
}

// The MJML source of one issue for one segment: templates/digest.mjml with
// its partials filled from the frozen content. Every value from data goes
// through `fill`, which escapes it; only filled partials are inserted raw.
import type { IssueContent, ShiftRow, TrendBar } from './content.ts';
import { LINK_COMPARE_INDEX, LINK_HOME, LINK_METHODOLOGY, LINK_WEB_VERSION } from './content.ts';
import { MAIL_TREND_WEEKS, weekHeading } from '../stats/figures.ts';
import { escapeHtml, fill, partial, raw, type Templates, type TemplateValue } from './template.ts';

/** A figure that must not wrap: spaces become no-break spaces (Outlook ignores `white-space`). */
const nowrap = (s: string) => raw(escapeHtml(s).replace(/ /g, '&#160;'));
import { DEMO_NOTICE } from '../demo/status.ts';
import { segmentView, type BuildContext, type BuildMode } from './view.ts';

export type { BuildMode, HrefFor } from './view.ts';

/** Height of one trend level in pixels: 8 levels make a 24px bar. */
const BAR_PX = 3;
const BAR_COLOR = '#2563eb';
const BAR_COLOR_LATEST = '#0f172a';
const BAR_NO_DATA = '#cbd5e1';
const FOLLOWED_BG = '#eff6ff';

/** Each bar is one table cell whose bottom border is the bar: short markup, drawn by every client. */
function bars(t: Templates, trend: readonly TrendBar[], background: string): string {
  const tpl = partial(t, 'trend-bar');
  return trend
    .map((b, i) =>
      fill(
        tpl,
        {
          h: b.level === 0 ? 1 : b.level * BAR_PX,
          gap: background,
          color: b.level === 0 ? BAR_NO_DATA : i === trend.length - 1 ? BAR_COLOR_LATEST : BAR_COLOR,
        },
        'trend-bar',
      ),
    )
    .join('');
}

function trendLabel(row: ShiftRow): string {
  const known = row.trend.filter((b) => b.median !== null);
  if (known.length === 0) return `No median in the last ${MAIL_TREND_WEEKS} weeks`;
  return `Median over the last ${MAIL_TREND_WEEKS} weeks: ${row.trendText}`;
}

function noteColor(row: ShiftRow): string {
  return row.payMove === 'headline' ? '#b45309' : '#52606d';
}

export function digestMjml(t: Templates, content: IssueContent, segment: readonly string[], mode: BuildMode, ctx: BuildContext): string {
  const view = segmentView(content, segment, mode, ctx.publicUrl);
  const href = ctx.href;
  const rowTpl = partial(t, 'shift-row');
  const rows = view.rows
    .map(({ row, followed }) => {
      // A followed role's two lines and its trend bars' gaps share one background.
      const background = followed ? FOLLOWED_BG : '#ffffff';
      return fill(
        rowTpl,
        {
          background,
          roleUrl: href(row.linkId),
          name: row.name,
          followedMark: followed ? raw(' <span style="font-size:11px;color:#1d4ed8;">(you follow)</span>') : '',
          median: nowrap(row.medianText),
          medianChange: row.medianChangeText,
          note: row.noteText,
          noteColor: noteColor(row),
          positions: nowrap(row.positionsText),
          positionsChange: row.positionsChangeText,
          trendLabel: trendLabel(row),
          bars: raw(bars(t, row.trend, background)),
        },
        'shift-row',
      );
    })
    .join('\n');

  const sections: Record<string, TemplateValue> = {
    top: raw(
      fill(partial(t, 'top'), {
        topText: mode === 'web' ? weekHeading(content.week) : content.preheader,
        webUrl: mode === 'web' ? `${ctx.publicUrl}/issues` : href(LINK_WEB_VERSION),
        webLabel: mode === 'web' ? 'All issues' : 'View in browser',
      }),
    ),
    demo: raw(content.demo ? fill(partial(t, 'demo'), { notice: DEMO_NOTICE }) : ''),
    header: raw(fill(partial(t, 'header'), { homeUrl: href(LINK_HOME), week: weekHeading(content.week), weekLabel: content.weekLabel })),
    headline: raw(fill(partial(t, 'headline'), { headline: content.headline.text, summary: content.summary })),
    shifts: raw(fill(partial(t, 'shifts'), { trendWeeksLabel: `${MAIL_TREND_WEEKS} weeks`, rows: raw(rows) })),
    movers: raw(
      content.movers.length === 0
        ? ''
        : fill(partial(t, 'movers'), {
            items: raw(
              content.movers
                .map((m) => fill(partial(t, 'mover'), { roleUrl: href(m.linkId), name: m.name, figure: m.figure, context: m.context, nText: m.nText }))
                .join('\n'),
            ),
          }),
    ),
    skills: raw(
      content.risingSkills.length === 0
        ? ''
        : fill(partial(t, 'skills'), {
            items: raw(
              content.risingSkills
                .map((s) => fill(partial(t, 'skill'), { roleUrl: href(s.linkId), name: s.name, skills: s.labels.join(', ') }))
                .join('\n'),
            ),
          }),
    ),
    featured: raw(
      view.featured.length === 0
        ? ''
        : fill(partial(t, 'featured'), {
            compareIndexUrl: href(LINK_COMPARE_INDEX),
            cards: raw(
              view.featured
                .map((c) =>
                  fill(partial(t, 'featured-card'), {
                    title: c.title,
                    verdict: c.verdict,
                    reason: c.reason,
                    url: href(c.linkId),
                    shortTitle: 'the two roles',
                  }),
                )
                .join('\n'),
            ),
          }),
    ),
    footer: raw(
      fill(partial(t, 'footer'), {
        why: view.why,
        actions: raw(
          mode === 'web'
            ? fill(partial(t, 'footer-web-actions'), {
                subscribeUrl: `${ctx.publicUrl}/`,
                archiveUrl: `${ctx.publicUrl}/issues`,
                methodologyUrl: `${ctx.publicUrl}/methodology`,
              })
            : fill(partial(t, 'footer-email-actions'), {
                preferencesUrl: ctx.preferences,
                unsubscribeUrl: ctx.unsubscribe,
                webUrl: href(LINK_WEB_VERSION),
                methodologyUrl: content.links.some((l) => l.id === LINK_METHODOLOGY) ? href(LINK_METHODOLOGY) : `${ctx.publicUrl}/methodology`,
              }),
        ),
        postalAddress: ctx.postalAddress,
      }),
    ),
  };
  return fill(t.digest, { subject: content.subject, preheader: content.preheader, ...sections }, 'digest.mjml');
}

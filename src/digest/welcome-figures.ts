// What a new reader's welcome mail carries from the latest issue that went
// out: its headline, the figures of the roles they follow (or, following
// none, the week's movers), each with its sample size, and plain links to the
// issue and the role pages (a welcome has no tracked links). Read from the
// issue's frozen content, so the welcome says exactly what the issue said.
import type { DbClient } from '../db/database.ts';
import type { IssueContent } from './content.ts';

export interface WelcomeFigure {
  name: string;
  url: string;
  /** "Median $180K, +$12K (+7.1%) · 240 open positions, +12 (+5.3%)": the issue's strings. */
  line: string;
  /** The sample and what it supports, e.g. "within noise, n = 40 vs 38". */
  note: string;
}

export interface WelcomeLatest {
  week: string;
  weekLabel: string;
  headline: string;
  issueUrl: string;
  /** `followed`: the reader's roles; `movers`: the week's movers, for a reader who follows every role. */
  kind: 'followed' | 'movers';
  figures: WelcomeFigure[];
}

/** Movers shown to a reader who follows no particular role. */
const MOVERS_SHOWN = 3;

export function welcomeLatestOf(content: IssueContent, roles: readonly string[], publicUrl: string): WelcomeLatest {
  const base = publicUrl.replace(/\/+$/, '');
  const followed = content.shifts.filter((s) => roles.includes(s.role));
  const figures: WelcomeFigure[] =
    followed.length > 0
      ? followed.map((s) => ({
          name: s.name,
          url: `${base}/roles/${s.role}`,
          line:
            `Median ${s.medianText}${s.medianChangeText !== '–' ? `, ${s.medianChangeText}` : ''} · ` +
            `${s.positionsText} open positions${s.positionsChangeText !== '–' ? `, ${s.positionsChangeText}` : ''}`,
          note: s.noteText,
        }))
      : content.movers.slice(0, MOVERS_SHOWN).map((m) => ({ name: m.name, url: `${base}/roles/${m.role}`, line: m.figure, note: m.nText }));
  return {
    week: content.week,
    weekLabel: content.weekLabel,
    headline: content.headline.text,
    issueUrl: `${base}/issues/${content.week}`,
    kind: followed.length > 0 ? 'followed' : 'movers',
    figures,
  };
}

/** The latest issue that went out, for a reader following `roles`; undefined before the first issue. */
export async function readWelcomeLatest(client: Pick<DbClient, 'query'>, roles: readonly string[], publicUrl: string): Promise<WelcomeLatest | undefined> {
  const { rows } = await client.query<{ content: IssueContent }>(
    `SELECT content FROM issues WHERE status <> 'draft' AND content ? 'shifts' ORDER BY week DESC LIMIT 1`,
  );
  return rows[0] ? welcomeLatestOf(rows[0].content, roles, publicUrl) : undefined;
}

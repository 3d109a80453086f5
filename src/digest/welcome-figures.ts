// What a new reader's welcome mail carries from the latest issue that went
// out: its headline, the figures of the roles they follow (or, following
// none, the week's movers), each with its sample size, and plain links to the
// issue and the role pages (a welcome has no tracked links). Read from the
// issue's frozen content, so the welcome says exactly what the issue said.
import type { DbClient } from '../db/database.ts';
import type { WelcomeFigure, WelcomeLatest } from '../../templates/emails/welcome.tsx';
import type { IssueContent } from './content.ts';
import { latestIssueWithShifts } from './store.ts';

/** Movers shown to a reader who follows no particular role. */
const MOVERS_SHOWN = 3;

export function welcomeLatestOf(content: IssueContent, roles: readonly string[], base: string): WelcomeLatest {
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
  const content = await latestIssueWithShifts(client);
  return content ? welcomeLatestOf(content, roles, publicUrl) : undefined;
}

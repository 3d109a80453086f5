// The rules at the edges of the statistics (issue 17), each in one or two
// sentences with the constant it rests on and the file that applies it, for
// docs/methodology.md ("Rules at the edges", which states the same sentences:
// a unit test holds them equal) and for a /methodology page to render.
// Numbers come from the modules that use them, never written twice. Pure.
import { REMOTE_PICK_POINTS, SIMILAR_PAY_DOLLARS } from '../compare/pair-facts.ts';
import { SKILLS } from '../postings/skills.ts';
import { ROLES } from '../roles/catalog.ts';
import { NO_POSTINGS } from '../stats/figures.ts';
import { OPEN_IN_WEEK_SQL } from '../stats/snapshot-sql.ts';
import { TOP_LIMITS } from '../stats/top-names.ts';
import { MIN_DISCLOSED_FOR_CI } from '../stats/types.ts';

export interface EdgeRule {
  /** Stable id, also the docs' heading anchor. */
  id: string;
  title: string;
  /** The rule in one or two plain-text sentences. */
  rule: string;
  /** The constant's name and its value as the code holds it. */
  constant: { name: string; value: string };
  /** The file that applies the rule. */
  file: string;
}

const dollars = (n: number) => `$${n.toLocaleString('en-US')}`;
const firstRoles = ROLES.slice(0, 2).map((r) => r.slug);

export const EDGE_RULES: readonly EdgeRule[] = [
  {
    id: 'remote-pick',
    title: 'Remote pick',
    rule:
      `A comparison names one role as the better bet for remote work only when the two exact remote shares (remote postings / open postings, not the rounded percentages printed) are ${REMOTE_PICK_POINTS} points apart or more. ` +
      `107 of 594 (18.01%) against 48 of 598 (8.03%) is 9.99 points: no pick, although the page prints 18% and 8%; a role with no postings never gets a pick.`,
    constant: { name: 'REMOTE_PICK_POINTS', value: String(REMOTE_PICK_POINTS) },
    file: 'src/compare/pair-facts.ts',
  },
  {
    id: 'similar-pay',
    title: 'Similar pay',
    rule:
      `Two roles whose means of the posted maximum are at most ${dollars(SIMILAR_PAY_DOLLARS)} apart, ${dollars(SIMILAR_PAY_DOLLARS)} included, have similar pay ("within $${SIMILAR_PAY_DOLLARS / 1000}K"). ` +
      `One role pays more only when the gap is larger than that.`,
    constant: { name: 'SIMILAR_PAY_DOLLARS', value: String(SIMILAR_PAY_DOLLARS) },
    file: 'src/compare/pair-facts.ts',
  },
  {
    id: 'ties-by-name',
    title: 'Ties by name in the top lists',
    rule:
      `Top skills (${TOP_LIMITS.skills}), employers (${TOP_LIMITS.companies}) and metros (${TOP_LIMITS.metros}) rank by number of open postings; ties go by name compared case-insensitively (lower case, by Unicode code point), then by the exact name by code point, so the order is total and alone decides who makes a list at its cut-off. ` +
      `Names that differ only in case or spacing are one name ("boston" and "Boston" are one metro), counted together and shown in the spelling most of the week's postings use, ties by the same order ("Boston" before "boston").`,
    constant: { name: 'TOP_LIMITS', value: JSON.stringify(TOP_LIMITS) },
    file: 'src/stats/top-names.ts',
  },
  {
    id: 'open-in-week',
    title: 'Open in a week',
    rule:
      `A week is the half-open interval from its Monday 00:00 to the next Monday 00:00 in DIGEST_TZ, and a posting is open in it when it was first seen before the week ends, last seen at or after the week starts, and closed (if at all) after the week starts. ` +
      `A posting closed at the week's first instant was never open in it, and one first seen at the week's end belongs to the next week.`,
    constant: { name: 'OPEN_IN_WEEK_SQL', value: OPEN_IN_WEEK_SQL.replace(/\s+/g, ' ') },
    file: 'src/stats/snapshot-sql.ts',
  },
  {
    id: 'touching-intervals',
    title: 'Touching intervals overlap',
    rule:
      `Two weeks' 95% intervals of the median (kept from ${MIN_DISCLOSED_FOR_CI} disclosed salaries) overlap when each one's lower end is at or below the other's upper end, so intervals that only touch (one ends exactly where the other starts) overlap. ` +
      `Overlapping intervals are never called apart: a comparison then says "no clear difference", and a week's move is not marked as beyond the intervals' noise (the headline itself rests on the like-for-like change).`,
    constant: { name: 'MIN_DISCLOSED_FOR_CI', value: String(MIN_DISCLOSED_FOR_CI) },
    file: 'src/stats/diff.ts',
  },
  {
    id: 'skill-names',
    title: 'Skill display names',
    rule:
      `A skill in the dictionary (${SKILLS.length} skills) always shows in the dictionary's spelling (dbt, spaCy, PyTorch), whatever a feed wrote. ` +
      `Any other skill keeps the feed's spelling (trimmed, never re-capitalised), and each week shows the spelling most of that week's postings use.`,
    constant: { name: 'SKILLS', value: `${SKILLS.length} skills` },
    file: 'src/postings/skills.ts',
  },
  {
    id: 'no-postings',
    title: 'Roles with no postings',
    rule:
      `A tracked role with no open postings in a week has no remote share (0 of 0 is not 0%): it is stored as null, pages print "${NO_POSTINGS}" in its place and the command line's table leaves it blank on a row that says "${NO_POSTINGS} this week". ` +
      `Such a role never gets a remote pick and has no remote change from the week before.`,
    constant: { name: 'NO_POSTINGS', value: JSON.stringify(NO_POSTINGS) },
    file: 'src/stats/figures.ts',
  },
  {
    id: 'pair-order',
    title: 'Canonical pair order',
    rule:
      `A comparison's address and title put first the role listed first in the role catalog (/compare/${firstRoles[0]}-vs-${firstRoles[1]}), and the other order answers with a permanent redirect (301) to it. ` +
      `Catalog order needs no data, so a link in a digest keeps its address from week to week.`,
    constant: { name: 'ROLES', value: `catalog order: ${ROLES.map((r) => r.slug).join(', ')}` },
    file: 'src/compare/canonical-pair.ts',
  },
];

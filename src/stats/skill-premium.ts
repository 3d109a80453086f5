// Skill premium (docs/methodology.md): for each of a role's top skills, the
// median pay of the role's postings this week that list the skill against
// the median of those that do not, within the role; the difference with a
// seeded bootstrap 95% interval (each side resampled on its own) and n on
// both sides. It describes postings, not what a skill does to pay. Also the
// reading of the snapshot scan's names into per-posting skills. Pure.
import { drawMedian, LITERAL_MAX_N, percentileInterval } from './bootstrap.ts';
import { METHOD, type Method } from './method.ts';
import { firstAtLeast, percentileCont } from './percentile.ts';
import { createRng } from './rng.ts';
import { TOP_SKILLS } from './types.ts';
import type { IdTally } from './name-tally.ts';

// One bit per top skill in a Uint8Array mask.
if (TOP_SKILLS > 8) throw new Error('skill premium masks hold 8 skills');

export interface SkillPremium {
  skill: string;
  /** Disclosed postings listing the skill: n and median (null when n < METHOD.minDisclosedForPay). */
  with: { n: number; median: number | null };
  /** Disclosed postings of the role not listing it. */
  without: { n: number; median: number | null };
  /** Median with minus median without, USD a year; null when either median is. */
  premium: number | null;
  /** Bootstrap 95% interval of `premium`; null when either side has fewer than METHOD.minDisclosedForCi. */
  ci: [number, number] | null;
}

/** A role's disclosed postings this week: pay, and bit j set when the posting lists skill j. */
export interface SkillPays {
  pays: Float64Array;
  masks: Uint8Array;
  /** The same pays sorted, when the caller has them (the snapshot's role sample): saves a sort. */
  sorted?: Float64Array;
}

/** The premium of each skill (bit j of the masks is skills[j]); `seed` (e.g. "2026-W47/mlops-engineer") fixes the draws. */
export function skillPremiums(skills: readonly string[], input: SkillPays, seed: string, method: Method = METHOD): SkillPremium[] {
  const { pays, masks } = input;
  const n = pays.length;
  // The pays in order, each with its posting's mask, so every split below comes out sorted (one sort, not 16).
  const sorted = input.sorted?.length === n ? input.sorted : Float64Array.from(pays).sort();
  const start = new Int32Array(n + 1);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) start[(rank[i] = firstAtLeast(sorted, pays[i]!)) + 1]!++;
  for (let r = 0; r < n; r++) start[r + 1]! += start[r]!;
  const sortedMasks = new Uint8Array(n);
  for (let i = 0; i < n; i++) sortedMasks[start[rank[i]!]!++] = masks[i]!;

  const scratch = new Float64Array(LITERAL_MAX_N);
  // Postings listing each skill, counted in one pass for all of them.
  const counts = new Int32Array(8);
  for (let i = 0; i < n; i++) for (let m = sortedMasks[i]!, j = 0; m !== 0; m >>= 1, j++) counts[j]! += m & 1;
  return skills.map((skill, j) => {
    const bit = 1 << j;
    const nWith = counts[j]!;
    const withPays = new Float64Array(nWith);
    const withoutPays = new Float64Array(n - nWith);
    for (let i = 0, a = 0, b = 0; i < n; i++) {
      if (sortedMasks[i]! & bit) withPays[a++] = sorted[i]!;
      else withoutPays[b++] = sorted[i]!;
    }
    const side = (s: Float64Array) => ({ n: s.length, median: s.length >= method.minDisclosedForPay ? percentileCont(s, 0.5) : null });
    const w = side(withPays);
    const wo = side(withoutPays);
    const premium = w.median !== null && wo.median !== null ? w.median - wo.median : null;
    let ci: [number, number] | null = null;
    if (premium !== null && w.n >= method.minDisclosedForCi && wo.n >= method.minDisclosedForCi) {
      const rng = createRng(`${method.bootstrapSeed}:${seed}:skill:${skill}`);
      const draws = new Float64Array(method.bootstrapDraws);
      for (let b = 0; b < draws.length; b++) draws[b] = drawMedian(withPays, rng, scratch) - drawMedian(withoutPays, rng, scratch);
      ci = percentileInterval(draws, method.confidence);
    }
    return { skill, with: w, without: wo, premium, ci };
  });
}

/**
 * Each disclosed posting of one role: its pay and skill ids, gathered in the
 * same walk over the scan's names that counts the top lists
 * (addNamesAndSkills), so the premium needs no second pass over the postings.
 */
export class DisclosedSkills {
  private ids = new Int32Array(1 << 12);
  private nIds = 0;
  private ends = new Int32Array(1 << 10);
  private pays = new Float64Array(1 << 10);
  private n = 0;

  pushId(id: number): void {
    if (this.nIds === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.nIds++] = id;
  }

  endPosting(pay: number): void {
    if (this.n === this.pays.length) {
      const ends = new Int32Array(this.n * 2);
      ends.set(this.ends);
      this.ends = ends;
      const pays = new Float64Array(this.n * 2);
      pays.set(this.pays);
      this.pays = pays;
    }
    this.ends[this.n] = this.nIds;
    this.pays[this.n++] = pay;
  }

  /** Pays and masks; `bitOf[id]` is the bits of the skills a name id counts for. */
  masks(bitOf: Uint8Array): SkillPays {
    const masks = new Uint8Array(this.n);
    for (let p = 0, i = 0; p < this.n; p++) {
      let mask = 0;
      for (const end = this.ends[p]!; i < end; i++) {
        const id = this.ids[i]!;
        if (id < bitOf.length) mask |= bitOf[id]!;
      }
      masks[p] = mask;
    }
    return { pays: this.pays.slice(0, this.n), masks };
  }
}

/**
 * addNames (name-tally.ts) that also gathers each disclosed posting's skills
 * into `out`: in the scan's names the separator before a posting is ':' when
 * it discloses pay and ';' when not; the first posting has none and discloses
 * pay when the marks are one fewer than the row's pays (`values`, in the same
 * order as the postings).
 */
export function addNamesAndSkills(names: string, values: Float64Array | null | undefined, companies: IdTally, skills: IdTally, out: DisclosedSkills): void {
  const pays = values?.length ?? 0;
  let marks = 0;
  for (let i = names.indexOf(':'); i >= 0; i = names.indexOf(':', i + 1)) marks++;
  if (marks !== pays && marks !== pays - 1) throw new Error(`scan row has ${pays} pays but ${marks} disclosed postings after the first`);
  let disclosed = marks < pays;
  let k = 0;
  let id = 0;
  let first = true;
  for (let i = 0; i <= names.length; i++) {
    const c = i < names.length ? names.charCodeAt(i) : 59;
    if (c === 44 || c === 58 || c === 59) {
      if (!first) {
        skills.add(id);
        if (disclosed) out.pushId(id);
      } else if (id !== 0) companies.add(id);
      first = c !== 44;
      id = 0;
      if (c === 44) continue;
      // The end of a posting: c is the separator before the next one.
      if (disclosed) out.endPosting(values![k++]!);
      disclosed = c === 58;
    } else {
      id = id * 10 + (c - 48);
    }
  }
}

/** Each role's premiums for its top skills; `idsOf` names the ids behind each listed skill. */
export function roleSkillPremiums(
  week: string,
  topSkills: ReadonlyMap<string, readonly { name: string }[]>,
  disclosed: ReadonlyMap<string, DisclosedSkills>,
  idsOf: ReadonlyMap<string, readonly number[]>,
  sortedPays?: ReadonlyMap<string, Float64Array>,
): Map<string, SkillPremium[]> {
  const out = new Map<string, SkillPremium[]>();
  for (const [role, top] of topSkills) {
    const skills = top.map((s) => s.name).slice(0, TOP_SKILLS);
    let max = 0;
    for (const s of skills) for (const id of idsOf.get(s) ?? []) max = Math.max(max, id);
    const bitOf = new Uint8Array(max + 1);
    skills.forEach((s, j) => {
      for (const id of idsOf.get(s) ?? []) bitOf[id]! |= 1 << j;
    });
    const pays: SkillPays = { ...(disclosed.get(role) ?? new DisclosedSkills()).masks(bitOf), sorted: sortedPays?.get(role) };
    out.set(role, skills.length > 0 ? skillPremiums(skills, pays, `${week}/${role}`) : []);
  }
  return out;
}

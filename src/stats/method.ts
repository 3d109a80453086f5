// Every constant of the statistical method, in one place: the code reads
// them from here and the /methodology page prints them from here, so the
// page cannot drift from what runs (docs/methodology.md explains them).
import { MIN_DISCLOSED_FOR_CI, MIN_DISCLOSED_FOR_PAY } from './types.ts';

export interface Method {
  /** Fewer disclosed pays than this: no pay figures ("not enough data"). */
  minDisclosedForPay: number;
  /** Fewer than this: no 95% interval of the median. */
  minDisclosedForCi: number;
  /** Confidence level of every interval, as a fraction. */
  confidence: number;
  /** A like-for-like cell needs this many disclosed pays in both weeks, else it is left out (and counted). */
  lflMinCellN: number;
  /** Cells are split by metro too only when every such cell keeps this many disclosed pays in both weeks. */
  lflMetroMinCellN: number;
  /** Bootstrap draws behind each like-for-like and skill-premium interval. */
  bootstrapDraws: number;
  /** The bootstrap's seed: with the week and role, it fixes every draw. */
  bootstrapSeed: string;
  /** A claim resting on fewer postings than this on either side is a small sample: shown, marked, never a headline, mover or featured reason. */
  smallSampleN: number;
  /** A raw median move this large (percent) with no like-for-like move gets a sentence naming the mix shift. */
  rawMoveMinPct: number;
  /** Roles with fewer disclosed pays than this in a week are shown over a rolling window. */
  windowMinDisclosed: number;
  /** Length of that window, in weeks. */
  windowWeeks: number;
  /** Year-over-year change appears once this many weeks are tracked. */
  yoyWeeks: number;
  /** Median by metro: metros with at least this many disclosed pays. */
  metroMedianMinN: number;
}

export const METHOD: Method = {
  minDisclosedForPay: MIN_DISCLOSED_FOR_PAY,
  minDisclosedForCi: MIN_DISCLOSED_FOR_CI,
  confidence: 0.95,
  lflMinCellN: 5,
  lflMetroMinCellN: 15,
  bootstrapDraws: 1000,
  bootstrapSeed: 'salary-trends-digest/v1',
  smallSampleN: 30,
  rawMoveMinPct: 2,
  windowMinDisclosed: 15,
  windowWeeks: 4,
  yoyWeeks: 52,
  metroMedianMinN: 15,
};

/** True when either side of a claim rests on fewer than METHOD.smallSampleN postings. */
export function isSmallSample(...ns: readonly number[]): boolean {
  return ns.some((n) => n < METHOD.smallSampleN);
}

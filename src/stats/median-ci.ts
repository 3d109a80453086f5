// The 95% distribution-free confidence interval of a median from order
// statistics. With n values, the count of values below the true median is
// binomial(n, 1/2), so [X_(l), X_(u)] with u = n + 1 - l covers the median with
// probability 1 - 2 * P(B <= l - 1). We take the largest l (the narrowest
// symmetric interval) for which that coverage is still >= 95%, summing the
// exact binomial tail for every n. Pure.
import { MIN_DISCLOSED_FOR_CI } from './types.ts';

const ALPHA_HALF = 0.025;

export interface CiRanks {
  /** 1-based rank of the lower order statistic. */
  lower: number;
  /** 1-based rank of the upper order statistic (n + 1 - lower). */
  upper: number;
}

/** Ranks of the 95% median interval for a sample of `n`, or undefined when n < MIN_DISCLOSED_FOR_CI (15). */
export function medianCiRanks(n: number): CiRanks | undefined {
  if (!Number.isInteger(n) || n < MIN_DISCLOSED_FOR_CI) return undefined;
  const lower = exactLowerRank(n);
  return { lower, upper: n + 1 - lower };
}

/**
 * Largest l with P(B <= l - 1) <= 0.025 for B ~ binomial(n, 1/2), summing the
 * lower tail term by term in log space (2^-n underflows a double from n = 1075
 * on). About n/2 steps: 2 ms at n = 60,000, 30 ms at n = 1,000,000.
 */
export function exactLowerRank(n: number): number {
  const logHalfN = -n * Math.LN2;
  const logAlpha = Math.log(ALPHA_HALF);
  let logC = 0; // log C(n, 0)
  let logTail = logC + logHalfN; // log P(B <= 0)
  let k = 0; // logTail = log P(B <= k)
  // P(B <= k) <= 0.025 means l = k + 1 is still allowed; stop at the first k that is not.
  while (logTail <= logAlpha) {
    k += 1;
    logC += Math.log(n - k + 1) - Math.log(k);
    logTail = logAddExp(logTail, logC + logHalfN);
  }
  // P(B <= k) > 0.025 but P(B <= k - 1) <= 0.025: l - 1 = k - 1.
  return Math.max(k, 1);
}

/** The interval [low, high] from values sorted ascending, or undefined when fewer than 15. */
export function medianCi(sortedValues: readonly number[]): [number, number] | undefined {
  const ranks = medianCiRanks(sortedValues.length);
  if (!ranks) return undefined;
  return [sortedValues[ranks.lower - 1]!, sortedValues[ranks.upper - 1]!];
}

function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  if (m === -Infinity) return m;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

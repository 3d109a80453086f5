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
 * Largest l with P(B <= l - 1) <= 0.025 for B ~ binomial(n, 1/2). The tail is
 * summed term by term in plain doubles, rescaled as it grows (a multiply and
 * an add a step); only when that sum lands within 1e-7 of the 2.5% line, which
 * its rounding could cross, is the answer taken from the log-space sum
 * (logSpaceLowerRank), so the rank is always the one that sum gives.
 */
export function exactLowerRank(n: number): number {
  const logAlpha = Math.log(ALPHA_HALF);
  // term and tail are C(n, k) 2^-n and P(B <= k), each divided by e^shift.
  let shift = -n * Math.LN2;
  let limit = Math.exp(logAlpha - shift); // the 2.5% line on that scale (Infinity until it fits)
  let term = 1;
  let tail = 1;
  let k = 0;
  let below = 0; // the tail at k - 1
  while (tail <= limit) {
    k += 1;
    below = tail;
    term *= (n - k + 1) / k;
    tail += term;
    if (tail > 1e280) {
      term /= 1e280;
      tail /= 1e280;
      below /= 1e280;
      shift += RESCALE_LOG;
      limit = Math.exp(logAlpha - shift);
    }
  }
  const margin = 1e-7 * limit;
  if (tail - limit > margin && (k === 0 || limit - below > margin)) return Math.max(k, 1);
  return logSpaceLowerRank(n);
}

const RESCALE_LOG = Math.log(1e280);

/**
 * exactLowerRank summed in log space (2^-n underflows a double from n = 1075
 * on): about n/2 steps of two exp and three log, 30 ms at n = 1,000,000.
 */
export function logSpaceLowerRank(n: number): number {
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

// The 95% distribution-free confidence interval of a median from order
// statistics. With n values, the count of values below the true median is
// binomial(n, 1/2), so [X_(l), X_(u)] with u = n + 1 - l covers the median with
// probability 1 - 2 * P(B <= l - 1). We take the largest l (the narrowest
// symmetric interval) for which that coverage is still >= 95%. Pure.

/** Smallest sample the stats give an interval for (stored only when disclosed >= 15). */
export const MEDIAN_CI_MIN_N = 15;

/** Up to this n the ranks come from the exact binomial sum; above it, the normal approximation. */
export const MEDIAN_CI_EXACT_MAX_N = 10_000;

const ALPHA_HALF = 0.025;
// Φ⁻¹(0.975).
const Z_975 = 1.959963984540054;

export interface CiRanks {
  /** 1-based rank of the lower order statistic. */
  lower: number;
  /** 1-based rank of the upper order statistic (n + 1 - lower). */
  upper: number;
}

/** Ranks of the 95% median interval for a sample of `n`, or undefined when n < 15. */
export function medianCiRanks(n: number): CiRanks | undefined {
  if (!Number.isInteger(n) || n < MEDIAN_CI_MIN_N) return undefined;
  const lower = n <= MEDIAN_CI_EXACT_MAX_N ? exactLowerRank(n) : approxLowerRank(n);
  return { lower, upper: n + 1 - lower };
}

/**
 * Largest l with P(B <= l - 1) <= 0.025 for B ~ binomial(n, 1/2), summing the
 * lower tail in log space (2^-n underflows a double from n = 1075 on).
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

/**
 * The same rank from a normal approximation: the continuity-corrected
 * Edgeworth expansion of the binomial(n, 1/2) lower tail,
 * P(B <= k) ≈ Φ(z) + φ(z) (z³ - z) / (12n), z = (k + 1/2 - n/2) / (√n / 2)
 * (kurtosis term (z³ - 3z)/(12n) plus the lattice term z/(6n); error O(1/n²)).
 * The plain Φ(z) is one rank too wide about once per 500 n at n ≈ 10,000.
 */
export function approxLowerRank(n: number): number {
  let l = Math.max(1, Math.floor(n / 2 + 0.5 - (Z_975 * Math.sqrt(n)) / 2));
  while (l > 1 && approxLowerTail(n, l - 1) > ALPHA_HALF) l -= 1;
  while (approxLowerTail(n, l) <= ALPHA_HALF) l += 1;
  return l;
}

/** P(B <= k) for B ~ binomial(n, 1/2), from the expansion above. */
export function approxLowerTail(n: number, k: number): number {
  const z = (k + 0.5 - n / 2) / (Math.sqrt(n) / 2);
  const phi = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
  return normalCdf(z) + (phi * (z * z * z - z)) / (12 * n);
}

/** Φ(z) from the Taylor series of erf, accurate to ~1e-15 for |z| < 4 (we use z ≈ -1.96). */
function normalCdf(z: number): number {
  if (z < -8) return 0;
  if (z > 8) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  if (x > 3) {
    // Continued fraction for erfc, fine out here (never reached for our z).
    let f = 0;
    for (let i = 60; i >= 1; i--) f = (i / 2) / (x + f);
    const erfc = Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + f);
    return z < 0 ? erfc / 2 : 1 - erfc / 2;
  }
  let term = x;
  let sum = x;
  for (let i = 1; i < 200; i++) {
    term *= (-x * x) / i;
    const add = term / (2 * i + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  const erf = (2 / Math.sqrt(Math.PI)) * sum;
  return z < 0 ? (1 - erf) / 2 : (1 + erf) / 2;
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

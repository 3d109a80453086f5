// Checks the delivery tests share, on what the fake Resend server recorded:
// one message per recipient, the one rate limit all processes share,
// retry-after honoured, and how the requests split over processes (each
// process sends its own RESEND_USER_AGENT, which the fake records).
import { expect } from 'vitest';
import { maxInWindow, type FakeResend, type RequestRecord } from './fake-resend.ts';

/** The provider accepted exactly one message for each of `recipients` addresses. */
export function expectExactlyOnce(fake: FakeResend, recipients: number): void {
  const counts = fake.countsByRecipient();
  expect(counts.size).toBe(recipients);
  expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
}

/**
 * No one-second window (sliding, by arrival at the fake) holds more than
 * `rate` requests, nor any five-second window more than 5 x `rate`. The
 * limiter spaces slots 4% wider than 1/rate, which is all the tolerance there
 * is by default: timer lateness must not add a request. `jitterMs` allows
 * requests to arrive that much later than their slot (a CPU-starved machine):
 * each window may then hold the rate x jitterMs more a slip can push into it,
 * while a process sending faster than the rate still overshoots the
 * five-second bound.
 */
export function expectWithinRate(fake: FakeResend, rate: number, opts: { jitterMs?: number } = {}): void {
  const times = fake.requests.map((r) => r.at);
  const slip = Math.ceil((rate * (opts.jitterMs ?? 0)) / 1000);
  expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(rate + slip);
  expect(maxInWindow(times, 5000)).toBeLessThanOrEqual(5 * rate + slip);
}

/** After a 429 nobody sends until retry-after has passed (one already on its way may land within 200 ms). */
export function expectRetryAfterHonoured(fake: FakeResend, retryAfterSeconds: number): void {
  const early = fake.requests
    .filter((r) => r.outcome === '429')
    .flatMap((limited) => fake.requests.filter((r) => r.at > limited.at + 200 && r.at < limited.at + retryAfterSeconds * 1000 - 20));
  expect(early).toEqual([]);
}

/** Requests per User-Agent (that is, per process), counting only `outcomes`. */
export function requestsByAgent(fake: FakeResend, outcomes: RequestRecord['outcome'][] = ['accepted']): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of fake.requests) if (outcomes.includes(r.outcome)) m.set(r.agent, (m.get(r.agent) ?? 0) + 1);
  return m;
}

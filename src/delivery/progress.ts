// Progress of `digest send`: a bar redrawn in place on a terminal, one plain
// line a second otherwise (logs, CI), through the CLI's progress printer.
import { progressPrinter, type ProgressOutput } from '../progress.ts';
import type { IssueProgress } from './ledger.ts';

export interface ProgressReporter {
  update(p: IssueProgress): void;
  done(p: IssueProgress): void;
}

export function formatProgress(p: IssueProgress, ratePerSec: number, width = 24): { bar: string; line: string } {
  const finished = p.sent + p.failed + p.suppressed;
  const remaining = p.queued + p.sending;
  const share = p.total === 0 ? 1 : finished / p.total;
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)
    .toString()
    .padStart(3)}%`;
  const n = (x: number) => x.toLocaleString('en-US');
  const line =
    `${n(p.sent)}/${n(p.total)} sent, ${n(p.failed)} failed, ${n(p.suppressed)} suppressed, ` +
    `${n(remaining)} remaining, ${ratePerSec.toFixed(1)}/s`;
  return { bar, line };
}

export function createProgressReporter(out: ProgressOutput, now: () => number = Date.now): ProgressReporter {
  const printer = progressPrinter(out, { now });
  const started = now();
  let lastDone = 0;
  let lastAt = started;
  let rate = 0;

  function measure(p: IssueProgress): void {
    const t = now();
    const finished = p.sent + p.failed;
    if (t - lastAt >= 1000) {
      rate = ((finished - lastDone) * 1000) / (t - lastAt);
      lastDone = finished;
      lastAt = t;
    } else if (rate === 0 && t > started) {
      rate = (finished * 1000) / Math.max(1, t - started);
    }
  }

  return {
    update(p) {
      measure(p);
      const { bar, line } = formatProgress(p, rate);
      printer.update(printer.tty ? `${bar} ${line}` : `send: ${line}`);
    },
    done(p) {
      const seconds = Math.max(0.001, (now() - started) / 1000);
      const { bar, line } = formatProgress(p, (p.sent + p.failed) / seconds);
      printer.done(printer.tty ? `${bar} ${line}` : `send: done: ${line}`);
    },
  };
}

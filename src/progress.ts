// The one progress printer of the command line (ingest, demo-data, send,
// crawl) and of the human log lines: on a terminal the current line is
// redrawn in place; elsewhere (logs, CI) it is printed as plain lines, at
// most one every `everyMs`, so a captured output stays short and readable.
// Hand-written: a dozen lines, where a progress-bar package would bring its
// own rendering and options for what is one redrawn line.

export interface ProgressOutput {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressPrinter {
  /** True when the output is a terminal (lines are redrawn, not added). */
  readonly tty: boolean;
  /** The current state: redrawn on a terminal; elsewhere printed when `everyMs` has passed since the last printed one. */
  update(text: string): void;
  /**
   * The end of this run of updates. On a terminal `text` replaces the moving
   * line and stays, and without `text` the line is cleared; elsewhere `text`
   * (if any) is printed. The next update is printed at once.
   */
  done(text?: string): void;
}

/** Clears the terminal line the cursor is on and goes back to its start. */
const CLEAR_LINE = '\r\x1b[2K';

export function progressPrinter(out: ProgressOutput = process.stderr, opts: { now?: () => number; everyMs?: number } = {}): ProgressPrinter {
  const tty = out.isTTY === true;
  const now = opts.now ?? Date.now;
  const everyMs = opts.everyMs ?? 1000;
  const fit = (text: string) => text.slice(0, out.columns ?? 120);
  let lastPrinted = -Infinity;
  let drawn = false;
  return {
    tty,
    update(text) {
      if (tty) {
        out.write(`${CLEAR_LINE}${fit(text)}`);
        drawn = true;
      } else if (now() - lastPrinted >= everyMs) {
        lastPrinted = now();
        out.write(`${text}\n`);
      }
    },
    done(text) {
      if (tty) {
        if (text !== undefined) out.write(`${CLEAR_LINE}${text}\n`); // whole: a kept line may wrap
        else if (drawn) out.write(CLEAR_LINE);
        drawn = false;
      } else if (text !== undefined) out.write(`${text}\n`);
      lastPrinted = -Infinity;
    },
  };
}

// One pino logger per process. Log lines name their event (`digest.batch.failed`)
// so alerts can match them. On a terminal (or LOG_FORMAT=human) a person reads
// short lines instead: the few events that say what the service is doing,
// warnings and errors; everything else stays in the JSON format for machines.
import pino from 'pino';
import type { Config } from './config.ts';
import { progressPrinter } from './progress.ts';

export type Logger = pino.Logger;

export type LogFormat = 'auto' | 'json' | 'human';

/** The events a person watching `npm start` sees in human format, with the line each prints (default: the message). */
const HUMAN_EVENTS: Record<string, ((e: Record<string, unknown>) => string) | true> = {
  'demo.loading': true,
  'demo.progress': true,
  'demo.loaded': true,
  'demo.retry': true,
  'demo.digest.composing': true,
  'demo.failed': true,
  'digest.weekly.composed': (e) => `composing the ${e.week} digest: done (issue ${e.issueId})`,
  'digest.weekly.enqueued': (e) => `sending the ${e.week} digest to ${e.recipients} reader(s)`,
  'digest.issue.sent': true,
  'demo.digest.ready': true,
  'service.stopping': true,
  'service.stopped': true,
  'config.warning': true,
};

/** Whether logs print for people: LOG_FORMAT=human, or `auto` when stdout is a terminal. */
export function humanLogs(format: LogFormat | undefined, stdoutIsTty = Boolean(process.stdout.isTTY)): boolean {
  return format === 'human' || ((format ?? 'auto') === 'auto' && stdoutIsTty);
}

/** One JSON log line as a person reads it, or undefined when it is left out. */
export function humanLine(json: string): string | undefined {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = typeof e.level === 'number' ? e.level : 30;
  const msg = String(e.msg ?? '');
  if (level >= 50) return `error: ${msg}${typeof e.err === 'string' ? ` (${e.err})` : ''}`;
  if (level >= 40) return `warning: ${msg}`;
  const shape = HUMAN_EVENTS[String(e.event)];
  if (!shape) return undefined;
  return shape === true ? msg : shape(e);
}

export function createLogger(config: Pick<Config, 'logLevel'> & { logFormat?: LogFormat }): Logger {
  if (!humanLogs(config.logFormat)) return pino({ level: config.logLevel, base: undefined });
  // Loading progress overwrites itself on a terminal, so it shows as one moving line; every line is printed elsewhere.
  const progress = progressPrinter(process.stdout, { everyMs: 0 });
  return pino(
    { level: config.logLevel, base: undefined },
    {
      write(chunk: string) {
        const line = humanLine(chunk);
        if (line === undefined) return;
        if (chunk.includes('"event":"demo.progress"')) progress.update(line);
        else progress.done(line);
      },
    },
  );
}

// One pino logger per process. Log lines name their event (`digest.batch.failed`)
// so alerts can match them.
import pino from 'pino';
import type { Config } from './config.ts';

export type Logger = pino.Logger;

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: undefined });
}

// Chromium for browser tests: the one the run's global setup found
// (CHROMIUM_PATH, else a system Chromium, else @sparticuz/chromium's; see
// test/support/chromium-path.ts), started the way a closed network needs: no
// background networking, no sync.
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from './chromium-path.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots go here (ignored by git). */
export const SHOTS = path.resolve(import.meta.dirname, '../e2e/__screenshots__');

export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  return chromium.launch({ executablePath: found.path, args: CHROMIUM_ARGS, env: { ...process.env, ...found.env } as Record<string, string> });
}

// Which Chromium the browser tests drive: CHROMIUM_PATH when set; else a
// system Chromium (the paths in TEST_SYSTEM_CHROMIUM, colon-separated, default
// Debian's and the usual others; set it empty to ignore them); else the binary
// shipped in the @sparticuz/chromium npm package, which it decompresses into
// the temporary directory on first use. So browser tests need no apt.
import { accessSync, constants, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DEFAULT_SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/snap/bin/chromium'];

export interface FoundChromium {
  path: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  /** Extra environment for the browser process. */
  env: Record<string, string>;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  if (env.CHROMIUM_PATH) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH', env: {} };
  const candidates = env.TEST_SYSTEM_CHROMIUM !== undefined ? env.TEST_SYSTEM_CHROMIUM.split(':').filter(Boolean) : DEFAULT_SYSTEM_CHROMIUM;
  const system = candidates.find(executable);
  if (system) return { path: system, source: 'system', env: {} };
  const { default: sparticuz } = await import('@sparticuz/chromium');
  const exe = await sparticuz.executablePath();
  // Its fonts.conf names <tmp>/fonts, where it unpacked Open Sans: used only when the machine has no fontconfig of its own.
  const fonts = path.join(tmpdir(), 'fonts');
  const extra: Record<string, string> = !existsSync('/etc/fonts/fonts.conf') && existsSync(path.join(fonts, 'fonts.conf')) ? { FONTCONFIG_PATH: fonts } : {};
  return { path: exe, source: '@sparticuz/chromium', env: extra };
}

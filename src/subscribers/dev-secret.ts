// The secret that signs links. In production SECRET is required (config.ts
// refuses to start without it); elsewhere, when it is unset, one is generated
// once into DATA_DIR/secret (mode 0600) and reused, so links in mails already
// sent keep working across restarts of a local run.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SecretSource {
  secret: string | undefined;
  production: boolean;
  dataDir: string;
}

export function resolveSecret(config: SecretSource): string {
  if (config.secret) return config.secret;
  if (config.production) throw new Error('SECRET: required when NODE_ENV=production');
  const dir = path.resolve(config.dataDir);
  const file = path.join(dir, 'secret');
  const existing = readSecretFile(file);
  if (existing !== undefined) return existing;
  mkdirSync(dir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // `wx`: if another process wrote it first, use theirs.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = readSecretFile(file);
    if (theirs === undefined) throw new Error(`${file} exists but holds no usable secret (at least 32 characters); delete it or set SECRET`);
    return theirs;
  }
}

function readSecretFile(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const secret = text.trim();
  if (secret.length < 32) return undefined;
  // Keep it private even if someone loosened the mode.
  try {
    chmodSync(file, 0o600);
  } catch {
    // Not ours to change (read-only mount): reading it is still fine.
  }
  return secret;
}

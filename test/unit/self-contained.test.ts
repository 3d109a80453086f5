// The repository stands on its own: no file in it (code, tests, README,
// docs, comments, scripts) reads or names a place outside it, such as the
// development machine's shared folder beside it or an absolute path on it. The
// files are git's (tracked, plus new ones not ignored), or, outside a git
// checkout, every file but node_modules and what .gitignore names.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

// Built from pieces, so this file does not name them itself.
const SHARED = ['..', 'shared'].join('/');
const FORBIDDEN: { what: string; pattern: RegExp }[] = [
  { what: `the sibling folder ${SHARED}`, pattern: new RegExp(escape(SHARED)) },
  { what: 'the shared seeds', pattern: new RegExp(escape(['shared', 'seeds'].join('/'))) },
  { what: 'the shared reference', pattern: new RegExp(escape(['shared', 'reference'].join('/'))) },
  { what: 'the design notes (docs/ holds what users need)', pattern: new RegExp(escape(['DESIGN', 'md'].join('.'))) },
  { what: "this machine's work folder", pattern: new RegExp(escape(['', 'work', ''].join('/'))) },
  { what: 'a home directory', pattern: new RegExp(`(^|[\\s'"\`(=:])/(${['home', 'Users'].join('|')})/[A-Za-z]`) },
  { what: "root's home directory", pattern: new RegExp(`(^|[\\s'"\`(=:])/${'root'}/`) },
  ...(ROOT.length > 1 ? [{ what: 'this checkout by its absolute path', pattern: new RegExp(escape(ROOT)) }] : []),
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function gitFiles(): string[] | undefined {
  if (!existsSync(path.join(ROOT, '.git'))) return undefined;
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return out.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/** Outside git (a tarball, an export): every file but node_modules, .git and the top-level names .gitignore lists. */
function walkedFiles(): string[] {
  const ignored = new Set(['node_modules', '.git']);
  const gitignore = path.join(ROOT, '.gitignore');
  if (existsSync(gitignore)) {
    for (const line of readFileSync(gitignore, 'utf8').split('\n')) {
      const name = line.trim().replace(/^\//, '').replace(/\/$/, '');
      if (name && !name.startsWith('#') && !name.includes('*')) ignored.add(name);
    }
  }
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (ignored.has(child) || ignored.has(entry.name)) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && !entry.name.endsWith('.log')) out.push(child);
    }
  };
  walk('');
  return out;
}

export function repositoryFiles(): string[] {
  return (gitFiles() ?? walkedFiles()).filter((f) => existsSync(path.join(ROOT, f)) && statSync(path.join(ROOT, f)).isFile());
}

describe('the repository stands on its own', () => {
  const files = repositoryFiles();

  it('finds the files to check', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files).toContain('test/unit/self-contained.test.ts');
    expect(files.some((f) => f.startsWith('node_modules/'))).toBe(false);
  });

  it('no file names a place outside the repository', () => {
    const found: string[] = [];
    for (const file of files) {
      const buf = readFileSync(path.join(ROOT, file));
      if (buf.includes(0)) continue; // binary
      const lines = buf.toString('utf8').split('\n');
      lines.forEach((line, i) => {
        for (const f of FORBIDDEN) if (f.pattern.test(line)) found.push(`${file}:${i + 1}: names ${f.what}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('the patterns catch what they are for', () => {
    const hits = (text: string) => FORBIDDEN.filter((f) => f.pattern.test(text)).map((f) => f.what);
    expect(hits(`import figures from '${SHARED}/reference/seed-figures.json'`).length).toBeGreaterThan(0);
    expect(hits(`see ${['DESIGN', 'md'].join('.')} (Stats)`)).toHaveLength(1);
    expect(hits(`cd ${['', 'work', 'elsewhere'].join('/')}`)).toHaveLength(1);
    expect(hits(`HOME=${['', 'home', 'dev'].join('/')}`)).toHaveLength(1);
    expect(hits(`open ${path.join(ROOT, 'README.md')}`).length).toBeGreaterThan(0);
    // Paths a test or script may legitimately name.
    expect(hits(`executablePath: '/usr/bin/chromium'; CA '/etc/ssl/certs/ca-certificates.crt'; /dev/tcp/127.0.0.1/5432; /tmp/x`)).toEqual([]);
    expect(hits(`see docs/methodology.md and ./shared-helpers.ts`)).toEqual([]);
  });
});

// A clean clone of this checkout's working tree, as a new user gets it: the
// working tree as a commit (a throwaway index; HEAD, the index and the tree
// are untouched, and uncommitted work is included), cloned into `dir` with
// git, so ignored files such as data/ and outbox/ are not carried over.
// node_modules is linked in and stands in for `npm install`.
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The working tree as a commit object; `work` holds the throwaway index. */
function snapshotCommit(work: string): string {
  const index = path.join(work, 'snapshot-index');
  const git = (args: string[]) =>
    execFileSync('git', args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, GIT_INDEX_FILE: index, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.test', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.test' },
    }).trim();
  git(['read-tree', 'HEAD']);
  git(['add', '-A']);
  const tree = git(['write-tree']);
  return git(['commit-tree', tree, '-p', 'HEAD', '-m', 'clean clone test: working tree']);
}

/** Clones the working tree into `work/clone` and links node_modules; returns the clone's path. */
export function cleanClone(work: string): string {
  const clone = path.join(work, 'clone');
  const commit = snapshotCommit(work);
  execFileSync('git', ['clone', '--quiet', '--no-checkout', ROOT, clone]);
  execFileSync('git', ['-C', clone, 'checkout', '--quiet', commit]);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  return clone;
}

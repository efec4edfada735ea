/**
 * The repository stands alone: nothing in it reads or links the team's shared folder
 * that sat beside it while it was built, and the Debian packages the tests need are
 * checked before any test runs, with the exact command to install the missing ones.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { asUser, ensureTestUser, REPO_ROOT } from '../helpers/tools.js';

test('no committed file names the shared folder beside the repository', () => {
  // The pattern is built so that this file does not match it.
  const pattern = ['\\.\\.', 'shared'].join('/');
  const grep = spawnSync('git', ['grep', '-n', '-E', pattern], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(grep.status, 1, `git grep found references (or failed):\n${grep.stdout}${grep.stderr}`);
});

test('the golden captures are in the repository, with their provenance', () => {
  const ls = spawnSync('git', ['ls-files', 'test/fixtures/golden'], { cwd: REPO_ROOT, encoding: 'utf8' });
  const files = ls.stdout.split('\n').filter(Boolean);
  assert.ok(files.includes('test/fixtures/golden/README.md'));
  assert.ok(files.filter((f) => f.endsWith('.hex')).length >= 89, `only ${files.length} files committed`);
});

test('a normal user missing a Debian package is told the exact apt-get line, at once', (t) => {
  const user = ensureTestUser();
  const dir = mkdtempSync(join(tmpdir(), 'debpkgs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const list = join(dir, 'packages.txt');
  writeFileSync(list, '# comment\ntmux\n\nvirtd-test-no-such-package  # why it is needed\n');
  chmodSync(list, 0o644);
  const script = join(REPO_ROOT, 'scripts', 'test-deps', 'ensure-debian-packages.sh');
  const [file, args] = asUser('bash', [script, list], user.name, {});
  const run = spawnSync(file, args, { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /^ {2}apt-get update && apt-get install -y --no-install-recommends virtd-test-no-such-package$/m);
  assert.doesNotMatch(run.stderr, /tmux/, 'installed packages are not listed');
});

test('the Debian package list the tests use is complete on this machine', () => {
  // npm test ran the same check before any test; here it must find nothing missing.
  const script = join(REPO_ROOT, 'scripts', 'test-deps', 'ensure-debian-packages.sh');
  const run = spawnSync('bash', [script], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(run.status, 0, run.stderr);
});

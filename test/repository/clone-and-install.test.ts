/**
 * As a new user gets the package: a git clone of the committed repository, alone in a
 * temporary directory (no shared folder beside it), installs and passes the rpc and
 * robustness suites; `npm pack` there gives a tarball holding a prebuilt addon for every
 * target in native/binding.gyp; and that tarball installs into a temporary prefix with no
 * compiler on PATH, where virt-admin-tui and virtd run, and a session `virtd libvirtd`
 * from it is what the real virt-admin lists.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawnVirtd, waitForListening } from '../helpers/spawn-virtd.js';
import { REPO_ROOT, runTool } from '../helpers/tools.js';

/**
 * The environment without the outer `npm test`'s npm_* settings (they would steer the inner
 * npm) and without node:test's NODE_TEST_CONTEXT (the inner runner would report to us in
 * its binary child protocol instead of printing its summary).
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && !['INIT_CWD', 'NODE_OPTIONS', 'NODE_TEST_CONTEXT'].includes(k)) env[k] = v;
  return { ...env, ...extra };
}

function run(cmd: string, args: string[], cwd: string, env = cleanEnv(), timeoutMs = 600_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r;
}

function addonTargets(root: string): string[] {
  const gyp = readFileSync(join(root, 'native', 'binding.gyp'), 'utf8').replace(/^\s*#.*$/gm, '');
  return (JSON.parse(gyp) as { targets: { target_name: string }[] }).targets.map((t) => t.target_name);
}

describe('a clone of the committed repository, alone, and its packed tarball', { timeout: 30 * 60_000 }, () => {
  let dir: string;
  let clone: string;
  let tarball: string;
  let prefix: string;
  let noCompilers: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtd-clone-'));
    // Some suites run daemons and peers as the unprivileged test user: it must read the clone.
    chmodSync(dir, 0o755);
    clone = join(dir, 'repo');
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    run('git', ['clone', '--quiet', '--no-checkout', REPO_ROOT, clone], dir);
    run('git', ['checkout', '--quiet', head], clone);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('nothing beside the clone: the shared folder the repository was built with is absent', () => {
    assert.equal(existsSync(join(clone, '..', 'shared')), false);
    assert.deepEqual(readdirSync(dir), ['repo']);
  });

  test('npm ci installs and builds it', () => {
    run('npm', ['ci', '--no-audit', '--no-fund'], clone);
    assert.ok(existsSync(join(clone, 'dist', 'bin', 'virtd.js')));
  });

  test('the rpc and robustness suites pass there', () => {
    const suites = ['rpc', 'robustness'].flatMap((s) =>
      readdirSync(join(clone, 'dist', 'test', s)).filter((f) => f.endsWith('.test.js')).map((f) => join('dist', 'test', s, f)),
    );
    const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...suites], { cwd: clone, env: cleanEnv(), encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
    const summary = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(r.stdout)?.[1] ?? -1);
    assert.equal(r.status, 0, failures(r.stdout));
    assert.ok(summary('pass') >= 100, `only ${summary('pass')} tests passed`);
    assert.equal(summary('fail'), 0);
  });

  test('npm pack holds a prebuilt addon for every target in binding.gyp', () => {
    mkdirSync(join(dir, 'pack'));
    const r = run('npm', ['pack', '--pack-destination', join(dir, 'pack')], clone);
    tarball = join(dir, 'pack', r.stdout.trim().split('\n').at(-1)!);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    const targets = addonTargets(clone);
    assert.ok(targets.length >= 5, `targets: ${targets.join(', ')}`);
    for (const t of targets) assert.ok(files.includes(`package/native/addons/${t}/prebuilds/linux-x64/${t}.napi.glibc.node`), `prebuilt ${t} in the tarball`);
    assert.ok(!files.some((f) => f.includes('/build/')), 'no build directory packed');
  });

  test('the tarball installs with no compiler on PATH', () => {
    noCompilers = join(dir, 'bin');
    mkdirSync(noCompilers);
    // npm runs package scripts with sh; a shell is no compiler.
    for (const tool of ['node', 'npm', 'sh']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(noCompilers, tool));
    for (const compiler of ['g++', 'gcc', 'cc', 'c++', 'make', 'python3', 'python']) {
      const found = spawnSync('sh', ['-c', `command -v ${compiler}`], { env: { PATH: noCompilers } });
      assert.notEqual(found.status, 0, `${compiler} must not be on the stripped PATH`);
    }
    prefix = join(dir, 'prefix');
    // Our install script is allowed to run: it must find the prebuilt addons and build nothing.
    const r = run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--allow-scripts=virt-admin-tui', '--foreground-scripts', tarball], dir, cleanEnv({ PATH: noCompilers }));
    const installed = join(prefix, 'lib', 'node_modules', 'virt-admin-tui');
    assert.match(r.stdout + r.stderr, /native addons: prebuilt for linux-x64, nothing to build/);
    for (const t of addonTargets(installed)) assert.equal(existsSync(join(installed, 'native', 'addons', t, 'build')), false, `${t} was not compiled`);
  });

  test('virt-admin-tui and virtd run from it; a session virtd libvirtd from it is listed by the real virt-admin', async (t) => {
    const env = { PATH: noCompilers, HOME: dir };
    const version = JSON.parse(readFileSync(join(clone, 'package.json'), 'utf8')).version as string;
    const tui = spawnSync(join(prefix, 'bin', 'virt-admin-tui'), ['--version'], { env, encoding: 'utf8' });
    assert.deepEqual([tui.status, tui.stdout], [0, `virt-admin-tui ${version} (libvirt protocol 9.0.0)\n`], tui.stderr);
    const virtd = spawnSync(join(prefix, 'bin', 'virtd'), ['--version'], { env, encoding: 'utf8' });
    assert.deepEqual([virtd.status, virtd.stdout], [0, `virtd ${version} (libvirt protocol 9.0.0)\n`], virtd.stderr);

    const runtime = mkdtempSync(join(dir, 'run-'));
    const trap = join(runtime, 'dlopen.txt');
    const daemon = spawnVirtd(['libvirtd', '--mode', 'session'], {
      ...env,
      XDG_RUNTIME_DIR: runtime,
      DLOPEN_TRAP_FILE: trap,
      NODE_OPTIONS: `--import=${join(REPO_ROOT, 'dist', 'test', 'helpers', 'dlopen-trap.js')}`,
    }, join(prefix, 'bin', 'virtd'));
    t.after(() => daemon.stop());
    const adminSocket = join(runtime, 'libvirt', 'libvirt-admin-sock');
    await waitForListening(daemon, adminSocket, 15000);
    const list = await runTool('virt-admin', ['-c', `libvirtd:///session?socket=${adminSocket}`, 'server-list'], { env: { HOME: dir } });
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ \d +libvirtd$/m);
    assert.match(list.stdout, /^ \d +admin$/m);
    // The daemon's addons are the prebuilt ones inside the installed package.
    const loaded = readFileSync(trap, 'utf8').split('\n').filter(Boolean);
    assert.ok(loaded.length > 0 && loaded.every((f) => f.startsWith(join(prefix, 'lib', 'node_modules', 'virt-admin-tui', 'native', 'addons')) && f.includes('/prebuilds/linux-x64/')), loaded.join('\n'));
  });
});

/** The failing subtests of a TAP report, each with its error block, and the summary. */
function failures(tap: string): string {
  const lines = tap.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (/^\s*not ok/.test(line)) out.push(...lines.slice(i, i + 24).filter((l, j) => j === 0 || !/^\s*(ok|not ok) /.test(l)));
    else if (/^# (tests|pass|fail) /.test(line)) out.push(line);
  });
  return out.join('\n');
}

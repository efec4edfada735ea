/**
 * Re-exec on SIGUSR1 when it cannot happen (daemons.md §10.3): the script or
 * Node is gone mid-upgrade, or execve itself fails; the daemon keeps serving
 * with everything it held (a log pipe, a call cut in half, its clients) and
 * says why. And a state file the daemon must not take over: another pid's,
 * a newer format's, garbage: a warning and a clean start, as libvirt does.
 * The successful re-execs are in test/interop/libvirtd-guest.test.ts, with
 * libvirtd and a guest as the clients.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, encodeCall, LogManager, MessageStatus, Program, PROGRAM_VERSION, logPosition, XdrReader, BODY_OFFSET } from '../../src/rpc/index.js';
import { encodeRestartState, RESTART_STATE_FORMAT, type RestartState } from '../../src/daemons/reexec/restart-state.js';
import { RawClient } from '../helpers/raw-client.js';
import { REPO_ROOT, runTool } from '../helpers/tools.js';
import { spawnVirtd, waitForSocket } from '../helpers/spawn-virtd.js';
import { startVirtd } from '../helpers/virtd.js';
import { until } from '../helpers/until.js';

/** A copy of the installed package that can be broken: its own Node (a link), script tree and addons. */
function packageCopy(dir: string): { node: string; nodeSpare: string; script: string; scriptSpare: string } {
  mkdirSync(join(dir, 'bin'));
  const node = join(dir, 'bin', 'node');
  try {
    linkSync(process.execPath, node);
  } catch {
    copyFileSync(process.execPath, node); // another file system
  }
  const nodeSpare = join(dir, 'bin', 'node.spare');
  linkSync(node, nodeSpare);
  const pkg = join(dir, 'pkg');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  cpSync(join(REPO_ROOT, 'dist', 'bin'), join(pkg, 'dist', 'bin'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'));
  symlinkSync(join(REPO_ROOT, 'native'), join(pkg, 'native'));
  const script = join(pkg, 'dist', 'bin', 'virtd.js');
  const scriptSpare = join(dir, 'virtd.js.spare');
  copyFileSync(script, scriptSpare);
  return { node, nodeSpare, script, scriptSpare };
}

function sessionEnv(dir: string): NodeJS.ProcessEnv {
  for (const d of ['run', 'config', 'cache', 'home']) mkdirSync(join(dir, d), { recursive: true, mode: 0o700 });
  return { PATH: process.env.PATH, HOME: join(dir, 'home'), XDG_RUNTIME_DIR: join(dir, 'run'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache') };
}

describe('a re-exec that cannot happen leaves the daemon serving with its state', () => {
  let dir: string;
  let pkg: ReturnType<typeof packageCopy>;
  let daemon: ChildProcess;
  let output = '';
  let writer: ChildProcess;
  const sock = () => join(dir, 'run', 'libvirt', 'virtlogd-sock');
  const log = () => join(dir, 'guest.log');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'virtd-reexec-'));
    pkg = packageCopy(dir);
    daemon = spawn(pkg.node, [pkg.script, 'virtlogd', '--mode', 'session', '--verbose'], { env: sessionEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    daemon.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
    daemon.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    await until(() => existsSync(join(dir, 'run', 'libvirt', 'virtlogd-admin-sock')) || daemon.exitCode !== null, { timeoutMs: 10000, message: 'virtlogd' });
    assert.equal(daemon.exitCode, null, output);
  });
  after(() => {
    writer?.kill();
    daemon?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('script gone, Node gone, execve failing: each is logged with why, and nothing is lost', async () => {
    writer = spawn('python3', [join(REPO_ROOT, 'test', 'helpers', 'py', 'logd_writer.py'), sock(), log()], { stdio: ['pipe', 'pipe', 'inherit'] });
    const writerLines = createInterface({ input: writer.stdout! })[Symbol.asyncIterator]();
    assert.equal((await writerLines.next()).value, 'ready');
    const guestWrites = async (text: string) => {
      writer.stdin!.write(`${text}\n`);
      assert.equal((await writerLines.next()).value, 'wrote');
    };
    const client = await RawClient.connect(sock());
    let serial = 0;
    const positionCall = () => encodeCall(Program.LogManager, PROGRAM_VERSION, LogManager.getLogFilePosition.proc, ++serial, LogManager.getLogFilePosition.args, { path: log(), flags: 0 });
    const adminClients = async () => {
      const r = await runTool('virt-admin', ['-c', `virtlogd:///session?socket=${join(dir, 'run', 'libvirt', 'virtlogd-admin-sock')}`, 'srv-clients-list', 'virtlogd']);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const clientsBefore = await adminClients();
    const cases = [
      {
        what: 'the script is gone',
        breakIt: () => rmSync(pkg.script),
        mend: () => copyFileSync(pkg.scriptSpare, pkg.script),
        why: /Unable to re-execute the daemon: cannot read \S+virtd\.js: No such file or directory; it keeps running as it was/,
      },
      {
        what: 'execve fails (Node replaced by something that is not a program)',
        breakIt: () => {
          writeFileSync(`${pkg.node}.new`, 'not a program\n', { mode: 0o755 });
          renameSync(`${pkg.node}.new`, pkg.node);
        },
        mend: () => {
          rmSync(pkg.node);
          linkSync(pkg.nodeSpare, pkg.node);
        },
        why: /Unable to re-execute the daemon: \S+node: execve: Exec format error; it keeps running with its state/,
      },
      {
        what: 'Node is gone',
        breakIt: () => rmSync(pkg.node),
        mend: () => linkSync(pkg.nodeSpare, pkg.node),
        why: /Unable to re-execute the daemon: cannot execute \S+node: No such file or directory; it keeps running as it was/,
      },
    ];
    for (const [i, c] of cases.entries()) {
      c.breakIt();
      await guestWrites(`before ${i}`);
      const call = positionCall();
      client.write(call.subarray(0, 17)); // half a call in flight across the attempt
      const seen = output.split(c.why).length;
      daemon.kill('SIGUSR1');
      await until(() => output.split(c.why).length > seen || daemon.exitCode !== null, { timeoutMs: 10000, message: `the failure to be logged (${c.what})` });
      assert.equal(daemon.exitCode, null, `${c.what}: the daemon is still running\n${output}`);
      client.write(call.subarray(17));
      const reply = await client.next(5000);
      assert.ok(reply, `${c.what}: the call cut in half is answered`);
      assert.equal(decodeHeader(reply).status, MessageStatus.Ok);
      await guestWrites(`after ${i}`);
      client.write(positionCall());
      const pos = logPosition.decode(new XdrReader((await client.next(5000))!, BODY_OFFSET));
      assert.equal(Number(pos.offset), readFileSync(log()).length);
      assert.match(readFileSync(log(), 'utf8'), new RegExp(`before ${i}\nafter ${i}\n$`), `${c.what}: the log pipe still works`);
      assert.equal(await adminClients(), clientsBefore, `${c.what}: the same clients, ids and times`);
      c.mend();
    }
    // Mended, the same daemon re-executes and still has it all.
    daemon.kill('SIGUSR1');
    await until(() => /re-executed in place/.test(output), { timeoutMs: 10000, message: 're-exec' });
    await guestWrites('after the real re-exec');
    client.write(positionCall());
    assert.equal(decodeHeader((await client.next(5000))!).status, MessageStatus.Ok);
    assert.match(readFileSync(log(), 'utf8'), /before 0\nafter 0\nbefore 1\nafter 1\nbefore 2\nafter 2\nafter the real re-exec\n$/);
    assert.equal(await adminClients(), clientsBefore);
    client.close();
  });
});

describe('a state file the daemon must not take over: a warning and a clean start', () => {
  const base = { format: RESTART_STATE_FORMAT, version: 1 as const, daemon: 'virtlogd', writtenAtMs: Date.now(), pidFile: { path: '/nowhere', fd: 9 }, servers: [], duties: { logs: [] } };
  const cases: [string, (pid: number) => Buffer, RegExp][] = [
    ['another pid', () => encodeRestartState({ ...base, pid: 1 } as RestartState), /it was written by pid 1, and this is pid (\d+); starting clean/],
    ['a newer format', (pid) => encodeRestartState({ ...base, pid, version: 99 } as unknown as RestartState), /it was written by a newer build \(format version 99; this build reads up to 1\); starting clean/],
    ['garbage', () => Buffer.from('{"magic": "1234"}'), /it is not a virtd-restart-state file; starting clean|it is not msgpack/],
  ];
  for (const [what, bytes, why] of cases) {
    test(what, async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'virtd-state-'));
      const env = sessionEnv(dir);
      mkdirSync(join(dir, 'run', 'libvirt'), { mode: 0o700 });
      const statePath = join(dir, 'run', 'libvirt', 'virtlogd-restart-exec.msgpack');
      // The pid is not known before the start; a different one cannot match by construction.
      writeFileSync(statePath, bytes(0));
      const p = spawnVirtd(['virtlogd', '--mode', 'session'], env);
      t.after(async () => {
        await p.stop();
        rmSync(dir, { recursive: true, force: true });
      });
      await waitForSocket(p, join(dir, 'run', 'libvirt', 'virtlogd-admin-sock'));
      // stderr is a pipe, written asynchronously: the line may land after the socket is up.
      const ignoring = new RegExp(`warning : daemon : Ignoring the re-exec state ${statePath}: `);
      await until(() => ignoring.test(p.output()), { timeoutMs: 5000, message: `the warning in: ${p.output()}` }).catch(() => assert.match(p.output(), ignoring));
      assert.match(p.output(), why);
      assert.equal(existsSync(statePath), false, 'the file is deleted');
      const r = await runTool('virt-admin', ['-c', `virtlogd:///session?socket=${join(dir, 'run', 'libvirt', 'virtlogd-admin-sock')}`, 'srv-list']);
      assert.equal(r.code, 0, r.stderr);
    });
  }
});

test('a re-exec keeps the clients waiting for a free slot (max_clients reached) and their calls', async (t) => {
  const d = await startVirtd('virtlogd', { config: 'max_clients = 1\n', args: ['--verbose'] });
  t.after(() => d.stop());
  const sock = join(d.runtimeDir, 'virtlogd-sock');
  const served = await RawClient.connect(sock);
  const call = (c: RawClient) => c.write(encodeCall(Program.LogManager, PROGRAM_VERSION, LogManager.getLogFilePosition.proc, 1, LogManager.getLogFilePosition.args, { path: '/nowhere', flags: 0 }));
  call(served);
  assert.ok(await served.next(5000), 'the first client is served');
  const waiting = await RawClient.connect(sock);
  call(waiting);
  assert.equal(await waiting.next(300), null, 'the second waits: max_clients is 1');
  process.kill(d.pid, 'SIGUSR1');
  await until(() => /re-executed in place/.test(d.logs()), { timeoutMs: 10000, message: 're-exec' });
  call(served);
  assert.ok(await served.next(5000), 'the served client still is');
  served.close();
  const reply = await waiting.next(5000);
  assert.ok(reply, 'the waiting client is admitted once the slot frees, and its call answered');
  assert.equal(decodeHeader(reply).status, MessageStatus.Error, '"No open log file /nowhere"');
  waiting.close();
});

/**
 * The helper daemons' real client (issue 10): Debian's libvirtd 9.0 in session
 * mode, lock_manager "lockd", runs a TCG guest whose serial output goes through
 * OUR virtlogd and whose disk lease is held by OUR virtlockd. The guest counts
 * on COM1 (test/fixtures/guest/counter.asm), so the log proves every byte
 * arrived, in order, once: across rollovers and across SIGUSR1 re-execs of
 * both helpers while it writes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { decodeHeader, encodeCall, LogManager, MessageStatus, Program, PROGRAM_VERSION } from '../../src/rpc/index.js';
import { checkCounter, readRotated } from '../helpers/counter-stream.js';
import { descriptorKinds, domainXml, type GuestHost, type Helper, libvirtHelpersFor, posixLocksOn, reexecHelper, startGuestHost } from '../helpers/guest-host.js';
import { RawClient } from '../helpers/raw-client.js';
import { asUser, REPO_ROOT } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

const MAX_SIZE = 131072;
const MAX_BACKUPS = 32;
const PROBE = join(REPO_ROOT, 'dist', 'test', 'helpers', 'daemon-state-probe.js');

describe('real libvirtd runs a guest with our virtlogd and virtlockd', () => {
  let host: GuestHost;
  const serial = () => join(host.dir, 'logs', 'counter.log');

  const define = async (name: string, serialLog: string, append: boolean) => {
    // A definition without a uuid gets a new one: the old one must go first.
    await host.virsh(['undefine', name]);
    const xml = join(host.dir, `${name}.xml`);
    writeFileSync(xml, domainXml(host, { name, serialLog, append }), { mode: 0o644 });
    const r = await host.virsh(['define', xml]);
    assert.equal(r.code, 0, r.stderr);
  };
  const virsh = async (...args: string[]) => {
    const r = await host.virsh(args);
    assert.equal(r.code, 0, `virsh ${args.join(' ')}: ${r.stderr}\n${host.libvirtd.output().slice(-2000)}`);
    return r.stdout;
  };
  const state = async (helper: Helper) => {
    const r = await host.run(process.execPath, [PROBE, `${helper}:///session?socket=${join(host.runtimeDir, `${helper}-admin-sock`)}`]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  /** `virt-admin srv-clients-list` rows: id and connect time. */
  const clientsOf = async (helper: Helper): Promise<string[]> => {
    const r = await host.virtAdmin(helper, ['srv-clients-list', helper]);
    assert.equal(r.code, 0, `virt-admin on ${helper}'s admin socket: ${r.stderr}`);
    return r.stdout.split('\n').filter((l) => /^\s*\d+\s+unix/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));
  };
  const backups = (path: string) => readRotated(path, MAX_BACKUPS).files.length - 1;

  before(async () => {
    host = await startGuestHost({ virtlogdConf: `max_size = ${MAX_SIZE}\nmax_backups = ${MAX_BACKUPS}\n` });
    await define('counter', serial(), false);
  });
  after(() => host?.stop());

  test('libvirtd starts the guest; its disk lease is held by our virtlockd; no libvirt helper runs', async () => {
    await virsh('start', 'counter');
    await until(() => existsSync(serial()) && statSync(serial()).size > 1000, { timeoutMs: 20000, message: 'the guest to write' });
    assert.deepEqual(posixLocksOn(host.disk), [{ pid: host.helpers.virtlockd.pid, type: 'WRITE' }]);
    assert.deepEqual(libvirtHelpersFor(host.runtimeDir), []);
    for (const h of ['virtlogd', 'virtlockd'] as const) {
      assert.equal(readFileSync(join(host.runtimeDir, `${h}.pid`), 'utf8'), String(host.helpers[h].pid), `${h}'s pid file names our process`);
    }
    const logs = (await state('virtlogd')).logs.map((l: { path: string; domain: { name: string } }) => `${l.domain.name} ${l.path}`);
    assert.deepEqual(logs.sort(), [`counter ${host.domainLog('counter')}`, `counter ${serial()}`].sort());
    const leases = (await state('virtlockd')).leases;
    assert.deepEqual(leases.map((l: { path: string; shared: boolean }) => [l.path, l.shared]), [[host.disk, false]]);
  });

  test("a second guest on the same disk is refused by our virtlockd with libvirt's error", async () => {
    await define('intruder', join(host.dir, 'logs', 'intruder.log'), false);
    const r = await host.virsh(['start', 'intruder']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, new RegExp(`error: resource busy: Lockspace resource '${host.disk}' is locked`));
    assert.deepEqual(posixLocksOn(host.disk), [{ pid: host.helpers.virtlockd.pid, type: 'WRITE' }]);
  });

  test('three SIGUSR1 re-execs of each helper while the guest writes: same pids, nothing dropped, lease and connections kept', async () => {
    await until(() => backups(serial()) >= 1, { timeoutMs: 20000, message: 'a first rollover' });
    const { virtlogd, virtlockd } = host.helpers;
    // A client of ours on virtlogd's socket (through a relay running as the helpers' user: a
    // session virtlogd admits only its own user), and QEMU's own connection to virtlockd.
    const relay = await relayAsUser(host, join(host.runtimeDir, 'virtlogd-sock'));
    const client = await RawClient.connect(relay.socket);
    const position = async (split: boolean, between?: () => Promise<void>) => {
      const frame = encodePositionCall(serial());
      if (split) {
        client.write(frame.subarray(0, 20));
        await between?.();
        client.write(frame.subarray(20));
      } else client.write(frame);
      const reply = await client.next(10000);
      assert.ok(reply, 'virtlogd answered the held connection');
      assert.equal(decodeHeader(reply).status, MessageStatus.Ok);
    };
    await position(false);
    const logdClients = await clientsOf('virtlogd');
    const lockdClients = await clientsOf('virtlockd');
    assert.equal(lockdClients.length, 1, "QEMU's connection to virtlockd");
    const contender = spawn('python3', [join(REPO_ROOT, 'test', 'helpers', 'py', 'lock_contender.py'), host.disk], { stdio: ['pipe', 'pipe', 'inherit'] });
    const contenderLines = createInterface({ input: contender.stdout! })[Symbol.asyncIterator]();
    assert.equal((await contenderLines.next()).value, 'ready');
    const kinds: Record<string, Record<string, number>[]> = { virtlogd: [], virtlockd: [] };
    for (let round = 1; round <= 3; round++) {
      // A call cut in two by the re-exec: the first half crosses in the state file.
      await position(true, () => reexecHelper(virtlogd));
      kinds.virtlogd!.push(descriptorKinds(virtlogd.pid));
      assert.deepEqual(await clientsOf('virtlogd'), logdClients, `round ${round}: virtlogd's clients, ids and times kept`);
      await reexecHelper(virtlockd);
      kinds.virtlockd!.push(descriptorKinds(virtlockd.pid));
      assert.deepEqual(await clientsOf('virtlockd'), lockdClients, `round ${round}: QEMU's connection to virtlockd kept`);
      assert.deepEqual(posixLocksOn(host.disk), [{ pid: virtlockd.pid, type: 'WRITE' }], `round ${round}: the lease`);
    }
    contender.stdin!.end();
    const tally = JSON.parse((await contenderLines.next()).value as string);
    assert.equal(tally.won, 0, `a contender never got the lease in ${tally.tries} tries across the re-execs`);
    for (const h of ['virtlogd', 'virtlockd'] as const) {
      assert.equal(host.helpers[h].exited(), false);
      assert.equal(readFileSync(join(host.runtimeDir, `${h}.pid`), 'utf8'), String(host.helpers[h].pid), `${h}: same pid`);
      // Only what is handed over survives an exec: the same descriptors after each one.
      assert.deepEqual(kinds[h]![2], kinds[h]![0], `${h}: no descriptor leaks across re-execs`);
      assert.match(host.helpers[h].output(), /re-executed in place/);
    }
    assert.equal((await host.virtAdmin('virtlogd', ['srv-list'])).code, 0);
    assert.equal((await host.virtAdmin('virtlockd', ['srv-list'])).code, 0);
    client.close();
    relay.stop();
    assert.deepEqual(libvirtHelpersFor(host.runtimeDir), []);
  });

  test('destroy: the domain log and the serial log are complete across the rollovers; the lease is freed', async () => {
    await until(() => backups(serial()) >= 5, { timeoutMs: 30000, message: 'five rollovers' });
    await virsh('destroy', 'counter');
    await until(async () => (await state('virtlogd')).logs.length === 0, { timeoutMs: 20000, message: 'virtlogd to close the guest logs' });
    const { files, data } = readRotated(serial(), MAX_BACKUPS);
    assert.ok(files.length >= 6, `at least five rollovers (files: ${files.length})`);
    assert.ok(!files.includes(`${serial()}.${MAX_BACKUPS - 1}`), 'nothing pruned: the check covers every value');
    const c = checkCounter(data);
    assert.deepEqual(c.problems, []);
    assert.equal(c.first, 0);
    assert.ok(c.lines > 50000, `${c.lines} lines`);
    for (const f of files.slice(0, -1)) assert.ok(statSync(f).size <= MAX_SIZE, `${f} is within max_size`);

    const domainLog = readFileSync(host.domainLog('counter'), 'utf8');
    assert.match(domainLog, /^\S+ \S+: starting up libvirt version: 9\.0\.0/);
    assert.match(domainLog, /qemu-system-x86_64 \\\n-name guest=counter/);
    assert.match(domainLog, /shutting down, reason=destroyed\n$/);
    assert.deepEqual(posixLocksOn(host.disk), []);
    assert.deepEqual((await state('virtlockd')).leases, []);
  });

  test("append on: the guest's next run continues the same files; the domain log gains a second start", async () => {
    // The first run may have been killed in the middle of a line: compare bytes, not lines.
    const first = readRotated(serial(), MAX_BACKUPS).data;
    await define('counter', serial(), true);
    await virsh('start', 'counter');
    await until(() => readRotated(serial(), MAX_BACKUPS).data.length > first.length + 10000, { timeoutMs: 20000, message: 'the second run to write' });
    await virsh('destroy', 'counter');
    await until(async () => (await state('virtlogd')).logs.length === 0, { timeoutMs: 20000, message: 'virtlogd to close the guest logs' });
    const both = readRotated(serial(), MAX_BACKUPS).data;
    assert.ok(both.subarray(0, first.length).equals(first), 'the first run is kept as it was');
    const second = checkCounter(both.subarray(first.length));
    assert.deepEqual(second.problems, []);
    assert.equal(second.first, 0, 'the second run follows it, from 0');
    assert.equal(readFileSync(host.domainLog('counter'), 'utf8').match(/starting up libvirt version/g)?.length, 2);
  });

  test('rollover keeps max_backups, prunes the oldest, and append off starts afresh (config re-read on re-exec)', async () => {
    const small = 32768;
    host.writeConfig('virtlogd.conf', `max_size = ${small}\nmax_backups = 3\n`);
    await reexecHelper(host.helpers.virtlogd);
    const pruned = join(host.dir, 'logs', 'pruned.log');
    await define('pruner', pruned, false);
    await virsh('start', 'pruner');
    // Pruned: the oldest backup kept no longer starts at 0.
    await until(() => existsSync(`${pruned}.2`) && !readFileSync(`${pruned}.2`).subarray(0, 2).equals(Buffer.from('0\n')), { timeoutMs: 30000, message: 'the oldest backup to be pruned' });
    await virsh('destroy', 'pruner');
    await until(async () => (await state('virtlogd')).logs.length === 0, { timeoutMs: 20000, message: 'virtlogd to close the guest logs' });
    const { files, data } = readRotated(pruned, 8);
    assert.deepEqual(files, [`${pruned}.2`, `${pruned}.1`, `${pruned}.0`, pruned]);
    for (const f of files.slice(0, -1)) assert.ok(statSync(f).size <= small && statSync(f).size > small - 80, `${f}: cut at a line end near max_size`);
    const c = checkCounter(data, { cutStart: true });
    assert.deepEqual(c.problems, []);
    assert.ok(c.first > 0);

    const oldest = statSync(`${pruned}.2`).ino;
    await virsh('start', 'pruner');
    let fresh = checkCounter(Buffer.alloc(0));
    await until(() => (fresh = checkCounter(readRotated(pruned, 3).data)).lines >= 100, { timeoutMs: 20000, message: 'the new run to write' });
    await virsh('destroy', 'pruner');
    assert.equal(fresh.first, 0, 'append off: the old files were deleted, the stream starts at 0');
    assert.deepEqual(fresh.problems, []);
    assert.ok(!existsSync(`${pruned}.2`) || statSync(`${pruned}.2`).ino !== oldest);
  });
});

let serialNo = 0;

/** A socket in the host's directory relayed, as the host's user, to `target`. */
async function relayAsUser(host: GuestHost, target: string): Promise<{ socket: string; stop: () => void }> {
  const socket = join(host.dir, `relay-${Date.now()}.sock`);
  const [file, argv] = asUser(process.execPath, [join(REPO_ROOT, 'dist', 'test', 'helpers', 'socket-relay.js'), socket, target], host.user.name, {});
  const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  assert.equal((await lines.next()).value, 'ready');
  return { socket, stop: () => child.stdin!.end() };
}

/** DOMAIN_GET_LOG_FILE_POSITION for `path`, as one frame. */
function encodePositionCall(path: string): Buffer {
  return encodeCall(Program.LogManager, PROGRAM_VERSION, LogManager.getLogFilePosition.proc, ++serialNo, LogManager.getLogFilePosition.args, { path, flags: 0 });
}

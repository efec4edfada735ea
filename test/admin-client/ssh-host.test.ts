/**
 * A host over SSH with nothing of ours on it: two real sshd on two ports are
 * two hosts, each with its own daemons (Debian's libvirtd 9.0 and ours) in
 * session mode as the login user. Discovery, the daemons' processes and their
 * peers come from the remote host through the same ssh connection that
 * carries the admin sockets: one ssh process per host, gone on close.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HostPool, type SshHost } from '../../src/admin-client/index.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { holdVirsh, type HeldVirsh } from '../helpers/held-virsh.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { makeSshClient, type SshClientFiles, type SshHostUnderTest, startSshHost } from '../helpers/sshd.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

/** ssh processes this test process started, with their command lines. */
function ourSshProcesses(): string[][] {
  const out: string[][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (ppid === process.pid && args[0] === 'ssh') out.push(args);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('two hosts over ssh, each with its own daemons', () => {
  let client: SshClientFiles;
  let hostA: SshHostUnderTest;
  let hostB: SshHostUnderTest;
  const daemons: DaemonUnderTest[] = [];
  let libvirtdA: DaemonUnderTest;
  let virsh: HeldVirsh;
  const listeners: Server[] = [];
  let pool: HostPool;

  before(async () => {
    client = makeSshClient();
    [hostA, hostB] = await Promise.all([startSshHost(client), startSshHost(client)]);
    // A: libvirt's libvirtd and our virtsecretd; B: our libvirtd and virtlogd.
    libvirtdA = await startRealLibvirtd({ user: hostA.user, env: hostA.daemonEnv });
    daemons.push(libvirtdA, await startVirtd('virtsecretd', { user: hostA.user, env: hostA.daemonEnv }));
    daemons.push(await startVirtd('libvirtd', { user: hostB.user, env: hostB.daemonEnv }), await startVirtd('virtlogd', { user: hostB.user, env: hostB.daemonEnv }));
    virsh = holdVirsh(libvirtdA.mainUri, libvirtdA.user, libvirtdA.env);
    // On A, a socket the login user may not use (root's, mode 0600) and one nobody listens on.
    const dir = join(hostA.runtimeDir, 'libvirt');
    const root = createServer().listen(join(dir, 'virtstoraged-admin-sock'));
    await new Promise((r) => root.once('listening', r));
    listeners.push(root);
    chmodSync(join(dir, 'virtstoraged-admin-sock'), 0o600);
    // Bound and never listening: the file a daemon killed with SIGKILL leaves behind.
    execFileSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind('${join(dir, 'virtqemud-admin-sock')}')`]);
    pool = new HostPool({ ssh: { configFile: client.configFile } });
  });
  after(async () => {
    virsh?.stop();
    await pool?.close();
    for (const l of listeners) l.close();
    for (const d of daemons) await d.stop();
    await hostA?.stop();
    await hostB?.stop();
    client?.cleanup();
  });

  test('discovery on each host: its own daemons, with URIs that attach through ssh', async () => {
    const a = pool.hostFor(hostA.uri()) as SshHost;
    const b = pool.hostFor(hostB.uri()) as SshHost;
    const [foundA, foundB] = await Promise.all([a.discover({ modes: ['session'] }), b.discover({ modes: ['session'] })]);
    const running = (found: typeof foundA) => found.filter((d) => d.running).map((d) => d.name).sort();
    assert.deepEqual(running(foundA), ['libvirtd', 'virtsecretd']);
    assert.deepEqual(running(foundB), ['libvirtd', 'virtlogd']);
    const state = (found: typeof foundA, name: string) => Object.fromEntries(found.find((d) => d.name === name)!.sockets.map((s) => [s.role, s.state]));
    assert.deepEqual(state(foundA, 'libvirtd'), { rw: 'active', admin: 'active', tcp: 'absent', tls: 'absent' });
    assert.deepEqual(state(foundA, 'virtstoraged'), { rw: 'absent', admin: 'denied' });
    assert.deepEqual(state(foundA, 'virtqemud'), { rw: 'absent', admin: 'stale' });
    assert.equal(state(foundB, 'virtsecretd').admin, 'absent');
    const secretd = foundA.find((d) => d.name === 'virtsecretd')!;
    assert.equal(secretd.adminUri, `virtsecretd+ssh://${hostA.user.name}@127.0.0.1:${hostA.port}/session?socket=${join(hostA.runtimeDir, 'libvirt', 'virtsecretd-admin-sock')}`);
    const admin = await pool.hostFor(secretd.adminUri).connect(secretd.adminUri);
    assert.deepEqual(await admin.listServers(), ['virtsecretd', 'admin']);
    await admin.close();
  });

  test('a socket absent, refused or not permitted on the host: said as libvirt says it, naming the host', async () => {
    const a = pool.hostFor(hostA.uri());
    const path = (name: string) => join(hostA.runtimeDir, 'libvirt', name);
    for (const [daemon, why] of [['virtnetworkd', 'No such file or directory'], ['virtqemud', 'Connection refused'], ['virtstoraged', 'Permission denied']] as const) {
      await assert.rejects(a.connect(hostA.uri(daemon)), { message: `Failed to connect socket to '${path(`${daemon}-admin-sock`)}' on ${a.name}: ${why}` });
    }
  });

  test("the daemon's process and its peers, read from the remote host's /proc", async () => {
    const a = pool.hostFor(hostA.uri());
    const admin = await a.connect(hostA.uri());
    const [c] = await until(async () => (await admin.listClients('libvirtd')).length === 1, { message: 'virsh connected' }).then(() => admin.listClients('libvirtd'));
    const info = await admin.getClientInfo('libvirtd', c!.id);
    assert.equal(info.unixProcessId, virsh.pid);
    const peer = await a.peerProcess(virsh.pid, info.unixUserId);
    assert.equal(peer?.command, 'virsh');
    assert.deepEqual(peer?.args, ['virsh', '-q', '-c', libvirtdA.mainUri]);
    assert.equal(await a.peerProcess(virsh.pid, 0), undefined, 'another uid: not named');
    // Our own admin connection, as the daemon sees it: the sshd serving our ssh connection.
    const [self] = await admin.listClients('admin');
    const selfInfo = await admin.getClientInfo('admin', self!.id);
    assert.deepEqual(await a.peerProcess(selfInfo.unixProcessId!, selfInfo.unixUserId), { pid: selfInfo.unixProcessId, command: 'sshd', args: [`sshd: ${hostA.user.name}@notty`] });
    const ssh = a as SshHost;
    assert.equal(ssh.isConsoleProcess(selfInfo.unixProcessId!), true);
    assert.equal(ssh.isConsoleProcess(virsh.pid), false);
    // libvirt's libvirtd has no extension: its pid comes from the lock on its pid file, over there.
    const proc = await (a as SshHost).daemonProcess(admin);
    assert.equal(proc?.pid, libvirtdA.pid);
    assert.equal(proc?.source, 'pid-file');
    assert.ok(Math.abs(proc!.startedAt! - Date.now() / 1000) < 600);
    await admin.close();
  });

  test('one ssh process per host, whatever number of daemons; none left after close', async () => {
    const own = new HostPool({ ssh: { configFile: client.configFile } });
    const controlOf = (args: string[]) => args[args.indexOf('-S') + 1]!;
    const earlier = ourSshProcesses();
    const before = earlier.length;
    const clients = await Promise.all([
      own.hostFor(hostA.uri('libvirtd')).connect(hostA.uri('libvirtd')),
      own.hostFor(hostA.uri('virtsecretd')).connect(hostA.uri('virtsecretd')),
      own.hostFor(hostB.uri('libvirtd')).connect(hostB.uri('libvirtd')),
      own.hostFor(hostB.uri('virtlogd')).connect(hostB.uri('virtlogd')),
    ]);
    for (const c of clients) await c.listServers();
    const masters = ourSshProcesses().filter((args) => args.includes('-M') && !earlier.some((e) => controlOf(e) === controlOf(args)));
    assert.equal(masters.length, 2, `one master per host: ${JSON.stringify(masters)}`);
    assert.equal(ourSshProcesses().length, before + 2, 'no other ssh process stays');
    const controls = masters.map(controlOf);
    for (const c of clients) await c.close();
    await own.close();
    assert.equal(ourSshProcesses().filter((args) => args.includes('-S') && controls.includes(controlOf(args))).length, 0, 'the masters are gone');
    for (const control of controls) assert.equal(existsSync(join(control, '..')), false, 'their private directory is gone');
  });
});

/**
 * Issue 14 end to end: the fleet view in tmux over real sshd on three ports,
 * three "hosts": A and B each with its own daemons (A: Debian's libvirtd 9.0
 * and our virtqemud; B: Debian's libvirtd 9.0 and our virtsecretd), C with
 * only an admin socket its login may not open. A disconnect
 * and a worker limit change made through the fleet on host B are confirmed by
 * the real virt-admin run on B itself; B's sshd stopped is shown within 5 s
 * while A keeps refreshing; B back is reconnected; B with a new host key is
 * refused and says why.
 */
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { type HeldVirsh, holdVirsh } from '../helpers/held-virsh.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { fleetRow, hostName, makeSshClient, type SshClientFiles, type SshHostUnderTest, startSshHost } from '../helpers/sshd.js';
import { shellQuote, TmuxSession } from '../helpers/tmux.js';
import { TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

describe('issue 14: the fleet view over two hosts reached by ssh', { timeout: 300000 }, () => {
  let client: SshClientFiles;
  let hostA: SshHostUnderTest;
  let hostB: SshHostUnderTest;
  /** A third host with no daemon of its own: only a root-owned admin socket the login may not open. */
  let hostC: SshHostUnderTest;
  let rootSocket: Server;
  let libvirtdA: DaemonUnderTest;
  let libvirtdB: DaemonUnderTest;
  let secretdB: DaemonUnderTest;
  const daemons: DaemonUnderTest[] = [];
  const virshes: HeldVirsh[] = [];
  let home: string;
  let pane: TmuxSession;
  const clientIds = async (d: DaemonUnderTest, server: string) =>
    (await d.virtAdmin(['client-list', server])).stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => Number(l.trim().split(/\s+/)[0]));

  before(async () => {
    client = makeSshClient();
    [hostA, hostB, hostC] = await Promise.all([startSshHost(client), startSshHost(client), startSshHost(client)]);
    const dirC = join(hostC.runtimeDir, 'libvirt');
    mkdirSync(dirC, { mode: 0o700 });
    chownSync(dirC, hostC.user.uid, hostC.user.gid);
    rootSocket = createServer().listen(join(dirC, 'virtstoraged-admin-sock'));
    await new Promise((r) => rootSocket.once('listening', r));
    chmodSync(join(dirC, 'virtstoraged-admin-sock'), 0o600);
    [libvirtdA, libvirtdB] = await Promise.all([
      startRealLibvirtd({ user: hostA.user, env: hostA.daemonEnv }),
      startRealLibvirtd({ user: hostB.user, env: hostB.daemonEnv }),
    ]);
    daemons.push(libvirtdA, libvirtdB, await startVirtd('virtqemud', { user: hostA.user, env: hostA.daemonEnv }));
    secretdB = await startVirtd('virtsecretd', { user: hostB.user, env: hostB.daemonEnv });
    daemons.push(secretdB);
    virshes.push(holdVirsh(libvirtdA.mainUri, libvirtdA.user, libvirtdA.env), holdVirsh(libvirtdB.mainUri, libvirtdB.user, libvirtdB.env));
    await until(async () => (await clientIds(libvirtdA, 'libvirtd')).length === 1 && (await clientIds(libvirtdB, 'libvirtd')).length === 1, { timeoutMs: 20000, message: 'virsh connected on both hosts' });
    // The hosts come from the hosts file in the console's own config dir (no -c, no --host).
    home = mkdtempSync(join(tmpdir(), 'fleet-home-'));
    mkdirSync(join(home, '.config', 'virt-admin-tui'), { recursive: true });
    writeFileSync(join(home, '.config', 'virt-admin-tui', 'hosts'), `# two hosts over ssh\n${hostName(hostA)} session\n\n${hostName(hostB)}   session   # B: the one that goes away\n${hostName(hostC)}/session\n`);
    const cmd = [process.execPath, TUI_BIN, '--ssh-config', client.configFile, '--interval', '0.5'].map(shellQuote).join(' ');
    const script = `env -u CI HOME=${shellQuote(home)} XDG_CONFIG_HOME=${shellQuote(join(home, '.config'))} TERM=xterm-256color ${cmd}; echo "console exited $?"; exec sleep 600`;
    pane = new TmuxSession(`sh -c ${shellQuote(script)}`, { width: 150, height: 40 });
  });
  after(async () => {
    pane?.close();
    for (const v of virshes) v.stop();
    for (const d of daemons) await d.stop();
    await hostA?.stop();
    await hostB?.stop();
    rootSocket?.close();
    await hostC?.stop();
    client?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('the fleet view shows both hosts, each with its daemons and clients', async () => {
    const screen = await pane.waitFor(
      (s) => [hostA, hostB].every((h) => /● up +daemons 2\/2 +clients 1 /.test(fleetRow(s, h))) && /permission denied/.test(fleetRow(s, hostC)),
      'A and B up, two daemons each, one client (virsh); C explained',
      30000,
    );
    assert.match(screen, /3 hosts, 3 reachable, 4 daemons answering, 2 clients/);
    for (const h of [hostA, hostB]) assert.match(fleetRow(screen, h), /worst (clients|workers|unauth clients) \d+\/\d+ \(\d+%\) \S+/);
    // C is reached, but nothing there is ours to attach to, and its row says why.
    assert.match(fleetRow(screen, hostC), /● up +daemons 0\/0 +clients 0 /);
    assert.match(fleetRow(screen, hostC), new RegExp(`${hostName(hostC).replace(/\./g, '\\.')}: no admin socket we may open: permission denied for virtstoraged \\(session\\) \\(system daemons need root there\\)`));
    // Host B's dashboard: its own daemons, not A's.
    pane.send('j');
    await pane.waitFor((s) => fleetRow(s, hostB).startsWith('▶'), 'host B selected');
    pane.send('Enter');
    const dash = await pane.waitFor((s) => new RegExp(`${hostName(hostB)}: 2 daemons answering`).test(s) && /[▶ ] virtsecretd /.test(s) && /[▶ ] libvirtd /.test(s), "B's dashboard");
    assert.doesNotMatch(dash, /virtqemud +session/, "A's daemon is not on B");
  });

  test("worker limits and log filters changed on B's virtsecretd, confirmed by virt-admin on B", async () => {
    // The cursor is drawn in inverse (not in a text capture): move it down to virtsecretd's row.
    const order = pane
      .screen()
      .split('\n')
      .flatMap((l) => /^[▶ ] (\S+) +session /.exec(l)?.[1] ?? []);
    for (let i = 0; i < order.indexOf('virtsecretd'); i++) pane.send('j');
    pane.send('Enter');
    await pane.waitFor(/2 Servers .*virtsecretd[\s\S]*workers min \d+ {2}max \d+ {2}priority \d+/, "virtsecretd's servers");
    pane.send('w');
    await pane.waitFor(/worker limits of virtsecretd: min=/, 'the worker prompt');
    pane.send('C-u');
    pane.type('min=2 max=13 prio=3');
    pane.send('Enter');
    await pane.waitFor(/set worker limits of virtsecretd: done/, 'the daemon answer');
    const info = await secretdB.virtAdmin(['srv-threadpool-info', 'virtsecretd']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /minWorkers\s+: 2\n/);
    assert.match(info.stdout, /maxWorkers\s+: 13\n/);
    assert.match(info.stdout, /prioWorkers\s+: 3\n/);
    // Logging too, on the same daemon over there.
    pane.send('4');
    await pane.waitFor(/4 Logging .*virtsecretd[\s\S]*filters/, "virtsecretd's logging view");
    pane.send('f');
    pane.send('C-u');
    pane.type('1:secret 3:rpc');
    pane.send('Enter');
    await pane.waitFor(/set log filters: done/, 'the daemon answer');
    const filters = await secretdB.virtAdmin(['daemon-log-filters']);
    assert.equal(filters.stdout.trim(), 'Logging filters: 1:*secret* 3:*rpc*');
  });

  test("a disconnect of virsh's client on B's libvirtd, confirmed by virt-admin on B", async () => {
    const [id] = await clientIds(libvirtdB, 'libvirtd');
    pane.send('5');
    pane.send('/');
    pane.type('proc:virsh');
    pane.send('Enter');
    await pane.waitFor(/1 of \d+ clients .*filter "proc:virsh"/, "virsh's one client on B");
    pane.send('d');
    await pane.waitFor(new RegExp(`Disconnect client ${id} of libvirtd \\(server libvirtd; ${hostB.user.name}, pid ${virshes[1]!.pid} virsh, unix\\)`), 'the confirmation names the pid');
    pane.send('y');
    await pane.waitFor(new RegExp(`disconnect client ${id} of libvirtd/libvirtd: done`), 'the daemon answer');
    assert.deepEqual(await clientIds(libvirtdB, 'libvirtd'), [], "gone from libvirtd's own list on B");
    assert.equal((await clientIds(libvirtdA, 'libvirtd')).length, 1, "A's virsh stays");
    pane.send('F');
    await pane.waitFor((s) => /● up +daemons 2\/2 +clients 0 /.test(fleetRow(s, hostB)), 'back in the fleet view, B without clients');
  });

  test("B's sshd stopped: its row says so within 5 s while A keeps refreshing; back: reconnected", async () => {
    const stoppedAt = Date.now();
    await hostB.halt();
    const down = await pane.waitFor((s) => /✖ down/.test(fleetRow(s, hostB)), "B's row down", 5000);
    assert.ok(Date.now() - stoppedAt <= 5000, `said within 5 s (${Date.now() - stoppedAt} ms)`);
    assert.match(fleetRow(down, hostB), new RegExp(`${hostName(hostB).replace(/\./g, '\\.')}: (connection lost|connection refused|the server closed)`));
    assert.match(fleetRow(down, hostA), /● up/);
    // A's figures move while B is down: a second virsh on A is counted.
    virshes.push(holdVirsh(libvirtdA.mainUri, libvirtdA.user, libvirtdA.env));
    await pane.waitFor((s) => /● up +daemons 2\/2 +clients 2 /.test(fleetRow(s, hostA)), "A's new client counted", 15000);
    await hostB.start();
    await pane.waitFor((s) => /● up +daemons 2\/2 +clients 0 /.test(fleetRow(s, hostB)) && !/connection/.test(fleetRow(s, hostB)), 'B reconnected, its daemons answering', 20000);
  });

  test("B gone silent (sshd and its sessions stopped, sockets open): its row says so within 5 s; thawed: reconnected", async () => {
    const stoppedAt = Date.now();
    hostB.freeze();
    try {
      const down = await pane.waitFor((s) => /✖ down/.test(fleetRow(s, hostB)), "B's row down", 5000);
      assert.ok(Date.now() - stoppedAt <= 5000, `said within 5 s (${Date.now() - stoppedAt} ms)`);
      assert.match(fleetRow(down, hostB), /connection lost: the host stopped answering/);
      virshes.push(holdVirsh(libvirtdA.mainUri, libvirtdA.user, libvirtdA.env));
      await pane.waitFor((s) => /● up +daemons 2\/2 +clients 3 /.test(fleetRow(s, hostA)), "A's third client counted while B is silent", 15000);
    } finally {
      hostB.thaw();
    }
    await pane.waitFor((s) => /● up +daemons 2\/2 +clients 0 /.test(fleetRow(s, hostB)) && !/connection/.test(fleetRow(s, hostB)), 'B reconnected', 30000);
  });

  test('B with a new host key: refused, and the row says why', async () => {
    await hostB.halt();
    await pane.waitFor((s) => /✖ down/.test(fleetRow(s, hostB)), "B's row down", 5000);
    hostB.replaceHostKey();
    await hostB.start();
    const refused = await pane.waitFor((s) => /host key changed: refused/.test(fleetRow(s, hostB)), 'the host key refusal', 20000);
    assert.match(fleetRow(refused, hostB), /✖ down/);
    assert.match(fleetRow(refused, hostA), /● up/);
    pane.send('q');
    await pane.waitFor(/console exited 0/, 'the console quits');
  });
});

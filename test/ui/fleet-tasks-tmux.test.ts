/**
 * Issue 14 with issue 13's tasks, end to end in tmux over two real sshd:
 * host A (Debian's libvirtd 9.0) and host B (libvirtd 9.0 and our virtqemud).
 * A worker limit changed with the real virt-admin on B is drift on B's row and
 * not on A's. From the fleet, Enter on B and `C` capture B's daemons at debug:
 * virt-admin run on B shows the preset's filters during the capture and the
 * originals after `X`; the capture's files are on B's disk (its login's state
 * directory, through the ssh connection), and the restore journal names B.
 * A console killed (SIGKILL) mid-capture leaves B at debug; `--restore` at the
 * next start puts B's daemons back through B.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { fleetRow, hostName, makeSshClient, type SshClientFiles, type SshHostUnderTest, startSshHost } from '../helpers/sshd.js';
import { shellQuote, TmuxSession } from '../helpers/tmux.js';
import { runTool, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';
import { startVirtd } from '../helpers/virtd.js';

describe("issue 14 + 13: drift marked on the right host's row, a debug capture on a remote host", { timeout: 300000 }, () => {
  let client: SshClientFiles;
  let hostA: SshHostUnderTest;
  let hostB: SshHostUnderTest;
  let libvirtdA: DaemonUnderTest;
  let libvirtdB: DaemonUnderTest;
  let qemuB: DaemonUnderTest;
  let home: string;
  let journalDir: string;
  let pane: TmuxSession;
  const filtersOf = async (d: DaemonUnderTest) => (await d.virtAdmin(['daemon-log-filters'])).stdout.trim();
  const outputsOf = async (d: DaemonUnderTest) => (await d.virtAdmin(['daemon-log-outputs'])).stdout.trim();

  before(async () => {
    client = makeSshClient();
    [hostA, hostB] = await Promise.all([startSshHost(client), startSshHost(client)]);
    [libvirtdA, libvirtdB, qemuB] = await Promise.all([
      startRealLibvirtd({ user: hostA.user, env: hostA.daemonEnv }),
      startRealLibvirtd({ user: hostB.user, env: hostB.daemonEnv }),
      startVirtd('virtqemud', { user: hostB.user, env: hostB.daemonEnv }),
    ]);
    home = mkdtempSync(join(tmpdir(), 'fleet-tasks-home-'));
    mkdirSync(join(home, 'state'));
    journalDir = join(home, 'state', 'virt-admin-tui', 'capture-journals');
    pane = startFleet();
  });
  const consoleEnv = () => ({ HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_STATE_HOME: join(home, 'state') });
  const startFleet = () => {
    const cmd = [process.execPath, TUI_BIN, '--ssh-config', client.configFile, '--interval', '0.5', '--host', `${hostName(hostA)} session`, '--host', `${hostName(hostB)} session`]
      .map(shellQuote)
      .join(' ');
    const env = Object.entries(consoleEnv())
      .map(([k, v]) => `${k}=${shellQuote(v)}`)
      .join(' ');
    const script = `env -u CI ${env} TERM=xterm-256color ${cmd}; echo "console exited $?"; exec sleep 600`;
    return new TmuxSession(`sh -c ${shellQuote(script)}`, { width: 160, height: 45 });
  };
  /** From the fleet: Enter on B, then C for B's daemons, preset rpc, for 5 minutes, into the default directory. */
  const captureOnB = async (p: TmuxSession) => {
    p.send('j');
    await p.waitFor((s) => fleetRow(s, hostB).startsWith('▶') && /daemons 2\/2/.test(fleetRow(s, hostB)), 'host B selected, its daemons attached', 30000);
    p.send('Enter');
    await p.waitFor(new RegExp(`${hostName(hostB)}: 2 daemons answering`), "B's dashboard");
    p.send('C');
    await p.waitFor(/capture which daemons/, 'the daemons prompt');
    p.send('C-u');
    p.type('all');
    p.send('Enter');
    await p.waitFor(/preset \(general/, 'the preset prompt');
    p.send('C-u');
    p.type('rpc');
    p.send('Enter');
    await p.waitFor(/for how long/, 'the duration prompt');
    p.send('C-u');
    p.type('5m');
    p.send('Enter');
    await p.waitFor(/into which directory/, 'the directory prompt');
    p.send('Enter');
    await p.waitFor(/Capture debug logs \(preset rpc: .*\) of/, 'the confirmation');
    p.send('y');
    return p.waitFor(/debug capture started: /, 'the capture running', 20000);
  };
  // libvirt stores `3:*` as `3:***`.
  const rpc = /^Logging filters: 1:\*rpc\* 1:\*remote\* 1:\*access\* 1:\*libvirt\* 3:\*+$/;
  const journals = () => (existsSync(journalDir) ? readdirSync(journalDir).filter((n) => n.endsWith('.json')) : []);
  after(async () => {
    pane?.close();
    for (const d of [libvirtdA, libvirtdB, qemuB]) await d?.stop();
    await hostA?.stop();
    await hostB?.stop();
    client?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test("a virt-admin change on B's libvirtd is drift on B's row, not on A's", async () => {
    await pane.waitFor(
      (s) => /daemons 1\/1/.test(fleetRow(s, hostA)) && /daemons 2\/2/.test(fleetRow(s, hostB)) && /drift 0 certs 0/.test(fleetRow(s, hostA)) && /drift 0 certs 0/.test(fleetRow(s, hostB)),
      'both hosts compared, without drift',
      40000,
    );
    const set = await libvirtdB.virtAdmin(['server-threadpool-set', 'libvirtd', '--max-workers', '41']);
    assert.equal(set.code, 0, set.stderr);
    // Warnings are looked for every 10 s.
    const marked = await pane.waitFor((s) => /drift 1 certs 0/.test(fleetRow(s, hostB)), "B's row marked", 30000);
    assert.match(fleetRow(marked, hostB), /drift, lost at restart: libvirtd \(libvirtd max_workers\)/);
    assert.match(fleetRow(marked, hostA), /drift 0 certs 0/, 'not on A');
    assert.doesNotMatch(fleetRow(marked, hostA), /lost at restart/);
    // Put back, B's row is clean again.
    const back = await libvirtdB.virtAdmin(['server-threadpool-set', 'libvirtd', '--max-workers', '20']);
    assert.equal(back.code, 0, back.stderr);
    await pane.waitFor((s) => /drift 0 certs 0/.test(fleetRow(s, hostB)), "B's row clean again", 30000);
  });

  test("Enter on B, C: B's daemons captured at debug, files on B's disk, the journal names B; X puts them back", async () => {
    const before = { libvirtd: [await filtersOf(libvirtdB), await outputsOf(libvirtdB)], qemu: [await filtersOf(qemuB), await outputsOf(qemuB)], a: [await filtersOf(libvirtdA), await outputsOf(libvirtdA)] };
    const started = await captureOnB(pane);
    // During: the preset's filters, as the real virt-admin run on B reports them.
    assert.match(await filtersOf(libvirtdB), rpc);
    assert.match(await filtersOf(qemuB), rpc);
    assert.deepEqual([await filtersOf(libvirtdA), await outputsOf(libvirtdA)], before.a, "A's libvirtd untouched");
    // The files are on B's disk, in its login's state directory, made there through the ssh connection.
    const dir = join(hostB.stateDir, 'virt-admin-tui', 'captures');
    assert.match(started.replace(/\s+/g, ' '), new RegExp(`into ${dir.replace(/[./]/g, '\\$&')}`));
    const [capture] = readdirSync(dir);
    assert.ok(capture, `a capture directory under ${dir}`);
    assert.match(await outputsOf(libvirtdB), new RegExp(`1:file:${join(dir, capture!, 'libvirtd-session.log')}`));
    // The journal (on the console's machine) names B, and B's daemons by their URIs there.
    const [journalName] = journals();
    const journal = JSON.parse(readFileSync(join(journalDir, journalName!), 'utf8')) as { host: string; daemons: { name: string; adminUri: string }[] };
    assert.equal(journal.host, hostName(hostB));
    assert.deepEqual(journal.daemons.map((d) => d.name).sort(), ['libvirtd', 'virtqemud']);
    for (const d of journal.daemons) assert.ok(d.adminUri.startsWith(`${d.name}+ssh://${hostName(hostB)}/session`), d.adminUri);
    // A call to B's libvirtd makes debug lines in its file there.
    await libvirtdB.virtAdmin(['srv-list']);
    const file = join(dir, capture!, 'libvirtd-session.log');
    await until(() => existsSync(file) && /debug : /.test(readFileSync(file, 'utf8')), { timeoutMs: 10000, message: 'debug lines in the file on B' });

    pane.send('X');
    await pane.waitFor(/Debug capture ended \(ended early\): every daemon has its settings back/, 'restored');
    assert.deepEqual([await filtersOf(libvirtdB), await outputsOf(libvirtdB)], before.libvirtd, "B's libvirtd as it was (virt-admin on B)");
    assert.deepEqual([await filtersOf(qemuB), await outputsOf(qemuB)], before.qemu, "B's virtqemud as it was (virt-admin on B)");
    assert.deepEqual(journals(), [], 'the journal is gone once all is back');
    pane.send('Escape');
    pane.send('F');
    await pane.waitFor(/ Fleet /, 'back in the fleet view');
    pane.send('q');
    await pane.waitFor(/console exited 0/, 'the console quits');
  });

  test('the console killed mid-capture: --restore puts B back, through B', async () => {
    const before = [await filtersOf(libvirtdB), await outputsOf(libvirtdB)];
    const second = startFleet();
    try {
      await captureOnB(second);
      assert.match(await filtersOf(libvirtdB), rpc);
      const [name] = journals();
      const journal = JSON.parse(readFileSync(join(journalDir, name!), 'utf8')) as { host: string; owner: { pid: number } };
      assert.equal(journal.host, hostName(hostB));
      process.kill(journal.owner.pid, 'SIGKILL');
      await second.waitFor(/console exited 137/, 'the console killed');
    } finally {
      second.close();
    }
    assert.match(await filtersOf(libvirtdB), rpc, 'left at debug by the dead console');
    // The next start restores at once (--restore), on the host the journal names.
    const r = await runTool(process.execPath, [TUI_BIN, '--ssh-config', client.configFile, '--restore', '-c', hostB.uri('libvirtd'), 'srv-list'], { env: consoleEnv() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /libvirtd \(session\): restored filters/);
    assert.match(r.stderr, /virtqemud \(session\): restored filters/);
    assert.deepEqual([await filtersOf(libvirtdB), await outputsOf(libvirtdB)], before, "B's libvirtd as it was (virt-admin on B)");
    assert.deepEqual(journals(), [], 'the journal is gone');
  });
});

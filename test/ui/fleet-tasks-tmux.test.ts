/**
 * Issue 14 with issue 13's tasks, end to end in tmux over two real sshd:
 * host A (Debian's libvirtd 9.0) and host B (libvirtd 9.0 and our virtqemud).
 * A worker limit changed with the real virt-admin on B is drift on B's row and
 * not on A's.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import { makeSshClient, type SshClientFiles, type SshHostUnderTest, startSshHost } from '../helpers/sshd.js';
import { shellQuote, TmuxSession } from '../helpers/tmux.js';
import { TUI_BIN } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

describe("issue 14 + 13: drift marked on the right host's row", { timeout: 300000 }, () => {
  let client: SshClientFiles;
  let hostA: SshHostUnderTest;
  let hostB: SshHostUnderTest;
  let libvirtdA: DaemonUnderTest;
  let libvirtdB: DaemonUnderTest;
  let qemuB: DaemonUnderTest;
  let home: string;
  let pane: TmuxSession;
  const nameOf = (h: SshHostUnderTest) => `${h.user.name}@127.0.0.1:${h.port}`;
  /** The host's lines: name and counts, figures, then its warnings and problem, if any. */
  const rowOf = (screen: string, h: SshHostUnderTest) => {
    const lines = screen.split('\n');
    const at = lines.findIndex((l) => l.includes(nameOf(h)));
    return at === -1 ? '' : lines.slice(at, at + 4).join('\n').split(/\n(?=[▶ ] \S)/)[0]!;
  };

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
    const cmd = [process.execPath, TUI_BIN, '--ssh-config', client.configFile, '--interval', '0.5', '--host', `${nameOf(hostA)} session`, '--host', `${nameOf(hostB)} session`]
      .map(shellQuote)
      .join(' ');
    const env = `HOME=${shellQuote(home)} XDG_CONFIG_HOME=${shellQuote(join(home, '.config'))} XDG_STATE_HOME=${shellQuote(join(home, 'state'))}`;
    const script = `env -u CI ${env} TERM=xterm-256color ${cmd}; echo "console exited $?"; exec sleep 600`;
    pane = new TmuxSession(`sh -c ${shellQuote(script)}`, { width: 160, height: 45 });
  });
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
      (s) => /daemons 1\/1/.test(rowOf(s, hostA)) && /daemons 2\/2/.test(rowOf(s, hostB)) && /drift 0 certs 0/.test(rowOf(s, hostA)) && /drift 0 certs 0/.test(rowOf(s, hostB)),
      'both hosts compared, without drift',
      40000,
    );
    const set = await libvirtdB.virtAdmin(['server-threadpool-set', 'libvirtd', '--max-workers', '41']);
    assert.equal(set.code, 0, set.stderr);
    // Warnings are looked for every 10 s.
    const marked = await pane.waitFor((s) => /drift 1 certs 0/.test(rowOf(s, hostB)), "B's row marked", 30000);
    assert.match(rowOf(marked, hostB), /drift, lost at restart: libvirtd \(libvirtd max_workers\)/);
    assert.match(rowOf(marked, hostA), /drift 0 certs 0/, 'not on A');
    assert.doesNotMatch(rowOf(marked, hostA), /lost at restart/);
    // Put back, B's row is clean again.
    const back = await libvirtdB.virtAdmin(['server-threadpool-set', 'libvirtd', '--max-workers', '20']);
    assert.equal(back.code, 0, back.stderr);
    await pane.waitFor((s) => /drift 0 certs 0/.test(rowOf(s, hostB)), "B's row clean again", 30000);
  });
});

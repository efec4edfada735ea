/**
 * Issue 12 end to end: a mixed host (Debian's libvirtd 9.0, virtlogd and
 * virtlockd in session mode, our virtqemud beside them, our virtnetworkd and
 * virtproxyd in system mode with unix_sock_dir), clients held by distinct
 * processes (virsh, a node script, python3), and the real virt-admin-tui in a
 * tmux pane as the test user. The real virt-admin is the referee.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ClientHolder, holdClients } from '../helpers/client-holder.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { type HeldVirsh, holdVirsh } from '../helpers/held-virsh.js';
import { clientCount, clientIds, holdPython, MIXED, type MixedHost, type PyHolder, startMixedHost } from '../helpers/mixed-host.js';
import { shellQuote, TmuxSession } from '../helpers/tmux.js';
import { asUser, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

describe('issue 12: the whole host in one console', { timeout: 300000 }, () => {
  let host: MixedHost;
  let pane: TmuxSession;
  let virsh: HeldVirsh;
  let node: ClientHolder;
  let py: PyHolder;
  let proxied: PyHolder;
  const flat = (screen: string) => screen.replace(/\s+/g, ' ');
  /** Escape closes any prompt or page; the next key waits until it has (right behind an Escape it would be an Alt-key). */
  const escape = async () => {
    pane.send('Escape');
    await pane.waitFor((screen) => !/Esc cancel|any key closes|\[y\/n\]/.test(screen), 'nothing open');
  };
  const row = (screen: string, name: string) => {
    const lines = screen.split('\n');
    const at = lines.findIndex((l) => new RegExp(`^[▶ ] ${name} `).test(l));
    return at === -1 ? undefined : lines.slice(at, at + 3).join('\n');
  };

  before(async () => {
    host = await startMixedHost([...MIXED]);
    const d = host.daemons;
    virsh = holdVirsh(`qemu:///session?socket=${d.libvirtd!.mainSocket}`, host.user.name, host.env);
    node = await holdClients({ mainSocket: d.virtqemud!.mainSocket, user: host.user.name } as DaemonUnderTest, 2);
    py = await holdPython(host, [d.virtqemud!.mainSocket, d.virtnetworkd!.mainSocket]);
    proxied = await holdPython(host, [d.virtproxyd!.mainSocket]);
    await until(async () => (await clientCount(host, 'libvirtd')) === 1, { timeoutMs: 20000, message: "virsh's connection" });
    const script = `${shellQuote(process.execPath)} ${shellQuote(TUI_BIN)} -c ${shellQuote(d.virtqemud!.adminUri)} --system-socket-dir ${shellQuote(host.systemDir)}; echo "console exited $?"; exec sleep 600`;
    const [file, argv] = asUser('sh', ['-c', script], host.user.name, { ...host.env, TERM: 'xterm-256color' });
    pane = new TmuxSession([file, ...argv].map(shellQuote).join(' '), { width: 110, height: 34 });
  });
  after(async () => {
    pane?.close();
    virsh?.stop();
    node?.stop();
    py?.stop();
    proxied?.stop();
    await host?.stop();
  });

  test('the dashboard lists all six daemons with the client counts virt-admin gives', async () => {
    pane.send('1');
    const expected: Record<string, number> = {};
    for (const { name } of MIXED) expected[name] = await clientCount(host, name);
    assert.deepEqual(expected, { virtlogd: 0, virtlockd: 0, libvirtd: 1, virtqemud: 3, virtnetworkd: 1, virtproxyd: 1 });
    const screen = await pane.waitFor(
      (s) => MIXED.every(({ name, ours }) => new RegExp(`● up .*\\n\\s+clients ${expected[name]}/\\d+${ours ? '.*fds' : ''}`).test(row(s, name) ?? '')),
      'six rows, each up with its clients',
      30000,
    );
    for (const { name, mode } of MIXED) {
      const r = row(screen, name)!;
      assert.match(r, new RegExp(`${name} +${mode} `), `${name} in ${mode} mode`);
      assert.match(r, new RegExp(`pid ${host.daemons[name]!.pid} up `), `${name}'s pid and uptime`);
      assert.match(r, /workers \d+\/\d+ .*queue +\d+ /, `${name}'s workers and queue`);
    }
    // Ours report their descriptors, timeout and refusals (issue 16) and where their sockets came from.
    for (const name of ['virtqemud', 'virtnetworkd', 'virtproxyd']) assert.match(row(screen, name)!, /timeout never .*\(self\)[\s\S]*fds \d+\/\d+(?![\s\S]*refused)/, name);
    for (const name of ['libvirtd', 'virtlogd', 'virtlockd']) assert.match(row(screen, name)!, /timeout \?/, `${name} cannot say its timeout`);
    assert.match(flat(screen), /6 daemons answering/);
  });

  test('every client of the host in one table, with the process behind it', async () => {
    pane.send('5');
    // Six admin connections are the console's own.
    const total = 1 + 3 + 1 + 1 + 6;
    const screen = await pane.waitFor((s) => new RegExp(`${total} of ${total} clients`).test(s) && !/identity known for/.test(s) && /python3/.test(s), 'every client with its identity', 30000);
    const line = (re: RegExp) => screen.split('\n').find((l) => re.test(l));
    // The process column is 20 to 30 wide (pids of 4 to 7 digits; the 'since' column when it fits), and a longer
    // command line is shortened in the middle keeping 40% of it at the start: 'virsh -q' always stays.
    assert.match(line(new RegExp(`^\\s+libvirtd\\s+libvirtd\\s+\\d+\\s+unix\\s+no\\s+virttest \\(\\d+\\)\\s+${virsh.pid}\\s`)) ?? '', /virsh -q/, 'virsh, with its arguments');
    assert.equal(screen.split('\n').filter((l) => new RegExp(`virtqemud\\s+virtqemud\\s+\\d+\\s+unix.*\\s${node.pid}\\s.*node `).test(l)).length, 2, 'the node script twice');
    assert.ok(line(new RegExp(`virtnetworkd\\s+virtnetworkd\\s+\\d+\\s+unix.*\\s${py.pid}\\s.*python3 `)), 'python3 on virtnetworkd');
    assert.ok(line(new RegExp(`virtproxyd\\s+\\S+\\s+\\d+\\s+unix.*\\s${proxied.pid}\\s.*python3 `)), 'python3 on virtproxyd');
    pane.send('/');
    pane.type("daemon:virtqemud proc:hold-clients");
    pane.send('Enter');
    await pane.waitFor(new RegExp(`2 of ${total} clients {2}sorted by daemon {2}filter "daemon:virtqemud proc:hold-clients"`), 'filtered by daemon and process');
    pane.send('Enter');
    await pane.waitFor(/client \d+ of virtqemud, server virtqemud[\s\S]*unix_process_id +\d+[\s\S]*process +node: /, 'the detail');
    pane.send('Enter');
  });

  test("a batch disconnect of one pid's clients across two daemons removes exactly those", async () => {
    const before = { virtqemud: await clientIds(host, 'virtqemud', 'virtqemud'), virtnetworkd: await clientIds(host, 'virtnetworkd', 'virtnetworkd') };
    pane.send('/');
    pane.send('C-u');
    pane.type(`pid:${py.pid}`);
    pane.send('Enter');
    await pane.waitFor(new RegExp(`2 of \\d+ clients .*filter "pid:${py.pid}"`), 'the two clients of that pid');
    pane.send('D');
    const ask = await pane.waitFor(/Disconnect these 2 clients/, 'the dry-run list');
    assert.match(ask, new RegExp(`virtqemud/virtqemud client \\d+ \\(virttest, pid ${py.pid} python3, unix\\)`));
    // virtnetworkd runs in system mode, where the read-write socket asks for polkit: python3 never authenticated.
    assert.match(ask, new RegExp(`virtnetworkd/virtnetworkd client \\d+ \\(virttest, pid ${py.pid} python3, unix, not authenticated yet\\)`));
    pane.send('y');
    const done = await pane.waitFor(/2 of 2 disconnected/, 'a result line per client');
    assert.equal(done.split('\n').filter((l) => /: disconnected/.test(l)).length, 2);
    await until(() => /closed 0/.test(py.out()) && /closed 1/.test(py.out()), { message: "the python process's sockets closed" });
    const after = { virtqemud: await clientIds(host, 'virtqemud', 'virtqemud'), virtnetworkd: await clientIds(host, 'virtnetworkd', 'virtnetworkd') };
    assert.equal(after.virtqemud.length, before.virtqemud.length - 1);
    assert.ok(after.virtqemud.every((id) => before.virtqemud.includes(id)), 'the node clients stay');
    assert.deepEqual(after.virtnetworkd, []);
    assert.equal(await clientCount(host, 'libvirtd'), 1, "virsh's connection stays");
    assert.equal(await clientCount(host, 'virtproxyd'), 1, 'the other python process stays');
    assert.deepEqual(node.closed(), []);
    await escape();
    // The console's own admin connections are never offered: a filter on its pid lists none to go.
    pane.send('/');
    pane.send('C-u');
    pane.type('server:admin');
    pane.send('Enter');
    await pane.waitFor(/6 of \d+ clients/, "the console's own six");
    pane.send('D');
    await pane.waitFor((s) => /batch disconnect: no client matches "server:admin" but the console's own/.test(flat(s)), 'refused');
    for (const { name } of MIXED) assert.equal((await host.virtAdmin(name, ['srv-list'])).code, 0);
  });

  for (const name of ['virtqemud', 'virtlogd']) {
    test(`${name} killed and restarted: down within 2 s, back within 2 s, the others never blank`, async () => {
      await escape();
      pane.send('1');
      await pane.waitFor((s) => /● up/.test(row(s, name) ?? ''), `${name} up`, 20000);
      const others = MIXED.map((d) => d.name).filter((n) => n !== name);
      const othersShown = (s: string) => others.every((n) => /● up .*\n\s+clients \d+\/\d+/.test(row(s, n) ?? ''));
      const d = host.daemons[name]!;
      const oldPid = d.pid;
      let blank = '';
      const watchOthers = setInterval(() => {
        const s = pane.screen();
        if (!othersShown(s) && !/Esc cancel|any key closes/.test(s)) blank ||= s;
      }, 100);
      try {
        const t0 = Date.now();
        await d.kill('SIGKILL');
        await pane.waitFor((s) => /● down/.test(row(s, name) ?? ''), `${name} marked down`, 5000);
        const downMs = Date.now() - t0;
        await d.start();
        const t1 = Date.now();
        await pane.waitFor((s) => new RegExp(`● up +pid ${d.pid} `).test(row(s, name) ?? ''), `${name} back with its new pid`, 5000);
        const backMs = Date.now() - t1;
        assert.notEqual(d.pid, oldPid);
        assert.ok(downMs <= 2000, `marked down after ${downMs} ms`);
        assert.ok(backMs <= 2000, `back after ${backMs} ms`);
      } finally {
        clearInterval(watchOthers);
      }
      assert.equal(blank, '', `another daemon's row went blank:\n${blank}`);
    });
  }
});

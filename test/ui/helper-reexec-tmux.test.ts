/**
 * Issue 10, item 3: the console knows the helpers. Our virtlogd (a guest's log
 * pipe open, a client connected) and virtlockd (a lease held by a connected
 * owner) in session mode as the test user, the console in tmux as that user:
 * the dashboard says what depends on each, `R` asks with what is connected and
 * held, re-executes with SIGUSR1, and says when the same pid answers again;
 * the pipe still reaches its file, and the real virt-admin reaches the admin
 * socket right after. A daemon that is not a helper is never offered one.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { holdPython, type MixedHost, type PyHolder, startMixedHost } from '../helpers/mixed-host.js';
import { shellQuote, TmuxSession } from '../helpers/tmux.js';
import { asUser, REPO_ROOT, TUI_BIN } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

describe('issue 10 item 3: re-exec of virtlogd and virtlockd from the dashboard', { timeout: 180000 }, () => {
  let host: MixedHost;
  let pane: TmuxSession;
  let writer: ChildProcess;
  let holder: ChildProcess;
  let client: PyHolder;
  const log = () => join(host.dir, 'home', 'guest.log');
  const flat = (screen: string) => screen.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
  const waitForText = (re: RegExp, what: string, timeoutMs?: number) => pane.waitFor((s) => re.test(flat(s)), what, timeoutMs);

  before(async () => {
    host = await startMixedHost([
      { name: 'virtlogd', ours: true, mode: 'session' },
      { name: 'virtlockd', ours: true, mode: 'session' },
      { name: 'virtqemud', ours: true, mode: 'session' },
    ]);
    const [wf, wa] = asUser('python3', [join(REPO_ROOT, 'test', 'helpers', 'py', 'logd_writer.py'), host.daemons.virtlogd!.mainSocket, log()], host.user.name, host.env);
    writer = spawn(wf, wa, { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: writer.stdout! })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, 'ready');
    // A call of virtlogd's own program (GET_LOG_FILE_POSITION) makes the daemon know who it is.
    client = await holdPython(host, [`87539319:2:${host.daemons.virtlogd!.mainSocket}`]);
    const space = join(host.dir, 'home', 'leases');
    mkdirSync(space);
    chownSync(space, host.user.uid, host.user.gid);
    const [hf, ha] = asUser(process.execPath, [join(REPO_ROOT, 'dist', 'test', 'helpers', 'lock-holder.js'), host.daemons.virtlockd!.mainSocket, space, 'vm-disk', 'keep'], host.user.name, host.env);
    holder = spawn(hf, ha, { stdio: ['ignore', 'pipe', 'inherit'] });
    let held = '';
    holder.stdout!.setEncoding('utf8').on('data', (s: string) => (held += s));
    await until(() => held.includes('held'), { timeoutMs: 20000, message: 'the lease' });
    const script = `${shellQuote(process.execPath)} ${shellQuote(TUI_BIN)} -c ${shellQuote(host.daemons.virtlogd!.adminUri)}; echo "console exited $?"; exec sleep 600`;
    const [file, argv] = asUser('sh', ['-c', script], host.user.name, { ...host.env, TERM: 'xterm-256color' });
    pane = new TmuxSession([file, ...argv].map(shellQuote).join(' '), { width: 110, height: 34 });
    pane.send('1');
  });
  after(async () => {
    pane?.close();
    writer?.stdin?.end();
    holder?.kill();
    client?.stop();
    await host?.stop();
  });

  for (const name of ['virtlogd', 'virtlockd'] as const) {
    test(`${name}: what depends on it, a confirmation saying what is connected, the same pid answering again`, async () => {
      const d = host.daemons[name]!;
      const deps = name === 'virtlogd' ? /1 open logs/ : /1 leases/;
      await waitForText(new RegExp(`${name} +session +● up +pid ${d.pid} [\\s\\S]*?${deps.source}`), `${name}'s row with its dependents`, 20000);
      // Move the cursor to the helper's row: rows come in discovery order (virtqemud, virtlogd, virtlockd).
      pane.send('Escape');
      for (let i = 0; i < 5; i++) pane.send('k');
      const row = ['virtqemud', 'virtlogd', 'virtlockd'].indexOf(name);
      for (let i = 0; i < row; i++) pane.send('j');
      pane.send('R');
      const ask = await waitForText(new RegExp(`Re-execute ${name} \\(pid ${d.pid}, SIGUSR1 from its pid file \\S+${name}\\.pid\\)\\?`), 'the confirmation');
      if (name === 'virtlogd') {
        assert.match(flat(ask), new RegExp(`Connected: 1 client \\(python3 pid ${client.pid}\\)`));
        assert.match(flat(ask), /Held: 1 open log \(\S+guest\.log\)/);
      } else {
        assert.match(flat(ask), new RegExp(`Connected: 1 client \\(node pid ${holder.pid}\\)`));
        assert.match(flat(ask), new RegExp(`Held: 1 held lease \\(\\S+vm-disk for pid ${holder.pid}\\)`));
      }
      assert.match(flat(ask), /A restart would lose guests' logs: not offered/);
      const stack = readFileSync(`/proc/${d.pid}/stat`, 'utf8');
      pane.send('y');
      await waitForText(new RegExp(`${name} re-executed: the same pid ${d.pid} answering again after \\d+ ms`), 'the same pid answering', 20000);
      assert.notEqual(readFileSync(`/proc/${d.pid}/stat`, 'utf8').split(' ')[27], stack.split(' ')[27], 'a new image in the same process');
      const r = await host.virtAdmin(name, ['srv-list']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`${name}`));
      assert.equal(host.daemons[name]!.pid, d.pid);
    });
  }

  test('the pipe opened before the re-execs still reaches its file', async () => {
    const lines = createInterface({ input: writer.stdout! })[Symbol.asyncIterator]();
    writer.stdin!.write('after the re-exec\n');
    assert.equal((await lines.next()).value, 'wrote');
    await until(() => existsSync(log()) && readFileSync(log(), 'utf8').includes('after the re-exec'), { message: 'the line in the log file' });
    assert.ok(!/closed/.test(client.out()), "virtlogd's client kept its connection");
  });

  test('a daemon that is not a helper is never offered a re-exec', async () => {
    pane.send('Escape');
    for (let i = 0; i < 5; i++) pane.send('k');
    pane.send('R');
    await waitForText(/R re-executes virtlogd or virtlockd: select one of them on the dashboard/, 'the refusal');
  });
});

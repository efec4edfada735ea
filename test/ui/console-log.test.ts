/**
 * The console's own diagnostics go through pino to --log-file, never to the terminal it
 * draws on; and the console, attached to our daemon (which pushes events through the
 * msgpack extension program), loads no native addon.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { REPO_ROOT, TUI_BIN, asUser } from '../helpers/tools.js';
import { shellQuote, TmuxSession } from '../helpers/tmux.js';
import { startVirtd } from '../helpers/virtd.js';

describe('the console with --log-file, in tmux against virtd libvirtd', { timeout: 120000 }, () => {
  let d: DaemonUnderTest;
  let pane: TmuxSession;
  let logFile: string;
  let trapFile: string;

  before(async () => {
    d = await startVirtd('libvirtd');
    logFile = join(d.dir, 'console.log');
    trapFile = join(d.dir, 'dlopen.txt');
    const trap = join(REPO_ROOT, 'dist', 'test', 'helpers', 'dlopen-trap.js');
    const script = `${shellQuote(process.execPath)} --import ${shellQuote(trap)} ${shellQuote(TUI_BIN)} -c ${shellQuote(d.adminUri)} --interval 0.5 --log-file ${shellQuote(logFile)}; echo "console exited $?"; exec sleep 600`;
    // CI is not passed on: under CI=true Ink draws nothing until exit.
    const [file, argv] = asUser('sh', ['-c', script], undefined, { ...d.env, TERM: 'xterm-256color', DLOPEN_TRAP_FILE: trapFile });
    pane = new TmuxSession([file, ...argv].map(shellQuote).join(' '), { width: 100, height: 30 });
  });
  after(async () => {
    pane?.close();
    await d?.stop();
  });

  test('an action refused, an action done, the daemon lost and back, then quit', async () => {
    await pane.waitFor(/● connected/, 'the console attached');
    pane.send('4');
    await pane.waitFor(/filters \(none\)/, 'the logging view');
    pane.send('f');
    pane.type('9:qemu');
    pane.send('Enter');
    await pane.waitFor(/log filters not sent/, 'the syntax error inline');
    pane.send('f');
    pane.send('C-u');
    pane.type('1:qemu');
    pane.send('Enter');
    await pane.waitFor(/set log filters: done/, 'the daemon answer');
    await d.halt();
    await pane.waitFor(/● (reconnecting|lost)/, 'the console noticing');
    await d.start();
    await pane.waitFor(/● connected/, 'the reconnection', 15000);
    pane.send('q');
    const screen = await pane.waitFor(/console exited \d+/, 'the exit');
    assert.match(screen, /console exited 0/);
    assert.doesNotMatch(screen, /"level"|"msg"/, 'no log line on the terminal');

    const records = readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; uri?: string; connection?: string });
    const said = (level: number, re: RegExp) => records.some((r) => r.level === level && re.test(r.msg));
    assert.ok(said(30, /^console attached$/), 'attached, at info');
    assert.ok(said(40, /^log filters not sent/), 'the refused action, at warn');
    assert.ok(said(30, /^set log filters: done$/), 'the action done, at info');
    assert.ok(records.some((r) => r.level >= 30 && /^connection (reconnecting|lost)/.test(r.msg)), 'the daemon lost');
    assert.ok(said(30, /^connection connected$/), 'back');
    assert.equal(records.at(-1)?.msg, 'console closed', 'everything written before exit');
    assert.ok(records.every((r) => r.uri === undefined || r.uri === d.adminUri));
  });

  test('loaded no native addon', () => {
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'test', 'helpers', 'dlopen-trap.js')));
    const loaded = existsSync(trapFile) ? readFileSync(trapFile, 'utf8') : '';
    assert.equal(loaded, '', `the console loaded: ${loaded}`);
  });
});

test('--log-file that cannot be opened is an error before anything is drawn', async () => {
  const { runTool } = await import('../helpers/tools.js');
  const r = await runTool(process.execPath, [TUI_BIN, '--log-file', '/nonexistent/dir/console.log', '-c', 'libvirtd:///session?socket=/nonexistent.sock'], { timeoutMs: 10000 });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot open the log file \/nonexistent\/dir\/console\.log: ENOENT/);
});

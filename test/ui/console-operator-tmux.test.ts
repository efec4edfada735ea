/**
 * Issue 9, as an operator found the defects: the real binary in a tmux pane
 * of 80x24 against libvirtd 9.0 and against `virtd libvirtd`, both in session
 * mode as the test user, with 33 clients (one never makes a call, so its
 * identity is unknown). Every refused change is confirmed unchanged, and every
 * change made, by the real virt-admin.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type ClientHolder, holdClients } from '../helpers/client-holder.js';
import { startConsolePane } from '../helpers/console-pane.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import type { TmuxSession } from '../helpers/tmux.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { startVirtd } from '../helpers/virtd.js';

const PROBE = join(REPO_ROOT, 'dist', 'test', 'helpers', 'probe-daemon-process.js');
const CLIENTS = 33;

for (const [label, start, ours] of [
  ['libvirtd 9.0', () => startRealLibvirtd(), false],
  ['virtd libvirtd', () => startVirtd('libvirtd', { asTestUser: true }), true],
] as const) {
  describe(`issue 9 in tmux at 80x24 against ${label}`, { timeout: 180000 }, () => {
    let d: DaemonUnderTest;
    let pane: TmuxSession;
    let crowd: ClientHolder;
    let loner: ClientHolder;
    const adminSays = async (args: string[]) => {
      const r = await d.virtAdmin(args);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const timeoutOfOurs = async () => JSON.parse((await d.run(process.execPath, [PROBE, d.adminUri])).stdout).timeoutSec as number;
    /** Waits for text that may wrap: the screen's blanks, line ends and box borders count as one space. */
    const flat = (screen: string) => screen.replace(/[│┃]/g, ' ').replace(/\s+/g, ' ');
    const waitForText = (re: RegExp, what: string, timeoutMs?: number) => pane.waitFor((screen) => re.test(flat(screen)), what, timeoutMs);
    /**
     * Escape closes any prompt or page; the next key waits until it has (a key right behind
     * an Escape reaches the console as one Alt-key).
     */
    const escape = async () => {
      pane.send('Escape');
      await pane.waitFor((screen) => !/Esc cancel|any key closes/.test(screen), 'nothing open');
    };
    const view = async (n: number) => {
      await escape();
      pane.send(String(n));
    };
    before(async () => {
      d = await start();
      crowd = await holdClients(d, CLIENTS - 2, 60000, 1);
      loner = await holdClients(d, 1);
      pane = startConsolePane(d, { width: 80, height: 24 });
      await pane.waitFor(new RegExp(`${CLIENTS} of ${CLIENTS} clients`), 'every client listed', 20000);
    });
    after(async () => {
      pane?.close();
      crowd?.stop();
      loner?.stop();
      await d?.stop();
    });

    test('item 2: every identity is fetched, and the screen says how many are known', async () => {
      await view(3);
      // The client that never made a call has no identity: the view says so instead of pretending.
      await pane.waitFor(new RegExp(`identity known for ${CLIENTS - 1} of ${CLIENTS}`), 'the identity count');
      // The loner's row (the highest id) was never on screen: the filter still finds it.
      pane.send('/');
      pane.send('C-u');
      pane.type(String(loner.pid));
      pane.send('Enter');
      await pane.waitFor(new RegExp(`1 of ${CLIENTS} clients`), 'the pid filter finds a client never shown');
      pane.send('/');
      pane.send('C-u');
      pane.type('virttest');
      pane.send('Enter');
      await pane.waitFor(new RegExp(`${CLIENTS - 1} of ${CLIENTS} clients`), 'the user filter finds every known client');
      pane.send('/');
      pane.send('C-u');
      pane.send('Enter');
      await pane.waitFor(new RegExp(`${CLIENTS} of ${CLIENTS} clients`), 'the filter cleared');
    });

    test('item 7: at 80 columns no pid or id is cut', async () => {
      await view(3);
      const screen = await pane.waitFor(new RegExp(`\\b${crowd.pid}\\b`), 'the crowd pid, whole');
      assert.doesNotMatch(screen, /\d…/, 'no number cut short');
      assert.match(screen, /id +transport/);
    });

    test('item 1: the prompts refuse numbers the wire cannot carry, with virt-admin\'s words', async () => {
      await view(2);
      await pane.waitFor(/libvirtd[\s\S]*busy workers/, 'the servers view');
      pane.send('w');
      await pane.waitFor(/worker limits of libvirtd: min=/, 'the worker prompt');
      pane.send('C-u');
      pane.type('max=99999999999');
      pane.send('Enter');
      await waitForText(/Numeric value '99999999999' for <max-workers> option is malformed or out of range/, 'the refusal');
      assert.match(await adminSays(['srv-threadpool-info', 'libvirtd']), /maxWorkers\s+: 20\n/, 'not 1215752191');
      pane.send('l');
      pane.send('C-u');
      pane.type('max=99999999999');
      pane.send('Enter');
      await waitForText(/Numeric value '99999999999' for <max-clients> option is malformed or out of range/, 'the refusal');
      assert.match(await adminSays(['srv-clients-info', 'libvirtd']), /nclients_max +: 5000\n/);
      pane.send('o');
      await pane.waitFor(/auto-shutdown timeout in seconds/, 'the timeout prompt');
      pane.send('C-u');
      pane.type('4294967297');
      pane.send('Enter');
      await waitForText(/Numeric value '4294967297' for <timeout> option is malformed or out of range/, 'the refusal');
      if (ours) assert.equal(await timeoutOfOurs(), 0, 'not 1: the daemon would exit once idle');
      // The palette reads its options the same way, and prints virt-admin's two lines.
      pane.send(':');
      pane.type('srv-threadpool-set libvirtd --max-workers -1');
      pane.send('Enter');
      await waitForText(/Numeric value '-1' for <max-workers> option is malformed or out of range; Unable to parse integer parameter 'max-workers'/, 'the palette refusal');
      assert.match(await adminSays(['srv-threadpool-info', 'libvirtd']), /maxWorkers\s+: 20\n/);
    });

    test('item 12: ←/→ move the cursor in a prompt', async () => {
      await view(2);
      pane.send('w');
      await pane.waitFor(/worker limits of libvirtd: min=/, 'the worker prompt');
      pane.send('C-u');
      pane.type('min=5 max=2 prio=5');
      for (let i = 0; i < 7; i++) pane.send('Left');
      pane.type('1');
      pane.send('Right');
      pane.send('Left');
      pane.type('0');
      await pane.waitFor(/worker limits of libvirtd: min=5 max=210 prio=5/, 'typed at the cursor');
      pane.send('BSpace');
      pane.send('Enter');
      await pane.waitFor(/set worker limits of libvirtd: done/, 'the daemon answer');
      assert.match(await adminSays(['srv-threadpool-info', 'libvirtd']), /maxWorkers\s+: 21\n/);
      await adminSays(['srv-threadpool-set', 'libvirtd', '--max-workers', '20']);
    });

    test('item 11: busy workers against the current pool and its maximum', async () => {
      await view(2);
      await pane.waitFor(/busy workers +[█▒░]+ \d+ busy \/ 5 current \/ 20 max/, 'busy / current / max');
    });

    test('item 5: the palette parses quotes, knows help and quit, keeps a history and completes', async () => {
      await view(3);
      pane.send(':');
      const open = await pane.waitFor(/Enter run, Tab complete/, 'the palette prompt');
      assert.doesNotMatch(open, /::/, 'its prompt is one colon');
      pane.type('daemon-log-filters --filters "1:qemu 3:rpc"');
      pane.send('Enter');
      await pane.waitFor(/daemon-log-filters: done/, 'the daemon answer');
      assert.equal((await adminSays(['daemon-log-filters'])).trim(), 'Logging filters: 1:*qemu* 3:*rpc*');
      pane.send(':');
      pane.type('help client-list');
      pane.send('Enter');
      await pane.waitFor(/client-list - list clients connected to <server>[\s\S]*SYNOPSIS/, 'the help page');
      await escape();
      pane.send(':');
      pane.send('Up');
      await pane.waitFor(/:help client-list/, 'the last line back with ↑');
      pane.send('Up');
      await pane.waitFor(/:daemon-log-filters --filters "1:qemu 3:rpc"/, 'the one before');
      pane.send('C-u');
      pane.type('srv-threadp');
      pane.send('Tab');
      await pane.waitFor(/:srv-threadpool-[^a-z]/, 'completed to the common prefix');
      pane.type('i');
      pane.send('Tab');
      pane.type('l');
      pane.send('Tab');
      await pane.waitFor(/:srv-threadpool-info libvirtd /, 'the verb, then the server, completed');
      pane.send('Enter');
      await pane.waitFor(/minWorkers +: 5/, 'the verb ran');
      await adminSays(['daemon-log-filters', '--filters', '']);
    });

    test('item 12: the timeout prompt starts from the value in force where the daemon reports it', async () => {
      await adminSays(['daemon-timeout', '--timeout', '300']);
      await view(3);
      pane.send('o');
      if (ours) await waitForText(/auto-shutdown timeout in seconds \(0 = never\): 300/, 'prefilled with 300');
      else await waitForText(/the daemon does not report the current one\): Enter send/, 'empty, saying why');
      await escape();
      await adminSays(['daemon-timeout', '--timeout', '0']);
    });

    test('item 12: a log file must be an absolute path', async () => {
      await view(4);
      pane.send('u');
      pane.send('C-u');
      pane.type('1:file:relative.log');
      pane.send('Enter');
      await waitForText(/set log outputs: not sent: .*must be an absolute path/, 'the refusal');
      assert.equal((await adminSays(['daemon-log-outputs'])).trim(), 'Logging outputs: 3:stderr');
    });

    test('item 9: a message does not follow the operator to another view', async () => {
      await view(4);
      pane.send('u');
      pane.send('C-u');
      pane.type('1:file:relative.log');
      pane.send('Enter');
      await pane.waitFor(/set log outputs: /, 'an answer on the logging view');
      pane.send('3');
      await pane.waitFor((s) => /clients/.test(s) && !/set log outputs/.test(s), 'gone on the clients view');
    });

    test('item 4 and 12: view 1 marks the daemon attached; Enter on one not running refuses and keeps it', async () => {
      await view(1);
      await pane.waitFor(/▶ libvirtd +session/, 'the attached daemon marked');
      // The dashboard lists what is on the host; 'a' adds the known daemons that are not.
      pane.send('a');
      await waitForText(/a: hide daemons not here/, 'every known daemon listed');
      pane.send('j');
      pane.send('Enter');
      await waitForText(/is not running \(its admin socket is absent\): still showing libvirtd:/, 'the refusal');
      pane.send('a');
      await view(3);
      const screen = await pane.waitFor(new RegExp(`${CLIENTS} of ${CLIENTS} clients`), 'the same clients');
      assert.match(screen, /● connected/);
    });

    test('items 8 and 9: the reason of a connection error is readable; a restart is announced with both pids', async () => {
      await view(3);
      const before = d.pid;
      await d.halt();
      await waitForText(/Failed to connect socket to '\S*libvirt-admin-sock': (No such file or directory|Connection refused)/, 'the whole reason at 80 columns', 15000);
      await d.start();
      const notice = await waitForText(/libvirtd restarted at \d\d:\d\d:\d\d \(pid \d+ → \d+\); runtime changes since then are gone/, 'the restart notice', 20000);
      const [, from, to] = /\(pid (\d+) → (\d+)\)/.exec(flat(notice))!;
      assert.deepEqual([Number(from), Number(to)], [before, d.pid]);
    });

    test('item 5: :quit leaves the console', async () => {
      await escape();
      pane.send(':');
      pane.type('quit');
      pane.send('Enter');
      await pane.waitFor(/console exited 0/, 'the exit');
    });
  });
}

/**
 * Issue 9, item 10: the console must not flood the debug log it helps read.
 * Against libvirtd 9.0 (no events: it must poll), libvirtd's own RPC log
 * counts the console's calls: on the Logging view each poll asks for the
 * filters and the outputs and nothing else, and while a debug (priority 1)
 * filter is on, polls come five times less often. Both are read from the
 * daemon's log, call by call, not timed by the test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startConsolePane } from '../helpers/console-pane.js';
import type { DaemonUnderTest } from '../helpers/daemon-under-test.js';
import { startRealLibvirtd } from '../helpers/real-libvirtd.js';
import type { TmuxSession } from '../helpers/tmux.js';
import { until } from '../helpers/until.js';

const ADMIN_PROGRAM = 0x06900690;
const GET_LOGGING_FILTERS = 15;
const GET_LOGGING_OUTPUTS = 14;
// The dashboard's history of each daemon goes on off the dashboard, every fifth poll (issue 12).
const LIST_SERVERS = 4;
const GET_THREADPOOL_PARAMETERS = 6;
const GET_CLIENT_LIMITS = 12;

interface Call {
  atMs: number;
  client: string;
  proc: number;
}

/** The admin calls libvirtd logged (RPC_SERVER_CLIENT_MSG_RX at priority 2), after line `from`. */
function adminCalls(log: string, from: number): Call[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .slice(from)
    .flatMap((line) => {
      const m = /^(\S+ \S+?)\+\d{4}: .*RPC_SERVER_CLIENT_MSG_RX: client=(\S+) .*prog=(\d+) vers=\d+ proc=(\d+) type=0 /.exec(line);
      return m && Number(m[3]) === ADMIN_PROGRAM ? [{ atMs: Date.parse(`${m[1]!.replace(' ', 'T')}Z`), client: m[2]!, proc: Number(m[4]) }] : [];
    });
}

const lineCount = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0);

describe('issue 9 item 10: what the console asks libvirtd 9.0, from its own log', { timeout: 120000 }, () => {
  let d: DaemonUnderTest;
  let pane: TmuxSession;
  let log: string;
  /** The console's calls after line `from`, once at least `polls` polls are in (each asks for the filters once). */
  const consoleCalls = async (from: number, polls: number) => {
    let calls: Call[] = [];
    await until(
      () => {
        calls = adminCalls(log, from);
        const pollsIn = calls.filter((c) => c.proc === GET_LOGGING_FILTERS);
        return pollsIn.length >= polls;
      },
      { timeoutMs: 30000, intervalMs: 100, message: `${polls} polls in libvirtd's log` },
    );
    const console = calls.find((c) => c.proc === GET_LOGGING_FILTERS)!.client;
    return calls.filter((c) => c.client === console);
  };
  before(async () => {
    d = await startRealLibvirtd();
    log = join(d.env.HOME!, 'rpc.log');
    // Priority 2 (info) logs every call received, without turning on debug logging.
    for (const args of [['daemon-log-outputs', '--outputs', `2:file:${log}`], ['daemon-log-filters', '--filters', '2:rpc']]) {
      const r = await d.virtAdmin(args);
      assert.equal(r.code, 0, r.stderr);
    }
    pane = startConsolePane(d, { interval: 0.5 });
    pane.send('4');
    await pane.waitFor(/filters 2:\*rpc\*/, 'the logging view');
  });
  after(async () => {
    pane?.close();
    await d?.stop();
  });

  test('on the Logging view each poll asks for the filters and the outputs; the history sample comes every fifth', async () => {
    const from = lineCount(log);
    const calls = await consoleCalls(from, 11);
    // From the first poll counted to the eleventh: ten whole polls.
    const at = calls.map((c, i) => [c, i] as const).filter(([c]) => c.proc === GET_LOGGING_FILTERS).map(([, i]) => i);
    const polls = calls.slice(at[0], at[10]);
    const settings = polls.filter((c) => c.proc === GET_LOGGING_FILTERS || c.proc === GET_LOGGING_OUTPUTS);
    assert.equal(settings.length, 10 * 2, 'two calls a poll for the log settings');
    const samples = polls.filter((c) => c.proc !== GET_LOGGING_FILTERS && c.proc !== GET_LOGGING_OUTPUTS);
    assert.deepEqual([...new Set(samples.map((c) => c.proc))].filter((p) => p !== LIST_SERVERS).sort((a, b) => a - b), [GET_THREADPOOL_PARAMETERS, GET_CLIENT_LIMITS], 'besides them only the pools and limits');
    // libvirtd has two servers: a sample is two pool and two limit calls; at most one per five polls (plus a slack of one).
    const pools = samples.filter((c) => c.proc === GET_THREADPOOL_PARAMETERS).length;
    assert.ok(pools >= 2 && pools <= 2 * 3, `${pools} pool calls in ten polls`);
  });

  test('with a debug filter on, the console polls five times less often and says so', async () => {
    const r = await d.virtAdmin(['daemon-log-filters', '--filters', '1:rpc']);
    assert.equal(r.code, 0, r.stderr);
    await pane.waitFor(/polling every 2\.5s: debug logging is on/, 'the console saying it slowed down');
    const from = lineCount(log);
    const polls = (await consoleCalls(from, 3)).filter((c) => c.proc === GET_LOGGING_FILTERS);
    const gaps = polls.slice(1).map((c, i) => c.atMs - polls[i]!.atMs);
    // Polls every 0.5 s become every 2.5 s (0.5 s before the fix; a timer tick may land late, never early).
    for (const gap of gaps) assert.ok(gap >= 2000, `${gap} ms between polls: ${JSON.stringify(gaps)}`);
  });
});

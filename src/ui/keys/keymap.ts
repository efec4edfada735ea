/**
 * Every key of the console, as data: the help overlay is drawn from this
 * table and every key press runs through its entry, so the two cannot drift.
 */
import type { Key } from 'ink';
import { type SortKey, VIEWS, type ViewName } from '../store/console-state.js';
import type { Console } from '../store/console-store.js';

export interface KeyBinding {
  keys: string;
  views: readonly ViewName[] | 'all';
  description: string;
  /** Changes the daemon: shown disabled and refused with --readonly. */
  changesDaemon?: boolean;
  matches(input: string, key: Key): boolean;
  run(s: Console, input: string, key: Key): void;
}

const char = (c: string) => (input: string) => input === c;
const SORT_KEYS: Readonly<Record<string, SortKey>> = { i: 'id', t: 'transport', c: 'connectedAt', u: 'user', p: 'pid' };
const HOST_SORT_KEYS: Readonly<Record<string, SortKey>> = { ...SORT_KEYS, n: 'daemon', e: 'server', x: 'process' };

export const KEYMAP: readonly KeyBinding[] = [
  {
    keys: '1-7',
    views: 'all',
    description: 'views: host dashboard, servers, clients, logging, all clients of the host, live log, certificates',
    matches: (i) => /^[1-7]$/.test(i),
    run: (s, i) => s.setView(VIEWS[Number(i) - 1]!),
  },
  { keys: 'Tab', views: 'all', description: 'next view', matches: (_i, k) => k.tab, run: (s) => s.nextView() },
  { keys: '↑/↓ k/j', views: 'all', description: 'move the selection', matches: (i, k) => k.upArrow || k.downArrow || i === 'k' || i === 'j', run: (s, i, k) => s.moveCursor(k.upArrow || i === 'k' ? -1 : 1) },
  { keys: 'PgUp/PgDn', views: ['clients', 'dashboard', 'host-clients'], description: 'move a page', matches: (_i, k) => k.pageUp || k.pageDown, run: (s, _i, k) => s.moveCursor(k.pageUp ? -s.pageSize : s.pageSize) },
  { keys: 'r', views: ['tls'], description: 'read the TLS files again', matches: char('r'), run: (s) => void s.refreshTls() },
  { keys: 'r', views: 'all', description: 'refresh now', matches: char('r'), run: (s) => void s.refresh() },
  { keys: 'Enter', views: ['dashboard'], description: 'show the selected daemon in views 2-4, 6 and 7', matches: (_i, k) => k.return, run: (s) => void s.attachSelectedDaemon() },
  { keys: 'a', views: ['dashboard'], description: 'also list known daemons of which nothing is on this host', matches: char('a'), run: (s) => s.toggleAbsent() },
  { keys: 'R', views: ['dashboard'], description: 're-exec the selected virtlogd or virtlockd (SIGUSR1; asks first, says what depends on it)', changesDaemon: true, matches: char('R'), run: (s) => void s.askReexec() },
  { keys: 'Enter', views: ['servers'], description: "show the selected server's clients", matches: (_i, k) => k.return, run: (s) => s.chooseServer() },
  { keys: 'Enter', views: ['clients', 'host-clients'], description: 'show or hide the client detail', matches: (_i, k) => k.return, run: (s) => s.toggleDetail() },
  { keys: '/', views: ['clients'], description: 'filter: words, or ro:yes ro:no user:NAME uid:N pid:N id:N', matches: char('/'), run: (s) => s.promptFilter() },
  {
    keys: '/',
    views: ['host-clients'],
    description: 'filter: as in view 3, and daemon:NAME server:NAME proc:WORD age:>1h auth:no',
    matches: char('/'),
    run: (s) => s.promptFilter(),
  },
  {
    keys: 'i t c u p',
    views: ['clients'],
    description: 'sort by id, transport, connection time, user, pid (again: reverse)',
    matches: (i) => i.length === 1 && i in SORT_KEYS,
    run: (s, i) => s.setSort(SORT_KEYS[i]!),
  },
  {
    keys: 'i t c u p n e x',
    views: ['host-clients'],
    description: 'sort by id, transport, connection time, user, pid, daemon, server, process (again: reverse)',
    matches: (i) => i.length === 1 && i in HOST_SORT_KEYS,
    run: (s, i) => s.setSort(HOST_SORT_KEYS[i]!),
  },
  { keys: 'd', views: ['clients', 'host-clients'], description: 'disconnect the selected client (asks first)', changesDaemon: true, matches: char('d'), run: (s) => s.askDisconnect() },
  {
    keys: 'D',
    views: ['host-clients'],
    description: 'disconnect every client the filter shows (lists them first, then asks; never the console\'s own)',
    changesDaemon: true,
    matches: char('D'),
    run: (s) => s.askBatchDisconnect(),
  },
  { keys: 'w', views: ['servers'], description: 'change worker-pool limits', changesDaemon: true, matches: char('w'), run: (s) => s.promptThreadpool() },
  { keys: 'l', views: ['servers'], description: 'change client limits', changesDaemon: true, matches: char('l'), run: (s) => s.promptClientLimits() },
  { keys: 'T', views: ['servers'], description: 'reload TLS certificates of the selected server (and check what is served)', changesDaemon: true, matches: char('T'), run: (s) => void s.reloadTls() },
  { keys: 'T', views: ['tls'], description: 'reload the TLS files, then check with a new handshake which certificate is served', changesDaemon: true, matches: char('T'), run: (s) => void s.reloadTlsChecked() },
  { keys: 'f', views: ['log'], description: "this view's filters (ours stream through them)", matches: char('f'), run: (s) => s.promptLiveLogFilters() },
  { keys: 'c', views: ['log'], description: 'clear the lines shown', matches: char('c'), run: (s) => s.clearLiveLog() },
  { keys: 'C', views: 'all', description: 'debug capture: daemons, preset or filters, duration; restored at the end', changesDaemon: true, matches: char('C'), run: (s) => void s.promptCapture() },
  { keys: 'X', views: 'all', description: 'end the running debug capture now and restore', matches: char('X'), run: (s) => (s.capture ? void s.stopCapture('operator') : s.note('no debug capture is running (C starts one)')) },
  { keys: 'D', views: ['servers', 'logging'], description: 'drift: what a restart would lose, and the config lines that keep it', matches: char('D'), run: (s) => void s.showDrift() },
  { keys: 'o', views: 'all', description: 'set the auto-shutdown timeout', changesDaemon: true, matches: char('o'), run: (s) => void s.promptTimeout() },
  { keys: 'f', views: ['logging'], description: 'edit log filters', changesDaemon: true, matches: char('f'), run: (s) => s.promptLogFilters() },
  { keys: 'u', views: ['logging'], description: 'edit log outputs', changesDaemon: true, matches: char('u'), run: (s) => s.promptLogOutputs() },
  { keys: ':', views: 'all', description: 'run virt-admin verbs (:help lists them, :quit); ↑/↓ history, Tab completes', matches: char(':'), run: (s) => s.promptPalette() },
  { keys: 'F Esc', views: 'all', description: 'back to the fleet view (with --host or a hosts file)', matches: (i, k) => i === 'F' || k.escape, run: (s, _i, k) => (k.escape && !s.inFleet ? undefined : s.backToFleet()) },
  { keys: '?', views: 'all', description: 'this help', matches: char('?'), run: (s) => s.setOverlayHelp() },
  { keys: 'q', views: 'all', description: 'quit', matches: char('q'), run: (s) => s.quit() },
];

export function bindingFor(view: ViewName, input: string, key: Key): KeyBinding | undefined {
  return KEYMAP.find((b) => (b.views === 'all' || b.views.includes(view)) && b.matches(input, key));
}

/** Dispatches one key press through its table entry. */
export function handleKey(s: Console, input: string, key: Key): void {
  const binding = bindingFor(s.view, input, key);
  if (!binding) return;
  if (binding.changesDaemon && s.readonly) return s.note(`${binding.description}: disabled, the console is read-only (--readonly)`);
  binding.run(s, input, key);
}

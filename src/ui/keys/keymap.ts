/**
 * Every key of the console, as data: the help overlay is drawn from this
 * table and the input handler dispatches through it.
 */
import type { Key } from 'ink';
import type { ConsoleState, ViewName } from '../store/console-state.js';
import type { ConsoleActions } from '../store/console-store.js';

type S = ConsoleState & ConsoleActions;

export interface KeyBinding {
  keys: string;
  views: readonly ViewName[] | 'all';
  description: string;
  /** Changes the daemon: shown disabled and refused with --readonly. */
  changesDaemon?: boolean;
  matches(input: string, key: Key): boolean;
  run(s: S): void;
}

const char = (c: string) => (input: string) => input === c;

export const KEYMAP: readonly KeyBinding[] = [
  { keys: '1-4', views: 'all', description: 'views: daemons, servers, clients, logging', matches: (i) => /^[1-4]$/.test(i), run: () => {} },
  { keys: 'Tab', views: 'all', description: 'next view', matches: (_i, k) => k.tab, run: (s) => s.nextView() },
  { keys: '↑/↓ k/j', views: 'all', description: 'move the selection', matches: (i, k) => k.upArrow || k.downArrow || i === 'k' || i === 'j', run: () => {} },
  { keys: 'PgUp/PgDn', views: ['clients'], description: 'move a page', matches: (_i, k) => k.pageUp || k.pageDown, run: () => {} },
  { keys: 'r', views: 'all', description: 'refresh now', matches: char('r'), run: (s) => void s.refresh() },
  { keys: 'Enter', views: ['daemons'], description: "attach to the selected daemon's admin socket", matches: (_i, k) => k.return, run: (s) => void s.attachSelectedDaemon() },
  { keys: 'Enter', views: ['servers'], description: "show the selected server's clients", matches: (_i, k) => k.return, run: (s) => s.chooseServer() },
  { keys: 'Enter', views: ['clients'], description: 'show or hide the client detail', matches: (_i, k) => k.return, run: (s) => s.toggleDetail() },
  { keys: '/', views: ['clients'], description: 'filter clients (id, user, uid, pid, address)', matches: char('/'), run: (s) => s.promptFilter() },
  { keys: 'i t c', views: ['clients'], description: 'sort by id, transport, connection time (again: reverse)', matches: (i) => 'itc'.includes(i) && i !== '', run: () => {} },
  { keys: 'd', views: ['clients'], description: 'disconnect the selected client (asks first)', changesDaemon: true, matches: char('d'), run: (s) => s.askDisconnect() },
  { keys: 'w', views: ['servers'], description: 'change worker-pool limits', changesDaemon: true, matches: char('w'), run: (s) => s.promptThreadpool() },
  { keys: 'l', views: ['servers'], description: 'change client limits', changesDaemon: true, matches: char('l'), run: (s) => s.promptClientLimits() },
  { keys: 'T', views: ['servers'], description: 'reload TLS certificates of the selected server', changesDaemon: true, matches: char('T'), run: (s) => void s.reloadTls() },
  { keys: 'o', views: 'all', description: 'set the auto-shutdown timeout', changesDaemon: true, matches: char('o'), run: (s) => s.promptTimeout() },
  { keys: 'f', views: ['logging'], description: 'edit log filters', changesDaemon: true, matches: char('f'), run: (s) => s.promptLogFilters() },
  { keys: 'u', views: ['logging'], description: 'edit log outputs', changesDaemon: true, matches: char('u'), run: (s) => s.promptLogOutputs() },
  { keys: ':', views: 'all', description: "run a virt-admin verb, e.g. ':srv-threadpool-info libvirtd'", matches: char(':'), run: (s) => s.promptPalette() },
  { keys: '?', views: 'all', description: 'this help', matches: char('?'), run: () => {} },
  { keys: 'q', views: 'all', description: 'quit', matches: char('q'), run: () => {} },
];

const SORT_KEYS = { i: 'id', t: 'transport', c: 'connectedAt' } as const;

/** Dispatches one key press; returns 'quit' when the operator asked to leave. */
export function handleKey(s: S, input: string, key: Key, pageSize: number): 'quit' | undefined {
  if (input === 'q') return 'quit';
  if (/^[1-4]$/.test(input)) return void s.setView((['daemons', 'servers', 'clients', 'logging'] as const)[Number(input) - 1]!);
  if (input === '?') return void (s.overlay ? s.closeOverlay() : s.setOverlayHelp());
  if (key.upArrow || input === 'k') return void s.moveCursor(-1);
  if (key.downArrow || input === 'j') return void s.moveCursor(1);
  if (key.pageUp) return void s.moveCursor(-pageSize);
  if (key.pageDown) return void s.moveCursor(pageSize);
  if (s.view === 'clients' && input in SORT_KEYS) return void s.setSort(SORT_KEYS[input as keyof typeof SORT_KEYS]);
  const binding = KEYMAP.find((b) => (b.views === 'all' || b.views.includes(s.view)) && b.matches(input, key));
  if (!binding) return undefined;
  if (binding.changesDaemon && s.readonly) {
    s.note(`${binding.description}: disabled, the console is read-only (--readonly)`);
    return undefined;
  }
  binding.run(s);
  return undefined;
}

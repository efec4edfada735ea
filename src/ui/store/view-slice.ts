/** What the operator looks at: the view, each view's cursor, the clients' sort and filter, the screen size. */
import type { StateCreator } from 'zustand/vanilla';
import { orderClients } from './client-rows.js';
import { type SortKey, VIEWS, type ViewName } from './console-state.js';
import type { Console } from './console-store.js';

export interface ViewSlice {
  view: ViewName;
  daemonCursor: number;
  serverCursor: number;
  clientCursor: number;
  sortKey: SortKey;
  sortDescending: boolean;
  filter: string;
  showDetail: boolean;
  /** Rows the clients table has room for. */
  pageSize: number;
  /** The terminal's width: the clients table fits its columns to it. */
  columns: number;
  setView(view: ViewName): void;
  nextView(): void;
  moveCursor(delta: number): void;
  setSort(key: SortKey): void;
  setFilter(text: string): void;
  toggleDetail(): void;
  setScreen(rows: number, columns: number): void;
}

/** The clients view's rows in order (filter and sort applied). */
export function orderedClients(s: Console) {
  return orderClients(s.target.clients, s.target.identities, s.filter, s.sortKey, s.sortDescending);
}

const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));

export const createViewSlice: StateCreator<Console, [], [], ViewSlice> = (set, get) => ({
  view: 'clients',
  daemonCursor: 0,
  serverCursor: 0,
  clientCursor: 0,
  sortKey: 'id',
  sortDescending: false,
  filter: '',
  showDetail: false,
  pageSize: 15,
  columns: 100,
  setView(view) {
    const was = get().view;
    if (view === was) return;
    get().clearMessage();
    set({ view, showDetail: false });
    if (was === 'log') void get().stopLiveLog();
    if (view === 'log') void get().startLiveLog();
    if (view === 'tls') void get().refreshTls();
    if (view === 'servers' || view === 'logging') void get().refreshDrift();
    if (view === 'daemons') void get().discover();
    // A view polls only what it shows: fetch it now rather than at the next tick.
    void get().refresh();
  },
  nextView: () => get().setView(VIEWS[(VIEWS.indexOf(get().view) + 1) % VIEWS.length]!),
  moveCursor(delta) {
    const s = get();
    if (s.view === 'daemons') set({ daemonCursor: clamp(s.daemonCursor + delta, s.daemons.length - 1) });
    else if (s.view === 'servers') set({ serverCursor: clamp(s.serverCursor + delta, s.target.servers.length - 1) });
    else if (s.view === 'clients') set({ clientCursor: clamp(s.clientCursor + delta, orderedClients(s).length - 1) });
  },
  setSort: (key) => set({ sortKey: key, sortDescending: get().sortKey === key ? !get().sortDescending : false, clientCursor: 0 }),
  setFilter: (filter) => set({ filter, clientCursor: 0 }),
  toggleDetail: () => set({ showDetail: !get().showDetail }),
  setScreen: (rows, columns) => set({ pageSize: Math.max(3, rows), columns: Math.max(40, columns) }),
});

/** What the operator looks at: the view, each view's cursor, the clients' and the host table's sort and filter, the screen size. */
import type { StateCreator } from 'zustand/vanilla';
import { orderClients } from './client-rows.js';
import { type SortKey, VIEWS, type ViewName } from './console-state.js';
import type { Console } from './console-store.js';
import { dashboardRows } from './dashboard-rows.js';
import { type HostClientRow, orderHostRows, targetRows } from './host-rows.js';

export interface ViewSlice {
  view: ViewName;
  daemonCursor: number;
  serverCursor: number;
  clientCursor: number;
  hostCursor: number;
  sortKey: SortKey;
  sortDescending: boolean;
  filter: string;
  hostSortKey: SortKey;
  hostSortDescending: boolean;
  hostFilter: string;
  /** The dashboard lists known daemons of which nothing is on this host too. */
  showAbsent: boolean;
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
  toggleAbsent(): void;
  setScreen(rows: number, columns: number): void;
}

/** The clients view's rows in order (filter and sort applied). */
export function orderedClients(s: Console) {
  return orderClients(s.target.clients, s.target.identities, s.filter, s.sortKey, s.sortDescending);
}

/** The daemons in the host table, in the dashboard's order. */
export function hostTargets(s: Console) {
  return dashboardRows(s).flatMap((r) => (r.target ? [r.target] : []));
}

/** The host table's rows in order (filter and sort applied). */
export function orderedHostClients(s: Console, nowMs = Date.now()): HostClientRow[] {
  return orderHostRows(hostTargets(s).map(targetRows), s.hostFilter, s.hostSortKey, s.hostSortDescending, nowMs);
}

const clamp = (v: number, max: number) => Math.max(0, Math.min(max, v));

export const createViewSlice: StateCreator<Console, [], [], ViewSlice> = (set, get) => ({
  view: 'clients',
  daemonCursor: 0,
  serverCursor: 0,
  clientCursor: 0,
  hostCursor: 0,
  sortKey: 'id',
  sortDescending: false,
  filter: '',
  hostSortKey: 'daemon',
  hostSortDescending: false,
  hostFilter: '',
  showAbsent: false,
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
    if (view === 'dashboard') void get().discover();
    // A view polls only what it shows: fetch it now rather than at the next tick.
    void get().refresh();
  },
  nextView: () => get().setView(VIEWS[(VIEWS.indexOf(get().view) + 1) % VIEWS.length]!),
  moveCursor(delta) {
    const s = get();
    if (s.view === 'dashboard') set({ daemonCursor: clamp(s.daemonCursor + delta, dashboardRows(s).length - 1) });
    else if (s.view === 'servers') set({ serverCursor: clamp(s.serverCursor + delta, s.target.servers.length - 1) });
    else if (s.view === 'clients') set({ clientCursor: clamp(s.clientCursor + delta, orderedClients(s).length - 1) });
    else if (s.view === 'host-clients') set({ hostCursor: clamp(s.hostCursor + delta, orderedHostClients(s).length - 1) });
  },
  setSort(key) {
    if (get().view === 'host-clients') set({ hostSortKey: key, hostSortDescending: get().hostSortKey === key ? !get().hostSortDescending : false, hostCursor: 0 });
    else set({ sortKey: key, sortDescending: get().sortKey === key ? !get().sortDescending : false, clientCursor: 0 });
  },
  setFilter(text) {
    if (get().view === 'host-clients') set({ hostFilter: text, hostCursor: 0 });
    else set({ filter: text, clientCursor: 0 });
  },
  toggleDetail: () => set({ showDetail: !get().showDetail }),
  toggleAbsent: () => set({ showAbsent: !get().showAbsent, daemonCursor: 0 }),
  setScreen: (rows, columns) => set({ pageSize: Math.max(3, rows), columns: Math.max(40, columns) }),
});

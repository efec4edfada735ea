/**
 * The console's store (zustand), built around an injected admin client: it
 * polls the daemon at an interval (never two polls at once), keeps the last
 * data when the daemon goes away, and turns operator actions into admin calls
 * whose answer (or the daemon's error) it records for the views.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type AdminClient, discoverDaemons, type DiscoveryOptions, transportName } from '../../admin-client/index.js';
import { changesDaemon, findVerb, parseVerbArgs } from '../verbs/index.js';
import { type ConsoleState, type SortKey, VIEWS, type ViewName } from './console-state.js';
import { checkLogFilters, checkLogOutputs } from './log-syntax.js';
import { orderClients, windowAround } from './visible-clients.js';

export interface ConsoleActions {
  refresh(): Promise<void>;
  discover(): Promise<void>;
  setView(view: ViewName): void;
  nextView(): void;
  moveCursor(delta: number): void;
  setSort(key: SortKey): void;
  setFilter(text: string): void;
  toggleDetail(): void;
  chooseServer(): void;
  askDisconnect(): void;
  promptFilter(): void;
  promptLogFilters(): void;
  promptLogOutputs(): void;
  promptThreadpool(): void;
  promptClientLimits(): void;
  promptTimeout(): void;
  promptPalette(): void;
  reloadTls(): Promise<void>;
  attachSelectedDaemon(): Promise<void>;
  closeOverlay(): void;
  setOverlayHelp(): void;
  editInput(value: string): void;
  note(text: string): void;
  setPageSize(rows: number): void;
}

export type ConsoleStore = StoreApi<ConsoleState & ConsoleActions>;

export interface StoreOptions {
  uri: string;
  readonly: boolean;
  /** Opens a client for another daemon (the daemons view's Enter). */
  connect?: (uri: string) => Promise<AdminClient>;
  discovery?: DiscoveryOptions;
  now?: () => number;
}

/** "min=5 max=20 prio=5" -> { min: 5, ... }; undefined when malformed. */
function parseAssignments(text: string, keys: readonly string[]): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(part);
    if (!m || !keys.includes(m[1]!)) return undefined;
    out[m[1]!] = Number(m[2]);
  }
  return Object.keys(out).length ? out : undefined;
}

export function createConsoleStore(initialAdmin: AdminClient, opts: StoreOptions): ConsoleStore {
  let admin = initialAdmin;
  let polling: Promise<void> | undefined;
  const now = opts.now ?? Date.now;

  const store = createStore<ConsoleState & ConsoleActions>()((set, get) => {
    /** Runs an action against the daemon and records its answer for the status line. */
    const act = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      if (get().readonly) {
        set({ message: { text: `${what}: refused, the console is read-only (--readonly)`, error: true } });
        return;
      }
      try {
        await fn();
        set({ message: { text: `${what}: done`, error: false } });
      } catch (err) {
        set({ message: { text: `${what}: ${(err as Error).message}`, error: true } });
      }
      await get().refresh();
    };
    const input = (label: string, value: string, onSubmit: (v: string) => Promise<void>) => set({ overlay: { kind: 'input', label, value, onSubmit } });
    const ordered = () => {
      const s = get();
      return orderClients(s.clients, s.clientInfo, s.filter, s.sortKey, s.sortDescending);
    };
    const selectedClient = () => ordered()[get().clientCursor];

    /** Identity for the rows on screen only: 10,000 clients cost one call per visible row. */
    const fetchVisibleInfo = async () => {
      const s = get();
      const rows = ordered();
      const { top, end } = windowAround(s.clientCursor, rows.length, s.pageSize);
      const missing = rows.slice(top, end).filter((c) => !s.clientInfo.has(c.id));
      if (missing.length === 0) return;
      const found = await Promise.all(
        missing.map((c) =>
          admin.getClientInfo(s.clientServer, c.id).catch(() => undefined), // no identity before a client's first call (libvirt's rule)
        ),
      );
      const info = new Map(get().clientInfo);
      found.forEach((i) => i && info.set(i.id, i));
      set({ clientInfo: info });
    };

    const poll = async () => {
      const s = get();
      // The daemon's own servers first, 'admin' last: libvirtd lists admin first, ours last.
      const listed = await admin.listServers();
      const names = [...listed.filter((n) => n !== 'admin'), ...listed.filter((n) => n === 'admin')];
      const services = await admin.listServices();
      const servers = await Promise.all(
        names.map(async (name) => ({
          name,
          threadpool: await admin.getThreadpoolParameters(name),
          limits: await admin.getClientLimits(name),
          services: services?.filter((svc) => svc.server === name),
        })),
      );
      const clientServer = names.includes(s.clientServer) ? s.clientServer : (names.find((n) => n !== 'admin') ?? names[0] ?? '');
      const clients = clientServer ? await admin.listClients(clientServer) : [];
      const [filters, outputs] = await Promise.all([admin.getLoggingFilters(), admin.getLoggingOutputs()]);
      const ids = new Set(clients.map((c) => c.id));
      const info = new Map([...s.clientInfo].filter(([id]) => ids.has(id)));
      set({ servers, clientServer, clients, clientInfo: info, logFilters: filters.filters, logOutputs: outputs.outputs });
      await fetchVisibleInfo();
      set({ refreshedAt: now(), connection: admin.state, connectionError: undefined });
    };

    return {
      uri: opts.uri,
      readonly: opts.readonly,
      connection: admin.state,
      liveEvents: false,
      view: 'clients',
      daemons: [],
      daemonCursor: 0,
      servers: [],
      serverCursor: 0,
      clientServer: '',
      clients: [],
      clientInfo: new Map(),
      sortKey: 'id',
      sortDescending: false,
      filter: '',
      clientCursor: 0,
      pageSize: 15,
      showDetail: false,
      logFilters: null,
      logOutputs: '',

      refresh() {
        polling ??= poll()
          .catch((err: Error) => set({ connection: admin.state, connectionError: err.message }))
          .finally(() => (polling = undefined));
        return polling;
      },
      async discover() {
        // Running daemons first: they are what an operator attaches to.
        const found = await discoverDaemons(opts.discovery);
        set({ daemons: [...found.filter((d) => d.running), ...found.filter((d) => !d.running)] });
      },
      setView(view) {
        set({ view, showDetail: false });
        if (view === 'daemons') void get().discover();
      },
      nextView: () => set({ view: VIEWS[(VIEWS.indexOf(get().view) + 1) % VIEWS.length]!, showDetail: false }),
      moveCursor(delta) {
        const s = get();
        if (s.view === 'daemons') set({ daemonCursor: Math.max(0, Math.min(s.daemons.length - 1, s.daemonCursor + delta)) });
        else if (s.view === 'servers') set({ serverCursor: Math.max(0, Math.min(s.servers.length - 1, s.serverCursor + delta)) });
        else if (s.view === 'clients') {
          set({ clientCursor: Math.max(0, Math.min(ordered().length - 1, s.clientCursor + delta)) });
          void fetchVisibleInfo().catch(() => {});
        }
      },
      setSort: (key) => set({ sortKey: key, sortDescending: get().sortKey === key ? !get().sortDescending : false, clientCursor: 0 }),
      setFilter: (filter) => set({ filter, clientCursor: 0 }),
      toggleDetail: () => set({ showDetail: !get().showDetail }),
      chooseServer() {
        const server = get().servers[get().serverCursor];
        if (server) set({ clientServer: server.name, view: 'clients', clientCursor: 0, clientInfo: new Map() });
        void get().refresh();
      },
      askDisconnect() {
        const c = selectedClient();
        if (!c) return;
        const info = get().clientInfo.get(c.id);
        const who = `${info?.unixUserName ?? info?.sockAddr ?? 'unknown user'}, pid ${info?.unixProcessId ?? '?'}, ${c.transport}`;
        const server = get().clientServer;
        set({ overlay: { kind: 'confirm', text: `Disconnect client ${c.id} (${who})?`, onYes: () => act(`disconnect client ${c.id}`, () => admin.closeClient(server, c.id)) } });
      },
      promptFilter: () => input('filter clients', get().filter, async (v) => get().setFilter(v)),
      promptLogFilters: () =>
        input('log filters', (get().logFilters ?? '').trim(), async (v) => {
          const bad = checkLogFilters(v);
          if (bad) set({ message: { text: `log filters not sent: ${bad}`, error: true } });
          else await act('set log filters', () => admin.setLoggingFilters(v));
        }),
      promptLogOutputs: () =>
        input('log outputs', get().logOutputs, async (v) => {
          const bad = checkLogOutputs(v);
          if (bad) set({ message: { text: `log outputs not sent: ${bad}`, error: true } });
          else await act('set log outputs', () => admin.setLoggingOutputs(v));
        }),
      promptThreadpool() {
        const server = get().servers[get().serverCursor];
        if (!server?.threadpool) return;
        const tp = server.threadpool;
        input(`worker limits of ${server.name}`, `min=${tp.minWorkers} max=${tp.maxWorkers} prio=${tp.prioWorkers}`, async (v) => {
          const a = parseAssignments(v, ['min', 'max', 'prio']);
          if (!a) set({ message: { text: 'worker limits: write e.g. "min=5 max=20 prio=5"', error: true } });
          else await act(`set worker limits of ${server.name}`, () => admin.setThreadpoolParameters(server.name, { minWorkers: a.min, maxWorkers: a.max, prioWorkers: a.prio }));
        });
      },
      promptClientLimits() {
        const server = get().servers[get().serverCursor];
        if (!server?.limits) return;
        input(`client limits of ${server.name}`, `max=${server.limits.nclientsMax} unauth=${server.limits.nclientsUnauthMax}`, async (v) => {
          const a = parseAssignments(v, ['max', 'unauth']);
          if (!a) set({ message: { text: 'client limits: write e.g. "max=5000 unauth=20"', error: true } });
          else await act(`set client limits of ${server.name}`, () => admin.setClientLimits(server.name, { maxClients: a.max, maxUnauthClients: a.unauth }));
        });
      },
      promptTimeout: () =>
        input('auto-shutdown timeout in seconds (0 = never)', '0', async (v) => {
          if (!/^\d+$/.test(v)) set({ message: { text: `timeout: '${v}' is not a number of seconds`, error: true } });
          else await act(`set daemon timeout to ${v} s`, () => admin.setDaemonTimeout(Number(v)));
        }),
      promptPalette: () =>
        input(':', '', async (line) => {
          const [name, ...words] = line.trim().split(/\s+/);
          if (!name) return;
          const verb = findVerb(name);
          if (!verb) return set({ message: { text: `unknown command: '${name}'`, error: true } });
          let args;
          try {
            args = parseVerbArgs(verb, words);
          } catch (err) {
            return set({ message: { text: (err as Error).message, error: true } });
          }
          const usage = verb.check?.(args);
          if (usage) return set({ message: { text: usage, error: true } });
          if (changesDaemon(verb, args) && get().readonly) {
            return set({ message: { text: `${verb.name}: refused, the console is read-only (--readonly)`, error: true } });
          }
          try {
            const out = await verb.run({ admin, quiet: false }, args);
            set({ message: { text: out.text.trimEnd() || `${verb.name}: done`, error: false } });
          } catch (err) {
            set({ message: { text: `${verb.name}: ${(err as Error).message}`, error: true } });
          }
          await get().refresh();
        }),
      reloadTls: () => {
        const server = get().servers[get().serverCursor]?.name ?? get().clientServer;
        return act(`reload TLS files of ${server}`, () => admin.updateTlsFiles(server));
      },
      async attachSelectedDaemon() {
        const d = get().daemons[get().daemonCursor];
        if (!d || !opts.connect) return;
        try {
          const next = await opts.connect(d.adminUri);
          const old = admin;
          admin = next;
          follow(admin);
          await old.close();
          void subscribe(admin);
          set({ uri: d.adminUri, connection: admin.state, servers: [], clients: [], clientInfo: new Map(), clientServer: '', view: 'servers', message: { text: `attached to ${d.name} (${d.mode})`, error: false } });
          await get().refresh();
        } catch (err) {
          set({ message: { text: `attach to ${d.name}: ${(err as Error).message}`, error: true } });
        }
      },
      closeOverlay: () => set({ overlay: undefined }),
      setOverlayHelp: () => set({ overlay: { kind: 'help' } }),
      editInput(value) {
        const o = get().overlay;
        if (o?.kind === 'input') set({ overlay: { ...o, value } });
      },
      note: (text) => set({ message: { text, error: true } }),
      setPageSize: (rows) => set({ pageSize: Math.max(3, rows) }),
    };
  });
  function follow(client: AdminClient): void {
    client.onState((state, error) => {
      if (client === admin) store.setState({ connection: state, ...(error ? { connectionError: error.message } : {}) });
    });
  }
  /**
   * With our daemons, a client coming or going shows at once: the event itself updates the
   * list, and a refresh follows shortly (coalesced) for the counts and gauges.
   */
  async function subscribe(client: AdminClient): Promise<void> {
    let pending: NodeJS.Timeout | undefined;
    const live = await client
      .subscribeClientEvents((e) => {
        if (client !== admin) return;
        const s = store.getState();
        if (e.server === s.clientServer) {
          if (e.event === 'disconnect') store.setState({ clients: s.clients.filter((c) => c.id !== e.id) });
          else if (!s.clients.some((c) => c.id === e.id)) store.setState({ clients: [...s.clients, { server: e.server, id: e.id, transport: transportName(e.transport), connectedAt: e.timestamp }] });
        }
        pending ??= setTimeout(() => {
          pending = undefined;
          if (client === admin) void store.getState().refresh();
        }, 250);
      })
      .catch(() => false);
    if (client === admin) store.setState({ liveEvents: live });
  }
  follow(admin);
  void subscribe(admin);
  return store;
}

/** Polls every `intervalMs` until the returned function is called. */
export function startPolling(store: ConsoleStore, intervalMs: number): () => void {
  void store.getState().refresh();
  void store.getState().discover();
  const timer = setInterval(() => void store.getState().refresh(), intervalMs);
  const discovery = setInterval(() => void store.getState().discover(), Math.max(intervalMs * 5, 5000));
  return () => {
    clearInterval(timer);
    clearInterval(discovery);
  };
}

/**
 * The console's store (zustand), from typed slices: the host layer (every
 * daemon found, one target per attached daemon), the selected target and the
 * polling clock, the view, prompts, actions, the status line, and the
 * operator's tasks (debug capture, live log, drift, certificates). Views
 * select only what they draw; only the target sessions and the action slice
 * talk to admin clients, and everything host-wide goes through the `Host`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type AdminClient, type AdminClientOptions, type DiscoveryOptions, type Host, LocalHost } from '../../admin-client/index.js';
import { journalDirectory } from '../../tasks/index.js';
import { type ActionSlice, createActionSlice } from './action-slice.js';
import { type BatchSlice, createBatchSlice } from './batch-slice.js';
import { type CaptureSlice, createCaptureSlice } from './capture-slice.js';
import { createDriftSlice, type DriftSlice } from './drift-slice.js';
import { createFleetLinkSlice, type FleetLinkSlice } from './fleet-link-slice.js';
import { createHostSlice, type HostSlice, TargetRegistry } from './host-slice.js';
import { createLiveLogSlice, type LiveLogSlice } from './live-log-slice.js';
import { createPromptSlice, type PromptSlice } from './prompt-slice.js';
import { createStatusSlice, DEFAULT_TTL_MS, type MessageTtl, type StatusSlice } from './status-slice.js';
import { createTargetSlice, type TargetSlice } from './target-slice.js';
import type { TaskLink } from './task-link.js';
import { createTlsSlice, type TlsSlice } from './tls-slice.js';
import { createViewSlice, type ViewSlice } from './view-slice.js';

export type Console = HostSlice &
  TargetSlice &
  ViewSlice &
  PromptSlice &
  ActionSlice &
  BatchSlice &
  StatusSlice &
  CaptureSlice &
  LiveLogSlice &
  DriftSlice &
  TlsSlice &
  FleetLinkSlice;
export type ConsoleStore = StoreApi<Console>;

/** How the console connects to the daemons it finds: reconnecting, at most a second apart (a daemon back is shown within 2 s). */
export const CONSOLE_CONNECT: AdminClientOptions = { reconnect: true, backoffMs: { initial: 250, max: 1000 } };

/** How a remote host's ssh connection is made again once lost: doubling from 250 ms, at most 3 s apart. */
export const SSH_BACKOFF_MS = { initial: 250, max: 3000 };

/**
 * A host that stops answering (its sockets still open) is called lost after this many seconds
 * times three unanswered probes (ssh's ServerAliveCountMax): within 4 s, so a silent host's
 * row says so within 5 s.
 */
export const SSH_ALIVE_INTERVAL_SEC = 1;

export interface StoreOptions {
  readonly: boolean;
  /** Where the daemons live (their files, processes and TLS listeners too); this machine unless said. */
  host?: Host;
  /** How the host's other daemons are connected to. */
  connectOptions?: AdminClientOptions;
  discovery?: DiscoveryOptions;
  now?: () => number;
  /** How long each kind of status message stays. */
  messageTtlMs?: Partial<MessageTtl>;
  /** Goes back to the fleet view (a host's console opened from it). */
  toFleet?: () => void;
  /** Where debug captures keep their restore journals. */
  journalDir?: string;
}

/** `admin`: the daemon shown first (-c); the host's others are attached as discovery finds them. */
export function createConsoleStore(admin: AdminClient, opts: StoreOptions): ConsoleStore {
  const now = opts.now ?? Date.now;
  const reg = new TargetRegistry(opts.host ?? new LocalHost(), opts.connectOptions ?? CONSOLE_CONNECT);
  return createStore<Console>()((...a) => {
    const get = a[1];
    // The operator's tasks act on the daemon the single-daemon views show (the selected target).
    const tasks: TaskLink = {
      host: reg.host,
      journalDir: opts.journalDir ?? journalDirectory(),
      selected() {
        const session = reg.sessions.get(get().selectedKey);
        return session && { key: session.key, admin: session.admin };
      },
    };
    return {
      ...createStatusSlice(now, { ...DEFAULT_TTL_MS, ...opts.messageTtlMs })(...a),
      ...createHostSlice(reg, admin, opts.discovery, now)(...a),
      ...createViewSlice(...a),
      ...createPromptSlice(...a),
      ...createActionSlice(reg, opts.readonly)(...a),
      ...createBatchSlice(reg, opts.readonly)(...a),
      ...createTargetSlice(reg, now)(...a),
      ...createCaptureSlice(tasks)(...a),
      ...createLiveLogSlice(tasks)(...a),
      ...createDriftSlice(tasks, now)(...a),
      ...createTlsSlice(tasks, now)(...a),
      ...createFleetLinkSlice(opts.toFleet, reg)(...a),
    };
  });
}

/** Polls every `intervalMs` (slower for a daemon while its debug logging is on) until the returned function is called. */
export function startPolling(store: ConsoleStore, intervalMs: number): () => void {
  store.getState().setPollInterval(intervalMs);
  void store.getState().discover();
  void store.getState().refresh();
  const timer = setInterval(() => void store.getState().tick(), intervalMs);
  // Each tick moves the clock with its answers; polling less often than each second, times shown still move each second.
  const clock = intervalMs > 1000 ? setInterval(() => store.setState({ clockMs: Date.now() }), 1000) : undefined;
  // The dashboard finds daemons that appear or go every poll; elsewhere now and then.
  let round = 0;
  const discovery = setInterval(() => {
    const every = store.getState().view === 'dashboard' ? 1 : 5;
    if (++round % every === 0) void store.getState().discover();
  }, intervalMs);
  return () => {
    clearInterval(timer);
    clearInterval(clock);
    clearInterval(discovery);
  };
}

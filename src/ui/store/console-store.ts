/**
 * The console's store (zustand), from typed slices around an injected admin
 * client: the target (the attached daemon), the view, prompts, actions, the
 * status line, and the host's daemons. Views select only what they draw;
 * only the target and action slices call the admin client.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type AdminClient, type DiscoveryOptions, type Host, LocalHost } from '../../admin-client/index.js';
import { journalDirectory } from '../../tasks/index.js';
import { type ActionSlice, createActionSlice } from './action-slice.js';
import { type CaptureSlice, createCaptureSlice } from './capture-slice.js';
import { createDriftSlice, type DriftSlice } from './drift-slice.js';
import { createLiveLogSlice, type LiveLogSlice } from './live-log-slice.js';
import type { TaskLink } from './task-link.js';
import { createTlsSlice, type TlsSlice } from './tls-slice.js';
import { createHostSlice, type HostSlice } from './host-slice.js';
import { createPromptSlice, type PromptSlice } from './prompt-slice.js';
import { createStatusSlice, DEFAULT_TTL_MS, type MessageTtl, type StatusSlice } from './status-slice.js';
import { createTargetSlice, type TargetLink, type TargetSlice } from './target-slice.js';
import { createViewSlice, type ViewSlice } from './view-slice.js';

export type Console = TargetSlice & ViewSlice & PromptSlice & ActionSlice & StatusSlice & HostSlice & CaptureSlice & LiveLogSlice & DriftSlice & TlsSlice;
export type ConsoleStore = StoreApi<Console>;

export interface StoreOptions {
  readonly: boolean;
  /** Opens a client for another daemon (the daemons view's Enter). */
  connect?: (uri: string) => Promise<AdminClient>;
  discovery?: DiscoveryOptions;
  now?: () => number;
  /** How long each kind of status message stays. */
  messageTtlMs?: Partial<MessageTtl>;
  /** Where the daemons live (their files, processes and TLS listeners are reached through it). */
  host?: Host;
  /** Where debug captures keep their restore journals. */
  journalDir?: string;
}

export function createConsoleStore(admin: AdminClient, opts: StoreOptions): ConsoleStore {
  const now = opts.now ?? Date.now;
  const link: TargetLink = { admin, connect: opts.connect };
  const tasks: TaskLink = {
    host: opts.host ?? new LocalHost(),
    journalDir: opts.journalDir ?? journalDirectory(),
    selected: () => ({ key: link.admin.target.socketPath, admin: link.admin }),
  };
  return createStore<Console>()((...a) => ({
    ...createStatusSlice(now, { ...DEFAULT_TTL_MS, ...opts.messageTtlMs })(...a),
    ...createHostSlice(opts.discovery)(...a),
    ...createViewSlice(...a),
    ...createPromptSlice(...a),
    ...createActionSlice(link, opts.readonly)(...a),
    ...createTargetSlice(link, now)(...a),
    ...createCaptureSlice(tasks)(...a),
    ...createLiveLogSlice(tasks)(...a),
    ...createDriftSlice(tasks, now)(...a),
    ...createTlsSlice(tasks, now)(...a),
  }));
}

/** Polls every `intervalMs` (slower while debug logging is on) until the returned function is called. */
export function startPolling(store: ConsoleStore, intervalMs: number): () => void {
  store.getState().setPollInterval(intervalMs);
  void store.getState().refresh();
  void store.getState().discover();
  const timer = setInterval(() => void store.getState().tick(), intervalMs);
  const discovery = setInterval(() => {
    if (store.getState().view === 'daemons') void store.getState().discover();
  }, Math.max(intervalMs * 5, 5000));
  return () => {
    clearInterval(timer);
    clearInterval(discovery);
  };
}

/**
 * The console's store (zustand), from typed slices around an injected admin
 * client: the target (the attached daemon), the view, prompts, actions, the
 * status line, and the host's daemons. Views select only what they draw;
 * only the target and action slices call the admin client.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { type AdminClient, type DiscoveryOptions, type Host, LocalHost } from '../../admin-client/index.js';
import { type ActionSlice, createActionSlice } from './action-slice.js';
import { createHostSlice, type HostSlice } from './host-slice.js';
import { createPromptSlice, type PromptSlice } from './prompt-slice.js';
import { createStatusSlice, DEFAULT_TTL_MS, type MessageTtl, type StatusSlice } from './status-slice.js';
import { createTargetSlice, type TargetLink, type TargetSlice } from './target-slice.js';
import { createViewSlice, type ViewSlice } from './view-slice.js';

export type Console = TargetSlice & ViewSlice & PromptSlice & ActionSlice & StatusSlice & HostSlice;
export type ConsoleStore = StoreApi<Console>;

export interface StoreOptions {
  readonly: boolean;
  /** Opens a client for another daemon (the daemons view's Enter). */
  connect?: (uri: string) => Promise<AdminClient>;
  discovery?: DiscoveryOptions;
  /** The host whose daemons the daemons view lists; this machine unless said. */
  host?: Host;
  now?: () => number;
  /** How long each kind of status message stays. */
  messageTtlMs?: Partial<MessageTtl>;
}

export function createConsoleStore(admin: AdminClient, opts: StoreOptions): ConsoleStore {
  const now = opts.now ?? Date.now;
  const link: TargetLink = { admin, connect: opts.connect };
  return createStore<Console>()((...a) => ({
    ...createStatusSlice(now, { ...DEFAULT_TTL_MS, ...opts.messageTtlMs })(...a),
    ...createHostSlice(opts.host ?? new LocalHost(), opts.discovery)(...a),
    ...createViewSlice(...a),
    ...createPromptSlice(...a),
    ...createActionSlice(link, opts.readonly)(...a),
    ...createTargetSlice(link, now)(...a),
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

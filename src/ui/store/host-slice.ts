/** The host layer: which daemons the host has (this one, or one over SSH), found by discovery (view 1). */
import type { StateCreator } from 'zustand/vanilla';
import type { DiscoveredDaemon, DiscoveryOptions, Host } from '../../admin-client/index.js';
import type { Console } from './console-store.js';

export interface HostSlice {
  daemons: DiscoveredDaemon[];
  discover(): Promise<void>;
}

export const createHostSlice =
  (host: Host, discovery: DiscoveryOptions | undefined): StateCreator<Console, [], [], HostSlice> =>
  (set) => ({
    daemons: [],
    async discover() {
      // Running daemons first: they are what an operator attaches to.
      const found = await host.discover(discovery);
      set({ daemons: [...found.filter((d) => d.running), ...found.filter((d) => !d.running)] });
    },
  });

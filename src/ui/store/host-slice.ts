/** The host layer: which daemons this host has, found by discovery (view 1). */
import type { StateCreator } from 'zustand/vanilla';
import { discoverDaemons, type DiscoveredDaemon, type DiscoveryOptions } from '../../admin-client/index.js';
import type { Console } from './console-store.js';

export interface HostSlice {
  daemons: DiscoveredDaemon[];
  discover(): Promise<void>;
}

export const createHostSlice =
  (discovery: DiscoveryOptions | undefined): StateCreator<Console, [], [], HostSlice> =>
  (set) => ({
    daemons: [],
    async discover() {
      // Running daemons first: they are what an operator attaches to.
      const found = await discoverDaemons(discovery);
      set({ daemons: [...found.filter((d) => d.running), ...found.filter((d) => !d.running)] });
    },
  });

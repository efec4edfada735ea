/** A host's console opened from the fleet view knows the way back (issue 14); a console on one host has none. */
import type { StateCreator } from 'zustand/vanilla';
import type { Console } from './console-store.js';

export interface FleetLinkSlice {
  /** The console shows one host of a fleet (--host, or the hosts file). */
  inFleet: boolean;
  backToFleet(): void;
}

export const createFleetLinkSlice =
  (toFleet: (() => void) | undefined): StateCreator<Console, [], [], FleetLinkSlice> =>
  (_set, get) => ({
    inFleet: toFleet !== undefined,
    backToFleet() {
      if (toFleet) toFleet();
      else get().note('one host only: start with --host (repeated) or a hosts file for the fleet view');
    },
  });

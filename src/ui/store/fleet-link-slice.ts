/** A host's console opened from the fleet view knows the way back (issue 14); a console on one host has none. */
import type { StateCreator } from 'zustand/vanilla';
import type { Console } from './console-store.js';
import type { TargetRegistry } from './host-slice.js';
import type { AttachedDaemon } from './host-warnings.js';

export interface FleetLinkSlice {
  /** The console shows one host of a fleet (--host, or the hosts file). */
  inFleet: boolean;
  backToFleet(): void;
  /** The daemons attached and answering now, with their admin clients (the fleet row's warnings read through them). */
  answeringDaemons(): AttachedDaemon[];
}

export const createFleetLinkSlice =
  (toFleet: (() => void) | undefined, reg: TargetRegistry): StateCreator<Console, [], [], FleetLinkSlice> =>
  (_set, get) => ({
    inFleet: toFleet !== undefined,
    backToFleet() {
      if (toFleet) toFleet();
      else get().note('one host only: start with --host (repeated) or a hosts file for the fleet view');
    },
    answeringDaemons() {
      const targets = get().targets;
      return [...reg.sessions.values()]
        .filter((s) => targets[s.key]?.connection === 'connected')
        .map((s) => ({ name: targets[s.key]!.daemonName ?? s.admin.uri, admin: s.admin }));
    },
  });

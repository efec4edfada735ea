/**
 * The bench's fleet probe: the console's hosts (FleetHost, each with its own
 * console store) on the given hosts, as the fleet view runs them; waits until
 * every host has all its daemons attached and sampled, then times whole
 * refreshes of the fleet (every host's dashboard data: each daemon's pools
 * and limits, all hosts at once). A host given with a session directory is
 * this machine (run as the daemons' user); one without, over SSH. Prints one
 * JSON line: the attach time and each refresh in milliseconds.
 */
import { type Host, HostPool, LocalHost, parseHostSpec } from '../src/admin-client/index.js';
import { FleetHost } from '../src/ui/store/fleet-host.js';

interface ProbeArgs {
  hosts: { spec: string; sessionDir?: string }[];
  sshConfig?: string;
  daemonsPerHost: number;
  refreshes: number;
}

const args = JSON.parse(process.argv[2]!) as ProbeArgs;
const pool = new HostPool({ ssh: { configFile: args.sshConfig, aliveIntervalSec: 1 } });
const t0 = performance.now();
let resolveReady: () => void;
const ready = new Promise<void>((r) => (resolveReady = r));
const fleet: FleetHost[] = [];
const check = () => {
  const done = fleet.every((h) => {
    const targets = Object.values(h.store?.getState().targets ?? {});
    return targets.length === args.daemonsPerHost && targets.every((t) => t.connection === 'connected' && t.history.length > 0);
  });
  if (done && fleet.length === args.hosts.length) resolveReady();
};
for (const { spec, sessionDir } of args.hosts) {
  const entry = parseHostSpec(spec);
  const host: Host = sessionDir ? new LocalHost() : entry.kind === 'ssh' ? pool.sshHost(entry.destination, entry.transport) : pool.local;
  fleet.push(
    new FleetHost(entry, host, {
      readonly: true,
      // The timers stay out of the way: the probe drives every refresh itself.
      intervalMs: 3600_000,
      discovery: { modes: ['session'], ...(sessionDir ? { sessionDir } : {}) },
      toFleet: () => {},
      screen: () => ({ rows: 30, columns: 120 }),
      changed: check,
    }),
  );
}
for (const h of fleet) h.start();
const timeout = setTimeout(() => {
  console.error(`not every host attached: ${fleet.map((h) => `${h.host.name} ${JSON.stringify(h.row())}`).join('; ')}`);
  process.exit(1);
}, 60000);
await ready;
clearTimeout(timeout);
const attachMs = performance.now() - t0;
const refreshMs: number[] = [];
for (let i = 0; i < args.refreshes; i++) {
  const start = performance.now();
  await Promise.all(fleet.map((h) => h.store!.getState().refresh()));
  refreshMs.push(performance.now() - start);
}
await Promise.all(fleet.map((h) => h.close()));
await pool.close();
console.log(JSON.stringify({ attachMs, refreshMs }));

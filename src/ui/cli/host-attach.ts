/**
 * The scriptable twins' view of the host: every daemon discovery finds, an
 * admin connection to each that runs (no reconnecting: a script wants a
 * snapshot), through the same `Host` the console uses.
 */
import type { AdminClient, DiscoveredDaemon, DiscoveryOptions, Host } from '../../admin-client/index.js';

export interface AttachedDaemon {
  daemon: DiscoveredDaemon;
  admin?: AdminClient;
  /** Why there is no connection to a daemon that runs. */
  error?: string;
}

const present = (d: DiscoveredDaemon) => d.running || d.sockets.some((s) => s.state !== 'absent' && s.role !== 'tcp' && s.role !== 'tls');

/** Every daemon present on the host (running, or its sockets there), attached where it runs. */
export async function attachHost(host: Host, discovery: DiscoveryOptions | undefined): Promise<AttachedDaemon[]> {
  const found = (await host.discover(discovery)).filter((d) => present(d) && !d.socketsHeldBy);
  return Promise.all(
    found.map(async (daemon): Promise<AttachedDaemon> => {
      if (!daemon.running) return { daemon };
      try {
        return { daemon, admin: await host.connect(daemon.adminUri) };
      } catch (err) {
        return { daemon, error: (err as Error).message };
      }
    }),
  );
}

export async function detachHost(attached: AttachedDaemon[]): Promise<void> {
  await Promise.all(attached.map((a) => a.admin?.close()));
}

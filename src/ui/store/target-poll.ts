/**
 * What each view needs from the daemon, fetched only when that view is
 * shown (issue 9, item 10): a console watching the Logging view asks for the
 * filters and outputs, not for every server's pool and every client. Where
 * the daemon pushes events (our extension program), what they cover is
 * fetched again only now and then, to catch anything an event missed.
 */
import type { AdminClient } from '../../admin-client/index.js';
import type { ServerState, TargetState, ViewName } from './console-state.js';

/** Every Nth poll re-reads what events keep current, and the log settings from views that do not show them. */
export const RESYNC_ROUNDS = 10;

export interface PollPlan {
  view: ViewName;
  round: number;
  target: TargetState;
  /** What has been fetched since the connection was (re)made. */
  fetched: Set<string>;
}

/** Servers sorted as the views show them: the daemon's own first, 'admin' last (libvirtd lists admin first, ours last). */
export async function fetchServerNames(admin: AdminClient): Promise<string[]> {
  const listed = await admin.listServers();
  return [...listed.filter((n) => n !== 'admin'), ...listed.filter((n) => n === 'admin')];
}

async function fetchServers(admin: AdminClient, previous: ServerState[], withServices: boolean): Promise<ServerState[]> {
  const names = await fetchServerNames(admin);
  const services = withServices ? await admin.listServices() : undefined;
  return Promise.all(
    names.map(async (name) => ({
      name,
      threadpool: await admin.getThreadpoolParameters(name),
      limits: await admin.getClientLimits(name),
      // Listening sockets do not change while a daemon runs: kept from the first fetch.
      services: services ? services.filter((s) => s.server === name) : previous.find((p) => p.name === name)?.services,
    })),
  );
}

/** Whether the settings turn on debug logging (priority 1) for anything. */
export function isDebugLogging(filters: string | null, outputs: string): boolean {
  const words = `${filters ?? ''} ${outputs}`.split(/\s+/).filter(Boolean);
  return words.some((w) => /^\+?1:/.test(w));
}

export async function fetchLogging(admin: AdminClient): Promise<Pick<TargetState, 'logFilters' | 'logOutputs' | 'debugLogging'>> {
  const [filters, outputs] = await Promise.all([admin.getLoggingFilters(), admin.getLoggingOutputs()]);
  return { logFilters: filters.filters, logOutputs: outputs.outputs, debugLogging: isDebugLogging(filters.filters, outputs.outputs) };
}

/** Fetches what `plan.view` shows; returns the changed part of the target. */
export async function pollView(admin: AdminClient, plan: PollPlan): Promise<Partial<TargetState>> {
  const { view, round, target, fetched } = plan;
  const resync = round % RESYNC_ROUNDS === 0;
  const out: Partial<TargetState> = {};
  if (view === 'servers') {
    out.servers = await fetchServers(admin, target.servers, !fetched.has('services'));
    fetched.add('services');
  }
  if (view === 'clients') {
    let names = target.servers.map((s) => s.name);
    if (!names.length || resync) {
      names = await fetchServerNames(admin);
      if (!target.servers.length) out.servers = names.map((name) => ({ name }));
    }
    const clientServer = names.includes(target.clientServer) ? target.clientServer : (names.find((n) => n !== 'admin') ?? names[0] ?? '');
    out.clientServer = clientServer;
    // With events the list follows by itself; it is read again after a change of server and now and then.
    const current = target.liveEvents && fetched.has(`clients:${clientServer}`) && !resync;
    if (!current && clientServer) {
      out.clients = await admin.listClients(clientServer);
      fetched.add(`clients:${clientServer}`);
    }
  }
  const loggingCurrent = target.liveEvents && fetched.has('logging') && !resync;
  if ((view === 'logging' && !loggingCurrent) || !fetched.has('logging') || (resync && !target.liveEvents)) {
    Object.assign(out, await fetchLogging(admin));
    fetched.add('logging');
  }
  return out;
}

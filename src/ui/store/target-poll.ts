/**
 * What each view needs from a daemon, fetched only when that view is shown
 * (issue 9, item 10): a console watching the Logging view asks for the
 * filters and outputs, not for every server's pool and every client. Where
 * the daemon pushes events (our extension program), what they cover is
 * fetched again only now and then, to catch anything an event missed. The
 * dashboard's look at every daemon (pools, limits, load) is `sampleDaemon`.
 */
import type { AdminClient, ClientSummary } from '../../admin-client/index.js';
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

/** A poll's result: the target's changed part, and client lists by server (replacing those servers' lists). */
export interface PollResult {
  patch: Partial<TargetState>;
  clientLists?: Record<string, ClientSummary[]>;
}

/** Servers sorted as the views show them: the daemon's own first, 'admin' last (libvirtd lists admin first, ours last). */
export async function fetchServerNames(admin: AdminClient): Promise<string[]> {
  const listed = await admin.listServers();
  return [...listed.filter((n) => n !== 'admin'), ...listed.filter((n) => n === 'admin')];
}

/**
 * Every server's pool and limits, with our daemons' load figures; the listening sockets only
 * when asked (they do not change while a daemon runs). Server names are read once per
 * connection and again at a resync.
 */
export async function sampleDaemon(admin: AdminClient, target: TargetState, opts: { services: boolean; names: boolean }): Promise<Partial<TargetState>> {
  const names = opts.names || !target.servers.length ? await fetchServerNames(admin) : target.servers.map((s) => s.name);
  const ours = target.liveEvents;
  const [services, load] = await Promise.all([opts.services ? admin.listServices() : undefined, ours ? admin.loadStats() : undefined]);
  const servers: ServerState[] = await Promise.all(
    names.map(async (name) => {
      const previous = target.servers.find((p) => p.name === name);
      const [threadpool, limits] = await Promise.all([admin.getThreadpoolParameters(name), admin.getClientLimits(name)]);
      return {
        name,
        threadpool,
        limits,
        services: services ? services.filter((s) => s.server === name) : previous?.services,
        load: load?.servers.find((s) => s.server === name),
      };
    }),
  );
  return { servers, ...(load ? { load } : {}) };
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

/** Fetches what `plan.view` shows. */
export async function pollView(admin: AdminClient, plan: PollPlan): Promise<PollResult> {
  const { view, round, target, fetched } = plan;
  const resync = round % RESYNC_ROUNDS === 0;
  const patch: Partial<TargetState> = {};
  const out: PollResult = { patch };
  if (view === 'servers') {
    Object.assign(patch, await sampleDaemon(admin, target, { services: !fetched.has('services'), names: resync }));
    fetched.add('services');
  }
  if (view === 'clients' || view === 'host-clients') {
    let names = target.servers.map((s) => s.name);
    if (!names.length || resync) {
      names = await fetchServerNames(admin);
      if (!target.servers.length) patch.servers = names.map((name) => ({ name }));
    }
    const clientServer = names.includes(target.clientServer) ? target.clientServer : (names.find((n) => n !== 'admin') ?? names[0] ?? '');
    if (clientServer !== target.clientServer) patch.clientServer = clientServer;
    // With events the lists follow by themselves; they are read again after a change of server and now and then.
    const wanted = view === 'clients' ? [clientServer].filter(Boolean) : names;
    const stale = wanted.filter((s) => !(target.liveEvents && fetched.has(`clients:${s}`) && !resync));
    if (stale.length) {
      const lists = await Promise.all(stale.map((s) => admin.listClients(s)));
      out.clientLists = Object.fromEntries(stale.map((s, i) => [s, lists[i]!]));
      for (const s of stale) fetched.add(`clients:${s}`);
      if (target.liveEvents && (resync || !fetched.has('unauth'))) {
        const unauth = await admin.unauthClients();
        if (unauth) patch.unauthenticated = new Set(unauth.flatMap((u) => u.ids.map((id) => `${u.server}#${id}`)));
        fetched.add('unauth');
      }
    }
  }
  const loggingCurrent = target.liveEvents && fetched.has('logging') && !resync;
  if ((view === 'logging' && !loggingCurrent) || !fetched.has('logging') || (resync && !target.liveEvents)) {
    Object.assign(patch, await fetchLogging(admin));
    fetched.add('logging');
  }
  return out;
}

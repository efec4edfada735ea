/**
 * `virt-admin-tui host --json`: the dashboard as one JSON document, and
 * `clients --all --json`: every client of the host with who it is and the
 * process behind it. Field names are camelCase, a client's identity fields
 * are libvirt's client-info names in camelCase (as client-list --json).
 */
import type { AdminClient, ClientInfo, ClientSummary, Host } from '../../admin-client/index.js';
import { fetchIdentities } from '../../admin-client/index.js';
import { fetchServerNames } from '../store/target-poll.js';
import { camelCase, clientJson } from '../verbs/client-json.js';
import type { AttachedDaemon } from './host-attach.js';

async function daemonJson(host: Host, a: AttachedDaemon): Promise<Record<string, unknown>> {
  const d = a.daemon;
  const out: Record<string, unknown> = {
    name: d.name,
    mode: d.mode,
    ...(d.uid !== undefined ? { uid: d.uid } : {}),
    running: d.running,
    adminUri: d.adminUri,
    sockets: d.sockets.map((s) => ({ role: s.role, address: s.address, state: s.state })),
  };
  if (a.error) out.error = a.error;
  const admin = a.admin;
  if (!admin) return out;
  const names = await fetchServerNames(admin);
  const [process, filters, outputs, services, load, state] = await Promise.all([
    host.daemonProcess ? host.daemonProcess(admin) : undefined,
    admin.getLoggingFilters(),
    admin.getLoggingOutputs(),
    admin.listServices(),
    admin.loadStats(),
    admin.daemonState(),
  ]);
  if (process) Object.assign(out, { pid: process.pid, startedAt: process.startedAt ?? null, timeoutSec: process.timeoutSec ?? null });
  Object.assign(out, { logFilters: filters.filters ?? '', logOutputs: outputs.outputs });
  if (load?.descriptors) out.descriptors = load.descriptors;
  out.servers = await Promise.all(
    names.map(async (name) => {
      const [tp, l] = await Promise.all([admin.getThreadpoolParameters(name), admin.getClientLimits(name)]);
      const ls = load?.servers.find((s) => s.server === name);
      return {
        name,
        clients: l.nclients,
        maxClients: l.nclientsMax,
        unauthClients: l.nclientsUnauth,
        maxUnauthClients: l.nclientsUnauthMax,
        workers: { min: tp.minWorkers, max: tp.maxWorkers, priority: tp.prioWorkers, current: tp.nWorkers, free: tp.freeWorkers, busy: tp.nWorkers - tp.freeWorkers },
        jobQueueDepth: tp.jobQueueDepth,
        ...(services ? { services: services.filter((s) => s.server === name).map(({ server: _s, ...rest }) => rest) } : {}),
        ...(ls ? { refusedFull: ls.refusedFull, refusedDescriptors: ls.refusedDescriptors, dropped: ls.dropped } : {}),
      };
    }),
  );
  if (state?.logs) out.openLogs = state.logs;
  if (state?.leases) out.leases = state.leases;
  return out;
}

export async function hostJson(host: Host, attached: AttachedDaemon[]): Promise<unknown> {
  return { host: host.name, daemons: await Promise.all(attached.map((a) => daemonJson(host, a))) };
}

/** One client as JSON: summary, identity (client-info's names in camelCase), process, authentication. */
export async function hostClientJson(host: Host, base: Record<string, unknown>, c: ClientSummary, info: ClientInfo | undefined, error?: string, unauth?: Set<number>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { ...base, server: c.server, ...clientJson(c) };
  if (!info) out.identityError = error ?? 'not fetched';
  for (const p of info?.params ?? []) out[camelCase(p.field)] = typeof p.value === 'bigint' ? p.value.toString() : p.value;
  if (info?.unixProcessId !== undefined && info.transport === 'unix') {
    const p = await host.peerProcess(info.unixProcessId, info.unixUserId);
    if (p) Object.assign(out, { processName: p.command, processArgs: p.args });
  }
  if (unauth) out.authenticated = !unauth.has(c.id);
  if (info?.unixProcessId !== undefined && c.server === 'admin' && host.isConsoleProcess?.(info.unixProcessId)) out.thisCommand = true;
  return out;
}

async function daemonClients(host: Host, a: AttachedDaemon & { admin: AdminClient }): Promise<Record<string, unknown>[]> {
  const base = { daemon: a.daemon.name, mode: a.daemon.mode, ...(a.daemon.uid !== undefined ? { uid: a.daemon.uid } : {}) };
  const names = await fetchServerNames(a.admin);
  const unauth = await a.admin.unauthClients();
  const rows: Record<string, unknown>[] = [];
  for (const server of names) {
    const clients = await a.admin.listClients(server);
    const infos = await fetchIdentities(a.admin, clients, { inFlight: 8 });
    const pending = unauth && new Set(unauth.find((u) => u.server === server)?.ids ?? []);
    for (const c of clients) {
      const r = infos.get(c.id);
      rows.push(await hostClientJson(host, base, c, r && 'info' in r ? r.info : undefined, r && 'error' in r ? r.error.message : undefined, pending));
    }
  }
  return rows;
}

export async function hostClientsJson(host: Host, attached: AttachedDaemon[]): Promise<unknown> {
  const live = attached.filter((a): a is AttachedDaemon & { admin: AdminClient } => a.admin !== undefined);
  const lists = await Promise.all(live.map((a) => daemonClients(host, a)));
  const unreachable = attached.filter((a) => a.daemon.running && !a.admin).map((a) => ({ daemon: a.daemon.name, mode: a.daemon.mode, error: a.error }));
  return { host: host.name, clients: lists.flat(), ...(unreachable.length ? { unreachable } : {}) };
}

/**
 * `virt-admin-tui watch --json`: client connect, authenticated and disconnect
 * events from every daemon on the host, one JSON object per line, until
 * interrupted. Our daemons push them (extension program); libvirt's are
 * polled every interval and their client lists compared. Daemons that appear
 * later are picked up at the next discovery.
 */
import type { AdminClient, ClientSummary, DiscoveryOptions, Host } from '../../admin-client/index.js';
import { transportName } from '../../admin-client/index.js';
import { fetchServerNames } from '../store/target-poll.js';
import { attachHost, detachHost, type AttachedDaemon } from './host-attach.js';

export interface WatchOptions {
  intervalMs: number;
  write(line: string): void;
  /** Resolves when the watch should end (SIGINT). */
  stopped: Promise<void>;
}

type Emit = (event: string, fields: Record<string, unknown>) => void;

async function listAll(admin: AdminClient): Promise<Map<string, ClientSummary>> {
  const out = new Map<string, ClientSummary>();
  for (const server of await fetchServerNames(admin)) for (const c of await admin.listClients(server)) out.set(`${server}#${c.id}`, c);
  return out;
}

/** Follows one daemon; returns what stops following it. */
async function follow(a: AttachedDaemon & { admin: AdminClient }, emit: Emit, intervalMs: number): Promise<() => void> {
  const admin = a.admin;
  const base = { daemon: a.daemon.name, mode: a.daemon.mode, ...(a.daemon.uid !== undefined ? { uid: a.daemon.uid } : {}) };
  const clientFields = (c: ClientSummary) => ({ ...base, server: c.server, id: c.id, transport: c.transport, connectedAt: c.connectedAt });
  const pushed = await admin.subscribeClientEvents((e) => {
    const c = { server: e.server, id: e.id, transport: transportName(e.transport), connectedAt: e.timestamp };
    emit(e.event, { ...clientFields(c), ...(e.authPending !== undefined && e.event === 'connect' ? { authenticated: !e.authPending } : {}) });
  });
  let known = await listAll(admin);
  emit('watching', { ...base, source: pushed ? 'events' : 'polling', clients: known.size });
  if (pushed) return () => {};
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    listAll(admin)
      .then((now) => {
        for (const [key, c] of now) if (!known.has(key)) emit('connect', clientFields(c));
        for (const [key, c] of known) if (!now.has(key)) emit('disconnect', clientFields(c));
        known = now;
      })
      .catch((err: Error) => emit('error', { ...base, message: err.message }))
      .finally(() => (busy = false));
  }, intervalMs);
  return () => clearInterval(timer);
}

export async function watchHost(host: Host, discovery: DiscoveryOptions | undefined, o: WatchOptions): Promise<void> {
  const emit: Emit = (event, fields) => o.write(JSON.stringify({ event, at: Date.now(), ...fields }) + '\n');
  const attached: AttachedDaemon[] = [];
  const stops: (() => void)[] = [];
  const watched = new Set<string>();
  const attachNew = async () => {
    for (const a of await attachHost(host, discovery)) {
      const key = a.daemon.adminUri;
      if (!a.admin || watched.has(key)) {
        await a.admin?.close();
        continue;
      }
      watched.add(key);
      attached.push(a);
      const live = a as AttachedDaemon & { admin: AdminClient };
      live.admin.onState((state) => {
        if (state === 'lost') {
          emit('daemon-gone', { daemon: a.daemon.name, mode: a.daemon.mode });
          watched.delete(key);
        }
      });
      stops.push(await follow(live, emit, o.intervalMs));
    }
  };
  await attachNew();
  const rediscover = setInterval(() => void attachNew().catch(() => {}), Math.max(5000, o.intervalMs * 5));
  await o.stopped;
  clearInterval(rediscover);
  for (const stop of stops) stop();
  await detachHost(attached);
}

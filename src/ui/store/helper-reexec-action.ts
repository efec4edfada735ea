/**
 * Re-executing virtlogd or virtlockd from the dashboard (issue 10, item 3).
 * These helpers keep guests' logs and disk leases: stopping one would lose
 * them, so the console never offers a restart, only a re-exec (SIGUSR1, which
 * keeps the process, its pid, clients, pipes and locks), and only where the
 * host can send it (this machine, the pid file held by that pid, the console's
 * user allowed to signal it). The confirmation says what is connected; after
 * it, the console waits until the same pid answers again and says so.
 */
import { type AdminClient, type ClientSummary, fetchIdentities, REEXEC_HELPERS } from '../../admin-client/index.js';
import type { Console } from './console-store.js';
import { dashboardRows } from './dashboard-rows.js';
import type { TargetRegistry } from './host-slice.js';
import { daemonProcessOf } from './target-session.js';

const ANSWER_TIMEOUT_MS = 15000;

/** "2 clients (libvirtd pid 812, qemu-system-x86 pid 900)", from the daemon's own lists. */
async function connectedWords(reg: TargetRegistry, admin: AdminClient): Promise<string> {
  const servers = (await admin.listServers()).filter((s) => s !== 'admin');
  const clients: ClientSummary[] = (await Promise.all(servers.map((s) => admin.listClients(s)))).flat();
  if (!clients.length) return 'no clients';
  const infos = await fetchIdentities(admin, clients.slice(0, 20), { inFlight: 4 });
  const named = await Promise.all(
    clients.slice(0, 20).map(async (c) => {
      const r = infos.get(c.id);
      const info = r && 'info' in r ? r.info : undefined;
      if (info?.unixProcessId === undefined) return `client ${c.id}`;
      const p = await reg.host.peerProcess(info.unixProcessId, info.unixUserId);
      return `${p?.command ?? info.unixUserName ?? 'pid'} pid ${info.unixProcessId}`;
    }),
  );
  const more = clients.length > named.length ? `, and ${clients.length - named.length} more` : '';
  return `${clients.length} client${clients.length === 1 ? '' : 's'} (${named.join(', ')}${more})`;
}

export async function reexecHelper(reg: TargetRegistry, get: () => Console): Promise<void> {
  const s = get();
  const row = dashboardRows(s)[s.daemonCursor];
  if (!row || !REEXEC_HELPERS.includes(row.name)) return s.note('R re-executes virtlogd or virtlockd: select one of them on the dashboard');
  const session = row.key ? reg.sessions.get(row.key) : undefined;
  if (!session || row.target?.connection !== 'connected') return s.note(`${row.name} is not attached and answering: nothing to re-execute`);
  const { host } = reg;
  if (!host.checkReexec || !host.reexec) return s.note(`${row.name} runs on ${host.name}: a re-exec is offered only for daemons on this machine`);
  const admin = session.admin;
  const check = await host.checkReexec(admin);
  if ('refused' in check) return s.note(`re-exec ${row.name}: not offered: ${check.refused}`);
  const state = await admin.daemonState().catch(() => undefined);
  const held = state?.logs
    ? `${state.logs.length} open log${state.logs.length === 1 ? '' : 's'}${state.logs.length ? ` (${state.logs.map((l) => l.path).join(', ')})` : ''}`
    : state?.leases
      ? `${state.leases.length} held lease${state.leases.length === 1 ? '' : 's'}${state.leases.length ? ` (${state.leases.map((l) => `${l.path} for pid ${l.owners.join(',')}`).join('; ')})` : ''}`
      : 'what it holds is not reported by this daemon (libvirt\'s)';
  const connected = await connectedWords(reg, admin).catch((err: Error) => `clients unknown (${err.message})`);
  const text = [
    `Re-execute ${row.name} (pid ${check.pid}, SIGUSR1 from its pid file ${check.pidFile})?`,
    `Connected: ${connected}.`,
    `Held: ${held}.`,
    'It keeps its pid, clients, pipes and locks; nothing is lost. (A restart would lose guests\' logs: not offered.)',
  ].join('\n');
  get().confirm(text, async () => {
    const before = await daemonProcessOf(host, admin).catch(() => undefined);
    const t0 = Date.now();
    try {
      await host.reexec!(check.pid);
    } catch (err) {
      return get().note(`re-exec ${row.name}: SIGUSR1 to pid ${check.pid} failed: ${(err as Error).message}`);
    }
    get().say(`re-exec ${row.name}: SIGUSR1 sent to pid ${check.pid}; waiting for it to answer`, 'notice');
    const deadline = t0 + ANSWER_TIMEOUT_MS;
    for (;;) {
      // Ours report when their image started: a new start time is the new image answering.
      const now = await daemonProcessOf(host, admin).catch(() => undefined);
      const newImage = now?.source === 'extension' ? now.startedAt !== before?.startedAt : now !== undefined && Date.now() - t0 > 0;
      if (now && newImage && admin.state === 'connected') {
        const same = now.pid === check.pid ? `the same pid ${now.pid}` : `pid ${now.pid}, not ${check.pid}`;
        return get().say(`${row.name} re-executed: ${same} answering again after ${Date.now() - t0} ms`, now.pid === check.pid ? 'ok' : 'error');
      }
      if (Date.now() > deadline) return get().note(`re-exec ${row.name}: pid ${check.pid} has not answered for ${ANSWER_TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });
}

/**
 * Batch disconnect by filter (issue 12): `D` on the host table lists exactly
 * who would go (the clients the filter shows, never the console's own admin
 * connections), asks, then disconnects them one by one and shows a result
 * line for each. Until every identity is known a filter can miss clients, so
 * the list says how many could not be judged.
 */
import type { StateCreator } from 'zustand/vanilla';
import { clientDisconnect } from '../verbs/index.js';
import type { Console } from './console-store.js';
import { whoWords } from './client-words.js';
import type { TargetRegistry } from './host-slice.js';
import type { HostClientRow } from './host-rows.js';
import { processText } from './host-rows.js';
import { hostTargets, orderedHostClients } from './view-slice.js';

export interface BatchSlice {
  askBatchDisconnect(): void;
}

/**
 * Whether a row may be the console's own admin connection: a client of an admin server from
 * the console's process, or (on a host that cannot tell its processes) any admin-server client.
 */
export function isConsoleOwn(reg: TargetRegistry, r: HostClientRow): boolean {
  if (r.c.server !== 'admin') return false;
  const pid = r.info?.unixProcessId;
  if (!reg.host.isConsoleProcess) return true;
  return pid === undefined || reg.host.isConsoleProcess(pid);
}

function line(r: HostClientRow): string {
  const text = r.process ? processText(r.process) : '';
  const proc = text ? `  ${text.length > 48 ? `${text.slice(0, 47)}…` : text}` : '';
  return `${r.daemon}/${r.c.server} client ${r.c.id} (${whoWords(r.c, r.info, r.process, r.unauthenticated)})${proc}`;
}

export const createBatchSlice =
  (reg: TargetRegistry, readonly: boolean): StateCreator<Console, [], [], BatchSlice> =>
  (_set, get) => ({
    askBatchDisconnect() {
      const s = get();
      if (readonly) return s.note('batch disconnect: refused, the console is read-only (--readonly)');
      if (!s.hostFilter.trim()) return s.note('batch disconnect: set a filter first (/): D disconnects every client the filter shows');
      const shown = orderedHostClients(s);
      const own = shown.filter((r) => isConsoleOwn(reg, r));
      const going = shown.filter((r) => !isConsoleOwn(reg, r));
      const targets = hostTargets(s);
      const total = targets.reduce((n, t) => n + Object.values(t.clientsByServer).reduce((m, l) => m + l.length, 0), 0);
      const known = targets.reduce((n, t) => n + t.allIdentities.size, 0);
      const notes = [
        own.length ? `${own.length} of the matching clients are this console's own admin connections: kept.` : '',
        known < total ? `Identity known for ${known} of ${total} clients: a client not known yet cannot match and is not listed.` : '',
      ].filter(Boolean);
      if (!going.length) return s.note(`batch disconnect: no client matches "${s.hostFilter}"${own.length ? ' but the console\'s own' : ''}`);
      // The screen shows what fits; the result page lists every client again, one line each.
      const room = Math.max(3, s.pageSize);
      const listed = going.slice(0, room).map((r) => `  ${line(r)}`);
      if (going.length > room) listed.push(`  … and ${going.length - room} more`);
      const text = [`Disconnect these ${going.length} clients (filter "${s.hostFilter}")?`, ...listed, ...notes].join('\n');
      s.confirm(text, async () => {
        const results = await Promise.all(
          going.map(async (r) => {
            const session = reg.sessions.get(r.targetKey);
            if (!session) return `${line(r)}: not sent: ${r.daemon} is no longer attached`;
            try {
              await clientDisconnect.run({ admin: session.admin, quiet: true }, { server: r.c.server, client: BigInt(r.c.id) });
              return `${line(r)}: disconnected`;
            } catch (err) {
              return `${line(r)}: failed: ${(err as Error).message}`;
            }
          }),
        );
        const failed = results.filter((r) => !r.endsWith(': disconnected')).length;
        get().openText('batch disconnect', [`${going.length - failed} of ${going.length} disconnected`, ...results].join('\n'));
        await get().refresh();
      });
    },
  });

/** The clients table's rows: filtered and sorted once per change, then sliced for the window. */
import type { ClientInfo, ClientSummary } from '../../admin-client/index.js';
import type { SortKey } from './console-state.js';

export function matchesFilter(c: ClientSummary, info: ClientInfo | undefined, filter: string): boolean {
  if (!filter) return true;
  const needle = filter.toLowerCase();
  const hay = [String(c.id), c.transport, info?.unixUserName, info?.unixUserId, info?.unixProcessId, info?.sockAddr, info?.x509DName];
  return hay.some((v) => v !== undefined && String(v).toLowerCase().includes(needle));
}

export function orderClients(clients: ClientSummary[], info: Map<number, ClientInfo>, filter: string, key: SortKey, descending: boolean): ClientSummary[] {
  const rows = filter ? clients.filter((c) => matchesFilter(c, info.get(c.id), filter)) : clients.slice();
  const dir = descending ? -1 : 1;
  rows.sort((a, b) => {
    const x = a[key];
    const y = b[key];
    return (x < y ? -1 : x > y ? 1 : a.id - b.id) * dir;
  });
  return rows;
}

/** The window of rows to draw around the cursor. */
export function windowAround(cursor: number, total: number, size: number): { top: number; end: number } {
  const top = Math.max(0, Math.min(cursor - Math.floor(size / 2), total - size));
  return { top, end: Math.min(total, top + size) };
}

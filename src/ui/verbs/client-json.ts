/**
 * One naming style for every JSON field: camelCase. A client's identity
 * fields are libvirt's client-info parameter names in camelCase
 * (unix_user_name → unixUserName, x509dname → x509dname, readonly → readonly),
 * so a field the daemon adds later gets a predictable name too.
 */
import { type ClientInfo, type ClientSummary, localProcessName } from '../../admin-client/index.js';

export function camelCase(field: string): string {
  return field.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** An id as JSON: a number where exact, else its decimal string. */
export function jsonId(id: number | bigint): number | string {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : String(id);
}

export function clientJson(c: ClientSummary): Record<string, unknown> {
  return { id: c.id, transport: c.transport, connectedAt: c.connectedAt };
}

/** The client with its identity; `processName` when the process is on this host and its uid matches. */
export async function clientIdentityJson(info: ClientInfo): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = clientJson(info);
  for (const p of info.params) out[camelCase(p.field)] = typeof p.value === 'bigint' ? p.value.toString() : p.value;
  if (info.unixProcessId !== undefined) {
    const name = await localProcessName(info.unixProcessId, info.unixUserId);
    if (name !== undefined) out.processName = name;
  }
  return out;
}

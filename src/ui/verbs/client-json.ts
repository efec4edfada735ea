/**
 * One naming style for every JSON field: camelCase. A client's identity
 * fields are libvirt's client-info parameter names in camelCase
 * (unix_user_name → unixUserName, x509dname → x509dname, readonly → readonly),
 * so a field the daemon adds later gets a predictable name too.
 */
import { type ClientInfo, type ClientSummary, type HostFiles, readPeerProcess } from '../../admin-client/index.js';

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

/**
 * The client with its identity; `processName` from the daemon's host (`files`: this one, or
 * the remote one over SSH) when its uid matches, so a reused pid never names the wrong process.
 */
export async function clientIdentityJson(info: ClientInfo, files: HostFiles): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = clientJson(info);
  for (const p of info.params) out[camelCase(p.field)] = typeof p.value === 'bigint' ? p.value.toString() : p.value;
  if (info.unixProcessId !== undefined) {
    const peer = await readPeerProcess(info.unixProcessId, info.unixUserId, files);
    if (peer !== undefined) out.processName = peer.command;
  }
  return out;
}

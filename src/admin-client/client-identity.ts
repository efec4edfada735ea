/**
 * A client's identity (client-info's typed parameters) as a structured
 * value, and fetching it for many clients at once without flooding the
 * daemon: a bounded number of calls in flight, each client asked once.
 */
import { ClientInfoParam, type TypedParam } from '../rpc/index.js';
import type { ClientInfo, ClientSummary, TransportName } from './admin-types.js';

export const TRANSPORT_NUMBERS: Readonly<Record<TransportName, number | undefined>> = { unix: 0, tcp: 1, tls: 2, unknown: undefined };

export function clientInfoFrom(c: ClientSummary, params: TypedParam[]): ClientInfo {
  const info: ClientInfo = { ...c, params };
  for (const p of params) {
    switch (p.field) {
      case ClientInfoParam.Readonly: info.readonly = p.value === true; break;
      case ClientInfoParam.SockAddr: info.sockAddr = String(p.value); break;
      case ClientInfoParam.X509DName: info.x509DName = String(p.value); break;
      case ClientInfoParam.SaslUserName: info.saslUserName = String(p.value); break;
      case ClientInfoParam.UnixUserId: info.unixUserId = Number(p.value); break;
      case ClientInfoParam.UnixUserName: info.unixUserName = String(p.value); break;
      case ClientInfoParam.UnixGroupId: info.unixGroupId = Number(p.value); break;
      case ClientInfoParam.UnixGroupName: info.unixGroupName = String(p.value); break;
      case ClientInfoParam.UnixProcessId: info.unixProcessId = Number(p.value); break;
      case ClientInfoParam.SelinuxContext: info.selinuxContext = String(p.value); break;
    }
  }
  return info;
}

export interface IdentitySource {
  clientInfoOf(c: ClientSummary): Promise<ClientInfo>;
}

/** What fetching gave for each client: its identity, or why the daemon would not say. */
export type IdentityResult = { info: ClientInfo } | { error: Error };

/**
 * client-info for each of `clients`, at most `inFlight` calls at a time (a daemon's admin
 * server has few workers, and one console must not take them all). `onBatch` sees the
 * results as they arrive, so a screen can show progress.
 */
export async function fetchIdentities(
  source: IdentitySource,
  clients: readonly ClientSummary[],
  opts: { inFlight?: number; onResult?: (c: ClientSummary, r: IdentityResult) => void } = {},
): Promise<Map<number, IdentityResult>> {
  const results = new Map<number, IdentityResult>();
  let next = 0;
  const worker = async () => {
    while (next < clients.length) {
      const c = clients[next++]!;
      const r: IdentityResult = await source.clientInfoOf(c).then(
        (info) => ({ info }),
        (error: Error) => ({ error }),
      );
      results.set(c.id, r);
      opts.onResult?.(c, r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.inFlight ?? 16, clients.length) }, worker));
  return results;
}

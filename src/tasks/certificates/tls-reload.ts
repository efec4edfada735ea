/**
 * `T`: reload the daemon's TLS files (server-update-tls), then prove what it
 * serves with a fresh TLS handshake to its listener, made from its host: the
 * certificate a new client gets, by serial, beside the one in the file. The
 * handshake presents no client certificate: in TLS 1.3 the server's certificate
 * arrives before the server judges the client's, which is all this needs.
 */
import { isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import type { AdminClient, Host } from '../../admin-client/index.js';
import { type TlsListener, type TlsReport, tlsReport } from './tls-report.js';

export interface ServedCertificate {
  serial: string;
  subject: string;
  validTo: number;
  fingerprint256: string;
}

export interface ReloadResult {
  server: string;
  listener: TlsListener;
  /** What a new client got before the reload. */
  before?: ServedCertificate;
  /** The daemon's refusal of the reload, if it refused (its old certificate stays in service). */
  refused?: string;
  served?: ServedCertificate;
  handshakeError?: string;
  /** A new client now gets the certificate in the file. */
  servesFile: boolean;
}

function served(c: PeerCertificate): ServedCertificate {
  const subject = Object.entries(c.subject ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return { serial: c.serialNumber.toUpperCase(), subject, validTo: Date.parse(c.valid_to), fingerprint256: c.fingerprint256 };
}

/** The certificate a new TLS client of the listener gets now. */
export async function servedCertificate(host: Host, listener: TlsListener, timeoutMs = 5000): Promise<ServedCertificate> {
  const address = listener.address.slice(0, listener.address.lastIndexOf(':'));
  const target = address === '*' || address === '0.0.0.0' || address === '' ? '127.0.0.1' : address.replace(/^\[|\]$/g, '');
  const raw = await host.connectTcp(target, listener.port);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ socket: raw, rejectUnauthorized: false, ...(isIP(target) ? {} : { servername: target }) });
    const timer = setTimeout(() => finish(new Error(`no TLS handshake with ${target}:${listener.port} within ${timeoutMs} ms`)), timeoutMs);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      // The certificate is known once the server's flight is in, even if the server then turns us away.
      const cert = socket.getPeerCertificate();
      socket.destroy();
      raw.destroy();
      if (cert && cert.serialNumber) resolve(served(cert));
      else reject(err ?? new Error('the server sent no certificate'));
    };
    socket.once('secureConnect', () => finish());
    socket.once('error', (err) => finish(err));
  });
}

export interface ReloadOutcome {
  results: ReloadResult[];
  /** The files as they are after the reload. */
  report: TlsReport;
}

export async function reloadAndCheck(admin: AdminClient, host: Host, now = Date.now): Promise<ReloadOutcome> {
  const first = await tlsReport(admin, host, now());
  const results: ReloadResult[] = [];
  const servers = [...new Set(first.listeners.map((l) => l.server))];
  for (const server of servers) {
    const listener = first.listeners.find((l) => l.server === server)!;
    const before = await servedCertificate(host, listener).catch(() => undefined);
    let refused: string | undefined;
    try {
      await admin.updateTlsFiles(server);
    } catch (err) {
      refused = (err as Error).message;
    }
    const result: ReloadResult = { server, listener, ...(before ? { before } : {}), ...(refused ? { refused } : {}), servesFile: false };
    try {
      result.served = await servedCertificate(host, listener);
    } catch (err) {
      result.handshakeError = (err as Error).message;
    }
    results.push(result);
  }
  const report = await tlsReport(admin, host, now());
  // By fingerprint: two certificates of one CA may share a serial, the same certificate never differs.
  for (const r of results) r.servesFile = r.served !== undefined && r.served.fingerprint256 === report.certificate?.fingerprint256;
  return { results, report };
}

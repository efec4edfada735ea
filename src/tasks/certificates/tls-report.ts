/**
 * The certificate panel's facts for one daemon: its TLS listeners, the key,
 * certificate, CA and CRL files its config names (libvirt's defaults where it
 * names none), what each holds, the expiry countdown (a warning from 30 days),
 * whether the chain verifies, and whether the CRL revokes the certificate. The
 * files are read on the daemon's host, through Host.
 */
import type { AdminClient, Host } from '../../admin-client/index.js';
import { ConfigError, IP_DAEMONS, parseConf, remoteDaemonConfig, type TlsFiles, tlsFiles } from '../../conf/index.js';
import { daemonFacts, type DaemonFacts } from '../daemon-facts.js';
import { type CertInfo, certInfo, chainProblem, type CrlInfo, parseCertificates, parseCrl } from './x509-files.js';

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export interface TlsListener {
  server: string;
  address: string;
  port: number;
}

export type Expiry = { state: 'valid' | 'expiring'; daysLeft: number } | { state: 'expired'; daysAgo: number } | { state: 'not yet valid'; daysUntil: number };

export interface TlsReport {
  facts: DaemonFacts;
  listeners: TlsListener[];
  files?: TlsFiles;
  certificate?: CertInfo;
  certificateError?: string;
  cas: CertInfo[];
  caError?: string;
  crl?: CrlInfo;
  crlError?: string;
  expiry?: Expiry;
  /** Undefined when the chain verifies. */
  chainProblem?: string;
  revoked: boolean;
  /** Why there is nothing to show (no TLS listener, no config). */
  none?: string;
}

export function expiryOf(c: CertInfo, now: number): Expiry {
  if (now < c.validFrom) return { state: 'not yet valid', daysUntil: Math.ceil((c.validFrom - now) / DAY_MS) };
  if (now > c.validTo) return { state: 'expired', daysAgo: Math.floor((now - c.validTo) / DAY_MS) };
  const daysLeft = Math.floor((c.validTo - now) / DAY_MS);
  return { state: daysLeft < EXPIRY_WARNING_DAYS ? 'expiring' : 'valid', daysLeft };
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** Ours list their TLS sockets; libvirt's listen on TLS when started with --listen (libvirtd) or always (virtproxyd), as the config says. */
async function tlsListeners(admin: AdminClient, facts: DaemonFacts, config: ReturnType<typeof remoteDaemonConfig>): Promise<TlsListener[]> {
  const services = await admin.listServices();
  if (services) return services.filter((s) => s.transport === 'tls').map((s) => ({ server: s.server, address: s.address, port: portOf(s.address) }));
  const listens = facts.name === 'virtproxyd' || facts.options.listen;
  if (!IP_DAEMONS.has(facts.name) || !listens || !config.listenTls) return [];
  return [{ server: facts.name, address: `${config.listenAddr ?? '*'}:${config.tlsPort}`, port: Number(config.tlsPort) }];
}

async function readText(host: Host, path: string): Promise<string> {
  return (await host.readFile(path)).toString('latin1');
}

export async function tlsReport(admin: AdminClient, host: Host, now = Date.now()): Promise<TlsReport> {
  const facts = await daemonFacts(admin, host);
  const base = { facts, listeners: [] as TlsListener[], cas: [] as CertInfo[], revoked: false };
  if (!IP_DAEMONS.has(facts.name)) return { ...base, none: `${facts.name} has no TCP/TLS sockets` };
  let text = '';
  try {
    if (facts.configFile) text = (await host.readFile(facts.configFile)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return { ...base, none: `cannot read ${facts.configFile}: ${(err as Error).message}` };
  }
  let config;
  try {
    config = remoteDaemonConfig(facts.name, facts.mode, parseConf(text, facts.configFile ?? ''), () => {});
  } catch (err) {
    if (err instanceof ConfigError) return { ...base, none: `the config file would not load: ${err.message}` };
    throw err;
  }
  const listeners = await tlsListeners(admin, facts, config);
  if (listeners.length === 0) return { ...base, none: `${facts.name} has no TLS listener (libvirtd listens with --listen and listen_tls)` };
  const files = tlsFiles(facts.mode, config, facts.env ?? {});
  const report: TlsReport = { ...base, listeners, files };
  let cas: ReturnType<typeof parseCertificates> = [];
  try {
    cas = parseCertificates(await readText(host, files.caFile));
    report.cas = cas.map(certInfo);
  } catch (err) {
    report.caError = `${files.caFile}: ${(err as Error).message}`;
  }
  try {
    const [cert] = parseCertificates(await readText(host, files.certFile));
    report.certificate = certInfo(cert!);
    report.expiry = expiryOf(report.certificate, now);
    report.chainProblem = cas.length ? chainProblem(cert!, cas, now) : 'the CA file could not be read';
  } catch (err) {
    report.certificateError = `${files.certFile}: ${(err as Error).message}`;
  }
  if (files.crlFile) {
    try {
      report.crl = parseCrl(await readText(host, files.crlFile), cas);
      report.revoked = report.certificate !== undefined && report.crl.revoked.includes(report.certificate.serial);
    } catch (err) {
      report.crlError = `${files.crlFile}: ${(err as Error).message}`;
    }
  }
  return report;
}

/**
 * What the fleet warns of on a host (issue 14 from issue 13's tasks): each
 * attached daemon's drift (running values its config file would not give it
 * again, so a restart loses them) and its TLS files (certificate expired,
 * expiring within 30 days, not yet valid, revoked, or a file that cannot be
 * read). Read through the host's Host, so on a remote host the config and
 * certificate files are read there, over its one ssh connection. A daemon
 * whose drift or certificates cannot be told is counted apart, never as clean.
 */
import type { AdminClient, Host } from '../../admin-client/index.js';
import { driftReport, EXPIRY_WARNING_DAYS, type TlsReport, tlsReport } from '../../tasks/index.js';

export interface DaemonWarning {
  daemon: string;
  /** A few words: the settings a restart would lose, or what is wrong with a file. */
  text: string;
}

export interface HostWarnings {
  drift: DaemonWarning[];
  certificates: DaemonWarning[];
  /** Daemons whose drift or certificates could not be told, with why. */
  unknown: DaemonWarning[];
  /** When the host's daemons were last compared (ms since the epoch). */
  at: number;
}

export interface AttachedDaemon {
  name: string;
  admin: AdminClient;
}

/** The certificate panel's findings worth a warning in a fleet row; undefined when all is well. */
export function certificateWarning(r: TlsReport): string | undefined {
  if (r.none) return undefined;
  const problems: string[] = [];
  const e = r.expiry;
  if (e?.state === 'expired') problems.push(`certificate expired ${e.daysAgo} d ago`);
  else if (e?.state === 'expiring') problems.push(`certificate expires in ${e.daysLeft} d (< ${EXPIRY_WARNING_DAYS})`);
  else if (e?.state === 'not yet valid') problems.push(`certificate not valid for ${e.daysUntil} d`);
  if (r.revoked) problems.push('certificate revoked by the CRL');
  for (const err of [r.certificateError, r.caError, r.crlError]) if (err) problems.push(`unreadable: ${err}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** Compares every daemon given, one after another (a fleet host's background look). */
export async function readHostWarnings(host: Host, daemons: AttachedDaemon[], now: () => number = Date.now): Promise<HostWarnings> {
  const w: HostWarnings = { drift: [], certificates: [], unknown: [], at: now() };
  for (const { name, admin } of daemons) {
    try {
      const lost = (await driftReport(admin, host)).items.filter((i) => i.lostAtRestart);
      if (lost.length) w.drift.push({ daemon: name, text: lost.map((i) => `${i.scope === 'logging' || i.scope === 'auto-shutdown' ? '' : `${i.scope.replace(/^server /, '')} `}${i.setting}`).join(', ') });
    } catch (err) {
      w.unknown.push({ daemon: name, text: `drift: ${(err as Error).message}` });
    }
    try {
      const text = certificateWarning(await tlsReport(admin, host, now()));
      if (text) w.certificates.push({ daemon: name, text });
    } catch (err) {
      w.unknown.push({ daemon: name, text: `certificates: ${(err as Error).message}` });
    }
  }
  return w;
}

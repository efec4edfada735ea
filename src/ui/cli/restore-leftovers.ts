/**
 * `--restore`: every debug capture whose console died (its journal is still on
 * disk and its owner is gone) is put back at once, daemon by daemon, before the
 * console or a command runs.
 */
import { type Host, HostPool, isSshUri, LocalHost, type SshSettings } from '../../admin-client/index.js';
import { type CaptureJournal, describeOutcome, type RestoreReport, restoreJournal, unrestoredJournals } from '../../tasks/index.js';

/** The host a journal names, when this console can reach it. */
export type HostFinder = (journal: CaptureJournal) => Host | undefined;

export const localOnly: HostFinder = (j) => (j.host === 'localhost' ? new LocalHost() : undefined);

/**
 * This machine, or the SSH host the journal's daemons are on (their `NAME+ssh://` URIs), when
 * it is the host the journal names: a capture made on host B is put back on B, never elsewhere.
 */
export function reachableHosts(ssh: SshSettings = {}): HostFinder {
  return (j) => {
    if (j.host === 'localhost') return new LocalHost();
    const uri = j.daemons[0]?.adminUri;
    if (!uri || !isSshUri(uri)) return undefined;
    const host = new HostPool({ ssh }).hostFor(uri);
    return host.name === j.host ? host : undefined;
  };
}

export interface LeftoverResult {
  lines: string[];
  /** Every left-over capture was restored (or there was none). */
  ok: boolean;
  reports: RestoreReport[];
}

export async function restoreLeftovers(journalDir: string, hostFor: HostFinder = reachableHosts()): Promise<LeftoverResult> {
  const { stale, unreadable } = await unrestoredJournals(journalDir);
  const lines: string[] = [];
  const reports: RestoreReport[] = [];
  let ok = unreadable.length === 0;
  for (const u of unreadable) lines.push(`cannot read the capture journal ${u.path}: ${u.error}`);
  for (const s of stale) {
    const host = hostFor(s.journal);
    if (!host) {
      ok = false;
      lines.push(`capture ${s.journal.id} was on ${s.journal.host}, which this console does not reach: its journal stays (${s.path})`);
      continue;
    }
    const report = await restoreJournal(s, host, journalDir);
    await host.close();
    reports.push(report);
    if (!report.complete) ok = false;
    lines.push(`capture ${s.journal.id}, left by console pid ${s.journal.owner.pid}:`);
    for (const o of report.outcomes) lines.push(`  ${describeOutcome(o)}`);
  }
  return { lines, ok, reports };
}

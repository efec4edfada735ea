/**
 * Putting a capture's daemons back as the journal says they were: the filters
 * first (the flood stops), then the outputs (the capture file is let go), each
 * read back to check it took. A daemon that restarted since the capture began
 * already runs with its config's settings, which are not the journal's to
 * overwrite: it is left alone and said so. A daemon that cannot be reached
 * stays in the journal, so a later start (or --restore) tries again.
 */
import { type AdminClient, findDaemonProcess, type Host } from '../../admin-client/index.js';
import { type CaptureJournal, type JournalDaemon, ownerAlive, readJournals, removeJournal, type StoredJournal, writeJournal } from './journal.js';
import { restorableFilters } from './presets.js';

export type RestoreOutcome =
  | { daemon: JournalDaemon; result: 'restored'; filters: string | null; outputs: string }
  | { daemon: JournalDaemon; result: 'restarted'; pid: number }
  | { daemon: JournalDaemon; result: 'failed'; error: string };

export interface RestoreReport {
  journal: CaptureJournal;
  outcomes: RestoreOutcome[];
  /** Every daemon is back (or restarted): the journal is gone. */
  complete: boolean;
}

export function label(d: { name: string; mode: string }): string {
  return `${d.name} (${d.mode})`;
}

const sameFilters = (a: string | null, b: string | null) => (a ?? '').trim() === (b ?? '').trim();

async function restoreOne(admin: AdminClient, d: JournalDaemon): Promise<RestoreOutcome> {
  if (d.pid !== undefined) {
    const now = await findDaemonProcess(admin);
    if (now && now.pid !== d.pid) return { daemon: d, result: 'restarted', pid: now.pid };
  }
  await admin.setLoggingFilters(restorableFilters(d.original.filters));
  await admin.setLoggingOutputs(d.original.outputs.trim() ? d.original.outputs : null);
  const [filters, outputs] = await Promise.all([admin.getLoggingFilters(), admin.getLoggingOutputs()]);
  if (!sameFilters(filters.filters, d.original.filters) || outputs.outputs !== d.original.outputs) {
    return {
      daemon: d,
      result: 'failed',
      error: `set back, but it now reports filters '${filters.filters ?? ''}' and outputs '${outputs.outputs}' instead of '${d.original.filters ?? ''}' and '${d.original.outputs}'`,
    };
  }
  return { daemon: d, result: 'restored', filters: filters.filters, outputs: outputs.outputs };
}

/** Restores every daemon of a journal; rewrites the journal with those still to do, or removes it. */
export async function restoreJournal(stored: StoredJournal, host: Host, journalDir: string): Promise<RestoreReport> {
  const outcomes = await Promise.all(
    stored.journal.daemons.map(async (d): Promise<RestoreOutcome> => {
      let admin: AdminClient | undefined;
      try {
        admin = await host.connect(d.adminUri);
        return await restoreOne(admin, d);
      } catch (err) {
        return { daemon: d, result: 'failed', error: (err as Error).message };
      } finally {
        await admin?.close();
      }
    }),
  );
  const left = outcomes.filter((o) => o.result === 'failed').map((o) => o.daemon);
  if (left.length === 0) await removeJournal(stored.path);
  else await writeJournal(journalDir, { ...stored.journal, daemons: left });
  return { journal: stored.journal, outcomes, complete: left.length === 0 };
}

/** Journals whose console is gone: captures nobody will end unless asked. Unreadable ones are listed with why. */
export async function unrestoredJournals(journalDir: string): Promise<{ stale: StoredJournal[]; unreadable: { path: string; error: string }[] }> {
  const stale: StoredJournal[] = [];
  const unreadable: { path: string; error: string }[] = [];
  for (const j of await readJournals(journalDir)) {
    if ('error' in j) unreadable.push(j);
    else if (!(await ownerAlive(j.journal.owner))) stale.push(j);
  }
  return { stale, unreadable };
}

/** One line per daemon, for the console's status and the CLI. */
export function describeOutcome(o: RestoreOutcome): string {
  switch (o.result) {
    case 'restored':
      return `${label(o.daemon)}: restored filters '${(o.filters ?? '').trim()}' and outputs '${o.outputs}'`;
    case 'restarted':
      return `${label(o.daemon)}: restarted since the capture began (pid ${o.daemon.pid} → ${o.pid}); it runs with its config's settings, left as they are`;
    case 'failed':
      return `${label(o.daemon)}: NOT restored: ${o.error}`;
  }
}

/**
 * A timed debug capture (issue 13): the chosen daemons log at debug, by a
 * preset's filters or the operator's, into a file each in one directory, for a
 * set time; then every daemon gets its own filters and outputs back.
 *
 * Order matters and is the point: the originals are read from every daemon and
 * written to the restore journal BEFORE anything is changed; only then are the
 * outputs (the original ones plus the capture file) and the filters set. If any
 * daemon refuses, those already changed are put back at once. The capture ends
 * when its time is up, or earlier when the owner says so (quit, Ctrl-C, SIGTERM:
 * the console and the CLI call stop()); if the owner dies instead, the journal
 * stays for the next start to restore.
 */
import type { AdminClient, Host } from '../../admin-client/index.js';
import { findDaemonProcess } from '../../admin-client/index.js';
import { type CaptureJournal, type JournalDaemon, newCaptureId, ownerOf, readJournals, writeJournal } from './journal.js';
import { findPreset, normaliseFilters, restorableFilters } from './presets.js';
import { label, type RestoreReport, restoreJournal } from './restore.js';

export interface CaptureTarget {
  name: string;
  mode: 'system' | 'session';
  adminUri: string;
}

export interface CapturePlan {
  host: Host;
  targets: CaptureTarget[];
  /** A preset's name, or the operator's own filters (libvirt's syntax). */
  preset?: string;
  filters?: string;
  /** Where each daemon's file goes; default: the user's state directory there. */
  dir?: string;
  durationMs: number;
  journalDir: string;
  now?: () => number;
}

export type CaptureEnd = 'time' | 'quit' | 'signal' | 'operator';

export interface CaptureFile {
  target: CaptureTarget;
  path: string;
}

export class CaptureRefused extends Error {}

/**
 * What a capture will set, once checked: `filters` as the daemons will report them (shown
 * to the operator before anything is sent), `send` as they are sent to get exactly that.
 */
export function captureFilters(plan: Pick<CapturePlan, 'preset' | 'filters'>): { filters: string; send: string; preset?: string } {
  if (plan.preset !== undefined) {
    const p = findPreset(plan.preset);
    if (!p) throw new CaptureRefused(`no preset '${plan.preset}': one of general, qemu, storage, network, rpc`);
    const filters = normaliseFilters(p.filters);
    return { filters, send: restorableFilters(filters)!, preset: p.name };
  }
  if (plan.filters === undefined) throw new CaptureRefused('a capture needs a preset or filters');
  const filters = normaliseFilters(plan.filters);
  return { filters, send: restorableFilters(filters)! };
}

async function withClient<T>(host: Host, uri: string, fn: (admin: AdminClient) => Promise<T>): Promise<T> {
  const admin = await host.connect(uri);
  try {
    return await fn(admin);
  } finally {
    await admin.close();
  }
}

export class DebugCapture {
  readonly journal: CaptureJournal;
  readonly journalPath: string;
  readonly files: CaptureFile[];
  /** Resolves once the capture has ended and the daemons have their settings back. */
  readonly finished: Promise<RestoreReport & { end: CaptureEnd }>;
  readonly #host: Host;
  readonly #journalDir: string;
  #timer: NodeJS.Timeout | undefined;
  #stopping: Promise<RestoreReport & { end: CaptureEnd }> | undefined;
  #settle!: (r: RestoreReport & { end: CaptureEnd }) => void;

  private constructor(host: Host, journalDir: string, journal: CaptureJournal, journalPath: string) {
    this.#host = host;
    this.#journalDir = journalDir;
    this.journal = journal;
    this.journalPath = journalPath;
    this.files = journal.daemons.map((d) => ({ target: { name: d.name, mode: d.mode, adminUri: d.adminUri }, path: d.capture.file }));
    this.finished = new Promise((resolve) => (this.#settle = resolve));
  }

  get endsAt(): number {
    return this.journal.endsAt;
  }

  static async start(plan: CapturePlan): Promise<DebugCapture> {
    const now = plan.now ?? Date.now;
    if (plan.targets.length === 0) throw new CaptureRefused('no daemon chosen for the capture');
    const { filters, send, preset } = captureFilters(plan);
    await refuseOverlap(plan);
    const id = newCaptureId(new Date(now()));
    const dir = plan.dir ?? `${await plan.host.stateDirectory()}/virt-admin-tui/captures/${id}`;
    // libvirt's output syntax splits on spaces: a path with one would be cut in two.
    if (/\s/.test(dir)) throw new CaptureRefused(`the capture directory '${dir}' has white space in it, which a log output cannot carry`);
    if (!dir.startsWith('/')) throw new CaptureRefused(`the capture directory '${dir}' must be an absolute path (the daemons open it)`);
    await plan.host.makeDirectory(dir);

    // 1. Every daemon's settings as they are; nothing changes if one cannot be read.
    const daemons: JournalDaemon[] = [];
    for (const t of plan.targets) {
      const d = await withClient(plan.host, t.adminUri, async (admin) => {
        const [f, o, process] = await Promise.all([admin.getLoggingFilters(), admin.getLoggingOutputs(), findDaemonProcess(admin)]);
        const file = `${dir}/${t.name}-${t.mode}.log`;
        return {
          ...t,
          ...(process ? { pid: process.pid } : {}),
          original: { filters: f.filters, outputs: o.outputs },
          capture: { filters: send, outputs: `${o.outputs} 1:file:${file}`.trim(), file },
        };
      }).catch((err: Error) => {
        throw new CaptureRefused(`${label(t)}: cannot read its log settings: ${err.message}; nothing was changed`);
      });
      daemons.push(d);
    }
    // 2. The journal, on disk, before any change.
    const journal: CaptureJournal = { version: 1, id, owner: await ownerOf(), host: plan.host.name, startedAt: now(), endsAt: now() + plan.durationMs, ...(preset ? { preset } : {}), filters, dir, daemons };
    const journalPath = await writeJournal(plan.journalDir, journal);
    const capture = new DebugCapture(plan.host, plan.journalDir, journal, journalPath);
    // 3. The changes; the first refusal puts back everything.
    for (const d of daemons) {
      try {
        await withClient(plan.host, d.adminUri, async (admin) => {
          await admin.setLoggingOutputs(d.capture.outputs);
          await admin.setLoggingFilters(d.capture.filters);
        });
      } catch (err) {
        const report = await restoreJournal({ path: journalPath, journal }, plan.host, plan.journalDir);
        const undone = report.complete ? 'every daemon has its settings back' : 'some daemons could not be put back: see the journal';
        throw new CaptureRefused(`${label(d)} refused the capture: ${(err as Error).message}; ${undone}`);
      }
    }
    capture.#timer = setTimeout(() => void capture.stop('time'), Math.max(0, journal.endsAt - now()));
    return capture;
  }

  /** Ends the capture now (idempotent) and restores every daemon. */
  stop(end: CaptureEnd): Promise<RestoreReport & { end: CaptureEnd }> {
    this.#stopping ??= (async () => {
      if (this.#timer) clearTimeout(this.#timer);
      const report = await restoreJournal({ path: this.journalPath, journal: this.journal }, this.#host, this.#journalDir);
      const result = { ...report, end };
      this.#settle(result);
      return result;
    })();
    return this.#stopping;
  }
}

/** A daemon already being captured (by a live console, or by one that died) must not have a second capture's settings taken for its originals. */
async function refuseOverlap(plan: CapturePlan): Promise<void> {
  const uris = new Set(plan.targets.map((t) => t.adminUri));
  for (const j of await readJournals(plan.journalDir)) {
    if ('error' in j) continue;
    const clash = j.journal.host === plan.host.name ? j.journal.daemons.find((d) => uris.has(d.adminUri)) : undefined;
    if (clash) {
      throw new CaptureRefused(
        `${label(clash)} is in the unfinished capture ${j.journal.id} (journal ${j.path}, console pid ${j.journal.owner.pid}): ` +
          'let it end, or restore it (virt-admin-tui --restore) first',
      );
    }
  }
}


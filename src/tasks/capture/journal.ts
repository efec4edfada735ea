/**
 * The restore journal of a debug capture: every chosen daemon's filters and
 * outputs as they were, written to disk before anything is changed, so that
 * whatever happens to the console (time up, quit, Ctrl-C, SIGTERM, SIGKILL, a
 * power cut) the originals can be put back. It is the console's own state, on
 * the console's machine: $XDG_STATE_HOME/virt-admin-tui/capture-journals (else
 * ~/.local/state/...), one JSON file per capture, written whole and renamed into
 * place (a crash leaves the old file or the new one, never half of one), and
 * removed once every daemon in it has its settings back.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { processStartedAt } from '../../admin-client/index.js';

export interface JournalDaemon {
  name: string;
  mode: 'system' | 'session';
  adminUri: string;
  /** The process whose settings were changed: a daemon restarted since has its config's settings again. */
  pid?: number;
  original: { filters: string | null; outputs: string };
  /** What was sent: the filters in the form that sets them (restorableFilters), the outputs, the file. */
  capture: { filters: string; outputs: string; file: string };
}

export interface CaptureJournal {
  version: 1;
  id: string;
  /** The console that runs the capture: while it lives, nobody else restores. */
  owner: { pid: number; startedAt?: number; machine: string };
  /** Where the daemons live (Host.name). */
  host: string;
  startedAt: number;
  endsAt: number;
  preset?: string;
  /** As the daemons report them during the capture. */
  filters: string;
  dir: string;
  daemons: JournalDaemon[];
}

export interface StoredJournal {
  path: string;
  journal: CaptureJournal;
}

export function journalDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'virt-admin-tui', 'capture-journals');
}

export function newCaptureId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${stamp}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

export async function ownerOf(): Promise<CaptureJournal['owner']> {
  return { pid: process.pid, startedAt: await processStartedAt(process.pid), machine: hostname() };
}

/** Written to a temporary file, flushed to disk, renamed over the journal, and the directory flushed. */
export async function writeJournal(dir: string, journal: CaptureJournal): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${journal.id}.json`);
  const tmp = `${path}.tmp`;
  const f = await open(tmp, 'w', 0o600);
  try {
    await f.writeFile(JSON.stringify(journal, null, 2) + '\n');
    await f.sync();
  } finally {
    await f.close();
  }
  await rename(tmp, path);
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  return path;
}

function isJournal(v: unknown): v is CaptureJournal {
  const j = v as CaptureJournal;
  return j?.version === 1 && typeof j.id === 'string' && typeof j.owner?.pid === 'number' && Array.isArray(j.daemons) && j.daemons.every((d) => typeof d.adminUri === 'string' && typeof d.original?.outputs === 'string');
}

/** Every journal in the directory; one that cannot be read is reported with why, never silently skipped. */
export async function readJournals(dir: string): Promise<(StoredJournal | { path: string; error: string })[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return Promise.all(
    names.map(async (n) => {
      const path = join(dir, n);
      try {
        const journal: unknown = JSON.parse(await readFile(path, 'utf8'));
        return isJournal(journal) ? { path, journal } : { path, error: 'not a capture journal this console knows' };
      } catch (err) {
        return { path, error: (err as Error).message };
      }
    }),
  );
}

export async function removeJournal(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Whether the console that owns the journal still runs (the same pid, started at the same time, on this machine). */
export async function ownerAlive(owner: CaptureJournal['owner']): Promise<boolean> {
  if (owner.machine !== hostname()) return true; // not ours to judge: another machine's console
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = await processStartedAt(owner.pid);
  return started === undefined || owner.startedAt === undefined || started === owner.startedAt;
}

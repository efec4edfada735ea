/**
 * The kernel's list of listening UNIX sockets, kept between the looks of a
 * console that discovers every second. /proc/net/unix costs the kernel time
 * in proportion to every UNIX socket on the host (about 22 ms for the 20,000
 * of a host with 10,000 clients), so it is read again only when it may have
 * changed for the sockets asked about:
 * - one of their files appeared, went, or was made anew: a daemon binding
 *   removes and creates its socket file, so a start or restart is always seen
 *   (by its change time too: a new file may get the inode number of the old);
 * - the caller asks (`recheck`): it saw an admin connection drop, and a daemon
 *   killed leaves its files behind;
 * - the last reading is older than `maxAgeMs`: a killed daemon nobody was
 *   attached to is seen within that.
 * A path the list does not show is still probed by connecting, so a daemon
 * that listens after the reading is never shown absent.
 */
import { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { listeningUnixPaths } from './listening-sockets.js';

export interface ListingReuse {
  /** How old a reading may be when nothing says it changed. */
  maxAgeMs: number;
  /** Read anew whatever the files say. */
  recheck?: boolean;
}

export class ListeningUnixCache {
  #reading: { at: number; paths: Set<string> | undefined } | undefined;
  /** The files' identities last seen, per list of paths asked about. */
  readonly #identities = new Map<string, string>();

  constructor(
    private readonly read: () => Promise<Set<string> | undefined> = listeningUnixPaths,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The listening paths, read anew or reused; `stats`: each path's lstat (or its error), in
   * order, which the caller has anyway (the files' identities are read from them).
   */
  async listening(paths: string[], stats: (Stats | NodeJS.ErrnoException)[], reuse: ListingReuse): Promise<Set<string> | undefined> {
    const key = paths.join('\0');
    const identity = stats.map((s) => (s instanceof Stats ? `${s.dev}:${s.ino}:${s.ctimeMs}` : (s.code ?? '?'))).join(',');
    const changed = this.#identities.get(key) !== identity;
    this.#identities.set(key, identity);
    const r = this.#reading;
    if (!r || changed || reuse.recheck || this.now() - r.at > reuse.maxAgeMs) {
      const at = this.now();
      this.#reading = { at, paths: await this.read() };
    }
    return this.#reading!.paths;
  }
}

/** Each path's lstat, or the error it gave. */
export function lstatEach(paths: string[]): Promise<(Stats | NodeJS.ErrnoException)[]> {
  return Promise.all(paths.map((p) => lstat(p).catch((err: NodeJS.ErrnoException) => err)));
}

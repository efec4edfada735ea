/**
 * The kernel's own list of listening sockets (/proc/net/unix, /proc/net/tcp{,6}).
 * Discovery reads it before connecting: a probe connection is a client the
 * daemon accepts, counts and may log, and a console that probes every few
 * seconds would keep adding ghosts to the very client list it shows. The list
 * covers this network namespace only, so a socket not found here is still
 * probed by connecting (a daemon in a container may share the directory).
 */
import { readFile } from 'node:fs/promises';

/** Flags column bit for a socket in listen state (__SO_ACCEPTCON). */
const ACCEPTING = 0x10000;
/** State column of /proc/net/tcp for LISTEN. */
const TCP_LISTEN = '0A';

async function lines(path: string): Promise<string[] | undefined> {
  try {
    return (await readFile(path, 'utf8')).split('\n').slice(1).filter(Boolean);
  } catch {
    return undefined; // no procfs (or not Linux): callers fall back to connecting
  }
}

/** Paths of UNIX sockets listening in this network namespace, or undefined when unknown. */
export async function listeningUnixPaths(): Promise<Set<string> | undefined> {
  const rows = await lines('/proc/net/unix');
  if (!rows) return undefined;
  const paths = new Set<string>();
  for (const row of rows) {
    // "Num: RefCount Protocol Flags Type St Inode [Path]"; after "Num: " the fields have fixed
    // widths (%08X %08X %08X ...), so the flags are read without splitting every row: a host
    // with 10,000 clients lists 20,000 sockets here, and discovery runs every poll.
    const at = row.indexOf(': ') + 2 + 18;
    if ((parseInt(row.slice(at, at + 8), 16) & ACCEPTING) === 0) continue;
    const m = /^\S+:\s+\S+\s+\S+\s+[0-9A-Fa-f]+\s+\S+\s+\S+\s+\d+\s+(\/.*)$/.exec(row);
    if (m) paths.add(m[1]!);
  }
  return paths;
}

/** TCP ports in LISTEN state on any local address (IPv4 or IPv6), or undefined when unknown. */
export async function listeningTcpPorts(): Promise<Set<number> | undefined> {
  const [v4, v6] = await Promise.all([lines('/proc/net/tcp'), lines('/proc/net/tcp6')]);
  if (!v4 && !v6) return undefined;
  const ports = new Set<number>();
  for (const row of [...(v4 ?? []), ...(v6 ?? [])]) {
    const [, local, , state] = row.trim().split(/\s+/);
    if (state === TCP_LISTEN && local) ports.add(parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
  }
  return ports;
}

/**
 * The kernel's own list of listening sockets (/proc/net/unix, /proc/net/tcp{,6}).
 * Discovery reads it before connecting: a probe connection is a client the
 * daemon accepts, counts and may log, and a console that probes every few
 * seconds would keep adding ghosts to the very client list it shows. The list
 * covers this network namespace only, so a socket not found here is still
 * probed by connecting (a daemon in a container may share the directory).
 * The parsers are pure, so a remote host's lists (read over SSH) parse the same.
 */
import { readFile } from 'node:fs/promises';

/** Flags column bit for a socket in listen state (__SO_ACCEPTCON). */
const ACCEPTING = 0x10000;
/** State column of /proc/net/tcp for LISTEN. */
const TCP_LISTEN = '0A';

function rows(text: string): string[] {
  return text.split('\n').slice(1).filter(Boolean);
}

/** Paths of listening UNIX sockets in /proc/net/unix's text. */
export function parseUnixListening(text: string): Set<string> {
  const paths = new Set<string>();
  for (const row of rows(text)) {
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

/** Ports in LISTEN state in the texts of /proc/net/tcp and /proc/net/tcp6. */
export function parseTcpListening(texts: string[]): Set<number> {
  const ports = new Set<number>();
  for (const row of texts.flatMap(rows)) {
    const [, local, , state] = row.trim().split(/\s+/);
    if (state === TCP_LISTEN && local) ports.add(parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
  }
  return ports;
}

async function text(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined; // no procfs (or not Linux): callers fall back to connecting
  }
}

/** Paths of UNIX sockets listening in this network namespace, or undefined when unknown. */
export async function listeningUnixPaths(): Promise<Set<string> | undefined> {
  const unix = await text('/proc/net/unix');
  return unix === undefined ? undefined : parseUnixListening(unix);
}

/** TCP ports in LISTEN state on any local address (IPv4 or IPv6), or undefined when unknown. */
export async function listeningTcpPorts(): Promise<Set<number> | undefined> {
  const tables = (await Promise.all([text('/proc/net/tcp'), text('/proc/net/tcp6')])).filter((t): t is string => t !== undefined);
  return tables.length === 0 ? undefined : parseTcpListening(tables);
}

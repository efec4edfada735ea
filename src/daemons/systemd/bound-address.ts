/**
 * What an inherited listening fd is bound to, read from the kernel
 * (/proc/self/fd/N names the socket's inode; /proc/net/unix and
 * /proc/net/tcp{,6} map inodes to addresses). Node cannot getsockname() a
 * UNIX socket it did not bind itself, and activation without fd names needs
 * the address to know which socket is which.
 */
import { readFileSync, readlinkSync } from 'node:fs';

export type BoundAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; port: number };

function rows(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(1).filter(Boolean);
  } catch {
    return [];
  }
}

export function boundAddress(fd: number): BoundAddress | undefined {
  let link: string;
  try {
    link = readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
  const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
  if (!inode) return undefined;
  for (const row of rows('/proc/net/unix')) {
    // Num RefCount Protocol Flags Type St Inode Path
    const m = /^\S+:\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+(\d+)\s+(\/.*)$/.exec(row);
    if (m && m[1] === inode) return { kind: 'unix', path: m[2]! };
  }
  for (const row of [...rows('/proc/net/tcp'), ...rows('/proc/net/tcp6')]) {
    const cols = row.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
    if (cols[9] === inode) return { kind: 'tcp', port: parseInt(cols[1]!.slice(cols[1]!.lastIndexOf(':') + 1), 16) };
  }
  return undefined;
}

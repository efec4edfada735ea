/**
 * Who a client is, as libvirt's identity object holds it (the fields of
 * VIR_CONNECT_IDENTITY_*): taken from the connection itself (peer
 * credentials of a UNIX socket, the certificate of a TLS one, the name SASL
 * authenticated), or forwarded
 * by a proxy that acts for someone else (CONNECT_SET_IDENTITY). client-info
 * reports it, and a proxy passes it on, so the daemon at the end of the
 * chain still knows the real caller.
 */
import { readFileSync } from 'node:fs';
import type { PeerCredentials } from './peer-credentials.js';
import { groupName, userName } from './user-names.js';

export interface ClientIdentity {
  userName?: string;
  unixUserId?: number;
  groupName?: string;
  unixGroupId?: number;
  processId?: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22), as libvirt records it. */
  processTime?: bigint;
  saslUserName?: string;
  x509DName?: string;
  selinuxContext?: string;
}

/** When a process started, so a pid reused by another process is not mistaken for it; undefined once it is gone. */
export function processStartTime(pid: number): bigint | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return BigInt(fields[19]!);
  } catch {
    return undefined;
  }
}

/** The identity a connection itself proves. */
export function connectionIdentity(peer: PeerCredentials | undefined, x509DName: string | undefined, saslUserName?: string): ClientIdentity {
  const id: ClientIdentity = {};
  if (peer) {
    id.userName = userName(peer.uid);
    id.unixUserId = peer.uid;
    id.groupName = groupName(peer.gid);
    id.unixGroupId = peer.gid;
    id.processId = peer.pid;
    id.processTime = processStartTime(peer.pid);
  }
  if (x509DName) id.x509DName = x509DName;
  if (saslUserName !== undefined) id.saslUserName = saslUserName;
  return id;
}

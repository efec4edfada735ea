/**
 * What the operator's tasks do with files on a remote host (config files,
 * certificates, a log file followed, a capture's directory), through its
 * shell with POSIX tools (test, tail, head, mkdir) and GNU stat, each one
 * round trip on the ssh connection already there. Failures carry the errno
 * code Node would give locally (ENOENT, EACCES), so callers treat both alike.
 */
import type { FileStat } from '../host.js';
import { type RemoteShell, shellQuote } from './remote-shell.js';

/**
 * Exit statuses the scripts below use for "absent" and "denied" (sh's own stay below 126).
 * Every script that exits runs in a subshell: an `exit` in the connection's one shell would end it.
 */
const ABSENT = 72;
const DENIED = 73;

function refused(status: number, path: string, host: string): Error {
  const code = status === ABSENT ? 'ENOENT' : status === DENIED ? 'EACCES' : 'EIO';
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `exit status ${status}`;
  return Object.assign(new Error(`${code}: ${why}, ${path} on ${host}`), { code, path });
}

/** Bytes of `path` from `start` (at most `maxBytes`): tail -c +N counts from 1. */
export async function readRemoteFile(shell: RemoteShell, host: string, path: string, range: { start?: number; maxBytes?: number } = {}): Promise<Buffer> {
  const p = shellQuote(path);
  const start = Math.max(0, Math.floor(range.start ?? 0));
  const max = range.maxBytes === undefined ? undefined : Math.max(0, Math.floor(range.maxBytes));
  const body = [start > 0 ? `tail -c +${start + 1} -- ${p}` : `cat -- ${p}`, ...(max === undefined ? [] : [`head -c ${max}`])].join(' | ');
  const r = await shell.run(`(if [ ! -e ${p} ]; then exit ${ABSENT}; elif [ ! -r ${p} ] || [ -d ${p} ]; then exit ${DENIED}; fi; ${body})`);
  if (r.status !== 0) throw refused(r.status, path, host);
  return r.output;
}

/** Size, inode and modification time, or undefined when the file is not there (or not to be seen). */
export async function statRemoteFile(shell: RemoteShell, path: string): Promise<FileStat | undefined> {
  const r = await shell.run(`stat -L -c '%s %i %Y' -- ${shellQuote(path)}`);
  const m = /^(\d+) (\d+) (\d+)\s*$/.exec(r.output.toString('utf8'));
  if (r.status !== 0 || !m) return undefined;
  return { size: Number(m[1]), ino: Number(m[2]), mtimeMs: Number(m[3]) * 1000 };
}

/** mkdir -p with every directory made private (umask), then `mode` on the last. */
export async function makeRemoteDirectory(shell: RemoteShell, host: string, path: string, mode: number): Promise<void> {
  const p = shellQuote(path);
  const r = await shell.run(`( (umask 077 && mkdir -p -- ${p}) || exit ${DENIED}; chmod ${mode.toString(8)} -- ${p})`);
  if (r.status !== 0) throw refused(r.status, path, host);
}

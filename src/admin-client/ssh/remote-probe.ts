/**
 * A remote host's files and sockets, looked at through its shell with POSIX
 * tools only (cat, ls, test) and Linux's /proc: what discovery, pid-file
 * locks and peers need, each answer one round trip on the ssh connection
 * that is already there.
 */
import type { HostProbe, SocketState } from '../discovery.js';
import type { HostFiles } from '../host-files.js';
import { parseTcpListening, parseUnixListening } from '../listening-sockets.js';
import { type RemoteShell, shellQuote } from './remote-shell.js';

/** Files on the host; `shell` is the current connection's (it changes when the host reconnects). */
export function remoteFiles(shell: () => RemoteShell, host: string): HostFiles {
  return {
    async readFile(path) {
      const r = await shell().run(`cat -- ${shellQuote(path)}`);
      if (r.status !== 0) throw Object.assign(new Error(`cannot read ${path} on ${host}`), { code: 'ENOENT' });
      return r.output;
    },
    async inode(path) {
      // "Cannot be read" includes a connection gone meanwhile: undefined, as HostFiles promises.
      const r = await Promise.resolve()
        .then(() => shell().run(`ls -di -- ${shellQuote(path)}`))
        .catch(() => undefined);
      const m = r && /^\s*(\d+)\s/.exec(r.output.toString('utf8'));
      return r?.status === 0 && m ? m[1] : undefined;
    },
  };
}

/**
 * One letter per path: S a socket we may connect to (write permission), R one we may not,
 * F something else, D its directory exists but may not be searched, A absent.
 */
export function socketFilesScript(paths: string[]): string {
  return [
    `for p in ${paths.map(shellQuote).join(' ')}; do`,
    '  if [ -S "$p" ]; then if [ -w "$p" ]; then echo S; else echo R; fi',
    '  elif [ -e "$p" ] || [ -L "$p" ]; then echo F',
    '  elif [ -d "${p%/*}" ] && [ ! -x "${p%/*}" ]; then echo D',
    '  else echo A; fi',
    'done',
  ].join('\n');
}

/**
 * A socket's state from its file and the kernel's listening list. The list (/proc/net/unix)
 * is the whole truth on the host: sshd connects from its network namespace, as we would.
 */
export function socketState(file: string, listening: Set<string> | undefined, path: string): SocketState {
  switch (file) {
    case 'S':
      return !listening || listening.has(path) ? 'active' : 'stale';
    case 'R':
      return !listening || listening.has(path) ? 'denied' : 'stale';
    case 'F':
      return 'stale';
    case 'D':
      return 'denied';
    default:
      return 'absent';
  }
}

/** The numeric names under `root` that hold a libvirt directory, one a line. */
export function userSessionDirsScript(root: string): string {
  return [
    `for d in ${shellQuote(root)}/*/libvirt; do`,
    '  u=${d%/libvirt}; u=${u##*/}',
    '  case $u in (*[!0-9]*|"") continue;; esac',
    '  [ -d "$d" ] && echo "$u"',
    'done',
  ].join('\n');
}

export class RemoteDiscoveryUnsupported extends Error {}

/** Discovery's view of a remote host: sockets from `test` and /proc/net, TCP from /proc/net/tcp{,6}. */
export function remoteProbe(shell: () => RemoteShell, files: HostFiles, host: string, adminUri: HostProbe['adminUri'], uid: number | undefined): HostProbe {
  const procText = (path: string) => files.readFile(path).then((b) => b.toString('utf8'), () => undefined);
  return {
    files,
    adminUri,
    runsAsRoot: () => uid === 0,
    async userSessionDirs(root) {
      const r = await shell().run(userSessionDirsScript(root));
      return r.output
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((uid) => ({ uid: Number(uid), dir: `${root}/${uid}/libvirt` }))
        .sort((a, b) => a.uid - b.uid);
    },
    async unixSockets(paths) {
      if (paths.length === 0) return [];
      const [unix, reply] = await Promise.all([procText('/proc/net/unix'), shell().run(socketFilesScript(paths))]);
      if (unix === undefined) throw new RemoteDiscoveryUnsupported(`${host}: cannot read /proc/net/unix: discovery on a remote host needs Linux's /proc (attach with an explicit URI instead)`);
      const listening = parseUnixListening(unix);
      const letters = reply.output.toString('utf8').split('\n');
      return paths.map((p, i) => socketState(letters[i] ?? 'A', listening, p));
    },
    async tcpPorts(_host, ports) {
      const tables = (await Promise.all([procText('/proc/net/tcp'), procText('/proc/net/tcp6')])).filter((t): t is string => t !== undefined);
      if (tables.length === 0) throw new RemoteDiscoveryUnsupported(`${host}: cannot read /proc/net/tcp: discovery on a remote host needs Linux's /proc`);
      const listening = parseTcpListening(tables);
      return ports.map((port) => (listening.has(port) ? 'active' : 'absent'));
    },
  };
}

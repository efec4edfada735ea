/**
 * A host reached over SSH (docs/architecture.md, "targets, hosts, fleet"):
 * one ssh process for the host (SshMaster), shared by every daemon attached
 * there, each through its own UNIX-socket forward; discovery and /proc read
 * through the same connection's shell. Nothing of ours runs on the host:
 * sshd and POSIX tools are all it needs. When the connection drops, the host
 * says why and connects again with backoff; the admin clients on it reconnect
 * through their forwards, set up again on the new connection as they dial.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { systemError, ErrorDomain } from '../../rpc/index.js';
import { AdminClient, type AdminClientOptions, type RemoteReach } from '../admin-client.js';
import { adminSocketName, type ResolvedUri, sessionSocketDir, SYSTEM_SOCKET_DIR } from '../admin-uri.js';
import type { ConnectionState } from '../admin-types.js';
import { type DaemonProcess, findDaemonProcess } from '../daemon-process.js';
import { type DiscoveredDaemon, discoverDaemons, type DiscoveryOptions, type SocketState } from '../discovery.js';
import type { HostFiles } from '../host-files.js';
import { type FileStat, type Host, type PeerProcess, type ProcessInfo, readPeerProcess, readProcessInfo } from '../host.js';
import { parseUnixListening } from '../listening-sockets.js';
import { makeRemoteDirectory, readRemoteFile, statRemoteFile } from './remote-file-ops.js';
import { type RemoteShell } from './remote-shell.js';
import { remoteFiles, remoteProbe, socketFilesScript, socketState } from './remote-probe.js';
import { SshError } from './ssh-failure.js';
import { type RemoteEnv, SshMaster, type SshSettings } from './ssh-master.js';
import { connectionKey, destinationName, parseSshUri, type SshDestination, sshAdminUri, type SshTransportOptions } from './ssh-uri.js';

export interface SshHostOptions {
  ssh?: SshSettings;
  /** Connect again with backoff when the connection is lost or cannot be made (the console); default false (one attempt). */
  reconnect?: boolean;
  backoffMs?: { initial: number; max: number };
}

const ERRNO_OF: Partial<Record<SocketState, string>> = { absent: 'No such file or directory', denied: 'Permission denied', stale: 'Connection refused' };

export class SshHost implements Host {
  readonly name: string;
  readonly destination: SshDestination;
  readonly transport: SshTransportOptions;
  readonly files: HostFiles;
  readonly #opts: SshHostOptions;
  #dir: string | undefined;
  #master: SshMaster | undefined;
  #env: RemoteEnv | undefined;
  #attempt: Promise<void> | undefined;
  readonly #closing = new AbortController();
  #state: ConnectionState = 'connecting';
  #lastError: SshError | undefined;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #generation = 0;
  readonly #forwards = new Map<string, { localPath: string; generation: number; adding?: Promise<void> }>();
  readonly #listeners = new Set<(state: ConnectionState, error?: SshError) => void>();

  constructor(destination: SshDestination, transport: SshTransportOptions = {}, opts: SshHostOptions = {}) {
    this.destination = destination;
    this.transport = transport;
    this.name = destinationName(destination);
    this.#opts = opts;
    this.files = remoteFiles(() => this.#shell(), this.name);
  }

  /** One connection per destination and transport options: the key a pool shares hosts by. */
  get key(): string {
    return connectionKey(this.destination, this.transport);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Why the host is not connected (its last failure), if it is not. */
  get lastError(): SshError | undefined {
    return this.#state === 'connected' ? undefined : this.#lastError;
  }

  /** The remote login's environment and uid, once connected. */
  get remoteEnv(): RemoteEnv | undefined {
    return this.#env;
  }

  /** Follow the connection's state; returns the unsubscribe function. */
  onState(listener: (state: ConnectionState, error?: SshError) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #setState(state: ConnectionState, error?: SshError): void {
    this.#state = state;
    if (error) this.#lastError = error;
    for (const l of this.#listeners) l(state, error);
  }

  /** Resolves once connected: starts connecting if nothing is under way; rejects with why not. */
  ready(): Promise<void> {
    if (this.#state === 'closed') return Promise.reject(new SshError('closed', this.name, `${this.name}: closed`));
    if (this.#master && this.#state === 'connected') return Promise.resolve();
    if (this.#attempt) return this.#attempt;
    // Waiting for the next reconnect attempt: say why now rather than hold the caller.
    if (this.#retryTimer && this.#lastError) return Promise.reject(this.#lastError);
    return this.#connect();
  }

  #connect(): Promise<void> {
    this.#dir ??= mkdtempSync(join(tmpdir(), 'virt-admin-tui-ssh-'));
    rmSync(join(this.#dir, 'control'), { force: true });
    this.#setState(this.#failures === 0 && this.#generation === 0 ? 'connecting' : 'reconnecting');
    const attempt = SshMaster.start(this.name, this.destination, this.transport, this.#opts.ssh ?? {}, this.#dir, this.#closing.signal).then(
      ({ master, env }) => {
        this.#attempt = undefined;
        if (this.#state === 'closed') return void master.stop();
        this.#master = master;
        this.#env = env;
        this.#generation++;
        this.#failures = 0;
        master.onLost = (reason) => this.#lost(reason);
        this.#setState('connected');
      },
      (err: SshError) => {
        this.#attempt = undefined;
        this.#lost(err);
        throw err;
      },
    );
    this.#attempt = attempt;
    return attempt;
  }

  #lost(reason: SshError): void {
    this.#master = undefined;
    if (this.#state === 'closed') return;
    this.#setState('lost', reason);
    if (!this.#opts.reconnect) return;
    const { initial, max } = this.#opts.backoffMs ?? { initial: 250, max: 3000 };
    const delay = Math.min(max, initial * 2 ** this.#failures++);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#connect().catch(() => {}); // #lost has scheduled the next one
    }, delay);
    this.#retryTimer.unref();
  }

  #shell(): RemoteShell {
    if (!this.#master) throw this.#lastError ?? new SshError('closed', this.name, `${this.name}: not connected`);
    return this.#master.shell;
  }

  /** The session socket directory on the host, as libvirt computes it from the login's environment. */
  #socketDir(mode: 'system' | 'session'): string {
    const env = this.#env;
    return mode === 'system' ? SYSTEM_SOCKET_DIR : sessionSocketDir({ XDG_RUNTIME_DIR: env?.XDG_RUNTIME_DIR, XDG_CACHE_HOME: env?.XDG_CACHE_HOME, HOME: env?.HOME ?? '/' });
  }

  async discover(opts: DiscoveryOptions = {}): Promise<DiscoveredDaemon[]> {
    await this.ready();
    const probe = remoteProbe(() => this.#shell(), this.files, this.name, (scheme, mode, socket) => sshAdminUri(scheme, this.destination, mode, socket, this.transport), this.#env?.uid);
    return discoverDaemons({ ...opts, systemDir: opts.systemDir ?? this.#socketDir('system'), sessionDir: opts.sessionDir ?? this.#socketDir('session'), tcpHost: opts.tcpHost ?? this.destination.host }, probe);
  }

  /** An admin client for a daemon on this host, by its `NAME+ssh://` URI. */
  async connect(uri: string, opts: AdminClientOptions = {}): Promise<AdminClient> {
    const parsed = parseSshUri(uri);
    if (connectionKey(parsed.destination, parsed.transport) !== this.key) throw new Error(`${uri} is not on ${this.name}`);
    const remotePath = () => parsed.socket ?? join(this.#socketDir(parsed.mode!), adminSocketName(parsed.daemon));
    const reach: RemoteReach = {
      hostName: this.name,
      files: this.files,
      dial: async () => {
        await this.ready();
        const path = remotePath();
        return { remotePath: path, localPath: await this.#reachSocket(path) };
      },
    };
    // The socket's path there names the target: wait for the host's first answer (a console that
    // reconnects goes on without it; the path is filled in once the host answers).
    if (!this.#env) {
      await this.ready().catch((err: Error) => {
        if (!opts.reconnect) throw err;
      });
    }
    const known = parsed.socket ?? (this.#env || parsed.mode === 'system' ? remotePath() : '');
    const target: ResolvedUri = { uri, socketPath: known, daemon: parsed.daemon, mode: parsed.mode, host: this.name };
    return AdminClient.attach(target, { ...opts, reach });
  }

  /** A local socket reaching `remotePath` on the current connection, after checking it is there to reach. */
  async #reachSocket(remotePath: string): Promise<string> {
    const shell = this.#shell();
    const [unix, files] = await Promise.all([this.files.readFile('/proc/net/unix').then((b) => b.toString('utf8'), () => undefined), shell.run(socketFilesScript([remotePath]))]);
    const state = socketState(files.output.toString('utf8').trim(), unix === undefined ? undefined : parseUnixListening(unix), remotePath);
    if (state !== 'active') {
      throw systemError(ErrorDomain.Rpc, `Failed to connect socket to '${remotePath}' on ${this.name}: ${ERRNO_OF[state]}`, 0);
    }
    return this.#forward(remotePath, remotePath);
  }

  /**
   * A local socket whose connections reach `remoteSpec` (a socket path, or host:port) on the
   * current connection: added once per connection, shared by every caller.
   */
  async #forward(key: string, remoteSpec: string): Promise<string> {
    let fwd = this.#forwards.get(key);
    if (!fwd) {
      fwd = { localPath: join(this.#dir!, `socket-${this.#forwards.size}`), generation: -1 };
      this.#forwards.set(key, fwd);
    }
    if (fwd.generation !== this.#generation) {
      const master = this.#master!;
      const generation = this.#generation;
      const entry = fwd;
      entry.adding ??= master.forward(entry.localPath, remoteSpec).then(
        () => {
          entry.generation = generation;
          entry.adding = undefined;
        },
        (err: Error) => {
          entry.adding = undefined;
          throw err;
        },
      );
      await entry.adding;
    }
    return fwd.localPath;
  }

  async readFile(path: string, range?: { start?: number; maxBytes?: number }): Promise<Buffer> {
    await this.ready();
    return readRemoteFile(this.#shell(), this.name, path, range);
  }

  async statFile(path: string): Promise<FileStat | undefined> {
    await this.ready();
    return statRemoteFile(this.#shell(), path);
  }

  async makeDirectory(path: string, mode = 0o700): Promise<void> {
    await this.ready();
    await makeRemoteDirectory(this.#shell(), this.name, path, mode);
  }

  /** The login's state directory there: $XDG_STATE_HOME, else ~/.local/state. */
  async stateDirectory(): Promise<string> {
    await this.ready();
    const env = this.#env!;
    return env.XDG_STATE_HOME || join(env.HOME || '/', '.local', 'state');
  }

  async processInfo(pid: number): Promise<ProcessInfo | undefined> {
    await this.ready();
    return readProcessInfo(pid, this.files);
  }

  /** A TCP connection made from the host (sshd connects, as `ssh -L` does) to address:port. */
  async connectTcp(address: string, port: number): Promise<Duplex> {
    await this.ready();
    const spec = `${address.includes(':') ? `[${address}]` : address}:${port}`;
    const localPath = await this.#forward(`tcp ${spec}`, spec);
    return new Promise((resolve, reject) => {
      const s = connectSocket(localPath);
      s.once('connect', () => {
        s.removeListener('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
  }

  /** The process serving an admin connection, from the daemon's extension or its pid file's lock over there. */
  daemonProcess(admin: AdminClient): Promise<DaemonProcess | undefined> {
    return findDaemonProcess(admin);
  }

  /**
   * Whether a client's peer is this console: on the host, our admin connections come from the
   * sshd process serving our ssh connection, and nothing else does.
   */
  isConsoleProcess(pid: number): boolean {
    return this.#master !== undefined && this.#env?.sshdPid === pid;
  }

  async peerProcess(pid: number, uid: number | undefined): Promise<PeerProcess | undefined> {
    if (!this.#master) return undefined;
    return readPeerProcess(pid, uid, this.files);
  }

  /** Ends the connection (every forward with it) and removes the private directory. */
  async close(): Promise<void> {
    this.#setState('closed');
    this.#closing.abort();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    await this.#attempt?.catch(() => {});
    const master = this.#master;
    this.#master = undefined;
    await master?.stop();
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
  }
}

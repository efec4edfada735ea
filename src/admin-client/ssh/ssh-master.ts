/**
 * The one ssh process per host: the system's OpenSSH client as a
 * ControlMaster of our own (its control socket in a private directory), so
 * the operator's ssh config, agent, keys and known_hosts apply as they do on
 * the command line. Its own session is a POSIX shell on the host (discovery,
 * /proc); admin sockets are reached through UNIX-socket forwards added to it
 * (`ssh -O forward -L local.sock:remote.sock`: OpenSSH 9.2 has no `-W PATH`).
 * Never a prompt: BatchMode, and stdin is ours, not the terminal's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { RemoteShell } from './remote-shell.js';
import { SshError, sshFailure } from './ssh-failure.js';
import type { SshDestination, SshTransportOptions } from './ssh-uri.js';

export interface SshSettings {
  /** An ssh_config to read in place of ~/.ssh/config and the system's (ssh -F). */
  configFile?: string;
  /** The ssh client; `ssh` on PATH by default. */
  command?: string;
  /** How long connecting may take, in seconds (ConnectTimeout); default 10. */
  connectTimeoutSec?: number;
  /** Silence before the connection is probed, in seconds, and probes unanswered before it counts as lost; default 2 and 3. */
  aliveIntervalSec?: number;
  aliveCountMax?: number;
}

/** What the remote login says about where a session's sockets are, and who we are there. */
export interface RemoteEnv {
  XDG_RUNTIME_DIR?: string;
  XDG_CACHE_HOME?: string;
  HOME?: string;
  XDG_STATE_HOME?: string;
  uid: number;
  /** uname -s: discovery reads /proc, which Linux has. */
  system: string;
  /**
   * The sshd process serving this connection: the shell's parent, and the peer every daemon
   * sees behind our forwarded admin connections (so they can be told from other clients).
   */
  sshdPid: number;
}

const ENV_SCRIPT = `printf '%s\\0' "\${XDG_RUNTIME_DIR-}" "\${XDG_CACHE_HOME-}" "\${HOME-}" "$(id -u)" "$(uname -s)" "$PPID" "\${XDG_STATE_HOME-}"`;
/** ssh's stderr kept for explaining an exit (its last words matter). */
const STDERR_KEPT = 16384;

/** Arguments every ssh command for this host shares: the operator's config, the URI's key and known_hosts. */
function commonArgs(d: SshDestination, t: SshTransportOptions, s: SshSettings): string[] {
  return [
    ...(s.configFile ? ['-F', s.configFile] : []),
    ...(t.keyfile ? ['-i', t.keyfile] : []),
    ...(t.knownHosts ? ['-o', `UserKnownHostsFile=${t.knownHosts}`] : []),
    ...(d.user !== undefined ? ['-l', d.user] : []),
    ...(d.port !== undefined ? ['-p', String(d.port)] : []),
  ];
}

export class SshMaster {
  readonly shell: RemoteShell;
  readonly #child: ChildProcess;
  readonly #controlPath: string;
  readonly #settings: SshSettings;
  readonly #host: string;
  readonly #hostArg: string;
  #stderr = '';
  #exited: Promise<void>;
  #stopping = false;
  /** Called once if the connection ends without stop(): why. */
  onLost: (reason: SshError) => void = () => {};

  private constructor(child: ChildProcess, controlPath: string, settings: SshSettings, host: string, hostArg: string) {
    this.#child = child;
    this.#controlPath = controlPath;
    this.#settings = settings;
    this.#host = host;
    this.#hostArg = hostArg;
    this.shell = new RemoteShell(child.stdin!, child.stdout!);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.#stderr = (this.#stderr + d).slice(-STDERR_KEPT);
    });
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
  }

  /**
   * Connects and waits until the remote shell answers; rejects with an SshError saying why not.
   * `dir` is private to this host (mode 0700): the control socket and the forwards go there.
   */
  static start(host: string, d: SshDestination, t: SshTransportOptions, settings: SshSettings, dir: string, signal?: AbortSignal): Promise<{ master: SshMaster; env: RemoteEnv }> {
    const controlPath = join(dir, 'control');
    const args = [
      ...commonArgs(d, t, settings),
      '-M', '-S', controlPath,
      '-o', 'ControlPersist=no',
      // The operator's LocalForward/RemoteForward lines are theirs, not this connection's.
      '-o', 'ClearAllForwardings=yes',
      '-o', 'StreamLocalBindUnlink=yes',
      '-o', 'StreamLocalBindMask=0177',
      '-o', 'BatchMode=yes',
      '-o', `ConnectTimeout=${settings.connectTimeoutSec ?? 10}`,
      '-o', `ServerAliveInterval=${settings.aliveIntervalSec ?? 2}`,
      '-o', `ServerAliveCountMax=${settings.aliveCountMax ?? 3}`,
      '-o', 'PermitLocalCommand=no',
      '-o', 'RemoteCommand=none',
      '-e', 'none', '-T', '-x', '-a',
      '--', d.host, 'exec /bin/sh',
    ];
    const child = spawn(settings.command ?? 'ssh', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, SSH_ASKPASS_REQUIRE: 'never' } });
    const master = new SshMaster(child, controlPath, settings, host, d.host);
    // ConnectTimeout bounds the TCP connect and the banner; this bounds a login that stalls after them.
    const loginLimitSec = 2 * (settings.connectTimeoutSec ?? 10) + 5;
    return new Promise((resolve, reject) => {
      let up = false;
      let stalled = false;
      const timer = setTimeout(() => {
        stalled = true;
        child.kill('SIGTERM');
      }, loginLimitSec * 1000);
      // Closing the host while it is still logging in: the attempt ends now, not at its timeout.
      const abandon = () => {
        if (!up) child.kill('SIGTERM');
      };
      signal?.addEventListener('abort', abandon, { once: true });
      child.once('error', (err) => reject(new SshError('failed', host, `${host}: cannot run ssh: ${err.message}`)));
      child.once('close', (code, exitSignal) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abandon);
        const reason = stalled
          ? new SshError('timeout', host, `${host}: no answer: logging in took over ${loginLimitSec} s`, master.#stderr)
          : signal?.aborted && !up
            ? new SshError('closed', host, `${host}: closed while connecting`, master.#stderr)
            : sshFailure(host, master.#stderr, { code, signal: exitSignal }, up);
        master.shell.fail(reason);
        if (!up) reject(reason);
        else if (!master.#stopping) master.onLost(reason);
      });
      master.shell.run(ENV_SCRIPT).then(
        (reply) => {
          clearTimeout(timer);
          up = true;
          const [runtime, cache, home, uid, system, sshdPid, state] = reply.output.toString('utf8').split('\0');
          const env: RemoteEnv = { uid: Number(uid), system: system ?? '', sshdPid: Number(sshdPid) };
          if (runtime) env.XDG_RUNTIME_DIR = runtime;
          if (cache) env.XDG_CACHE_HOME = cache;
          if (home) env.HOME = home;
          if (state) env.XDG_STATE_HOME = state;
          resolve({ master, env });
        },
        () => {}, // the close handler rejects with ssh's reason
      );
    });
  }

  /** What ssh printed so far (warnings, the remote login's complaints), for the log. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Adds a forward: connections to `localPath` reach `remotePath` on the host, over this connection. */
  forward(localPath: string, remotePath: string): Promise<void> {
    // A control command reads no config (-F none): the operator's forwards must not ride along.
    const args = ['-F', 'none', '-S', this.#controlPath, '-O', 'forward', '-L', `${localPath}:${remotePath}`, '--', this.#hostArg];
    return new Promise((resolve, reject) => {
      const child = spawn(this.#settings.command ?? 'ssh', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.once('error', (err) => reject(new SshError('failed', this.#host, `${this.#host}: cannot run ssh: ${err.message}`)));
      child.once('close', (code) => {
        if (code === 0) resolve();
        else reject(new SshError('failed', this.#host, `${this.#host}: cannot forward ${remotePath}: ${stderr.trim() || `ssh exit status ${code}`}`, stderr));
      });
    });
  }

  /** Ends the connection (and every forward on it) and waits for ssh to exit. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.shell.fail(new SshError('closed', this.#host, `${this.#host}: connection closed`));
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.stdin!.end();
      this.#child.kill('SIGTERM');
      const killer = setTimeout(() => this.#child.kill('SIGKILL'), 3000);
      await this.#exited;
      clearTimeout(killer);
    }
  }
}

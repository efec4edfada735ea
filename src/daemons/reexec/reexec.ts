/**
 * SIGUSR1 for virtlogd and virtlockd (daemons.md §10.3, §11.3): the daemon
 * executes its binary again in the same process (same pid, so systemd's
 * `ExecReload=kill -USR1 $MAINPID` and the POSIX locks keep working), and the
 * new image takes over listening sockets, connected clients and the duties.
 *
 * In order: check that the binary and the config are there (a half-finished
 * upgrade must not kill the daemon); hold every client so no call is in
 * progress and every reply is written; then, with no event-loop turn in
 * between, take the bytes clients sent that were not dispatched, the duties'
 * state, write the state file and execve with exactly those descriptors
 * inherited. If execve fails, everything is given back and the daemon keeps
 * running as it was, saying why.
 */
import { accessSync, constants, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Logger } from '../logging/index.js';
import type { Daemon, PidFile } from '../runtime/index.js';
import { lazyAddon } from '../runtime/native-addon.js';
import { strerror } from '../system-errors.js';
import { type DutiesHandoff, encodeRestartState, RESTART_STATE_FORMAT, RESTART_STATE_VERSION } from './restart-state.js';
import { busyClients, captureServers, everyClientIdle, giveBack, type SavedServer } from './runtime-handoff.js';

const addon = lazyAddon<{ execve(file: string, argv: string[], env: string[], keepFds: number[]): void; unblockSignal(signo: number): void }>('reexec');

/** How long clients get to take their replies before a re-exec goes ahead without them. */
const QUIESCE_LIMIT_MS = 3000;
const QUIESCE_POLL_MS = 2;

/** The daemon's own state (virtlogd's logs, virtlockd's leases), handed over after the runtime's. */
export interface HandsOver {
  /** Stops taking input and returns what the next image takes over. */
  handOver(): DutiesHandoff;
  /** The exec failed: carry on as before. */
  resume(): void;
}

export interface ReexecOptions {
  daemon: Daemon;
  duties: HandsOver;
  pidFile: PidFile;
  statePath: string;
  log: Logger;
  /** Loads the config the next image will read; throws saying what is wrong. */
  checkConfig(): Promise<void>;
}

/** What the next image is: this Node, with its options, script and arguments, in this environment. */
interface Command {
  file: string;
  /** The script Node will load, checked too: Node being there is not enough. */
  script?: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
}

/** Once the new image listens for SIGUSR1 itself: the one blocked across execve may arrive. */
export function acceptReexecSignals(): void {
  addon.unblockSignal(osConstants.signals.SIGUSR1);
}

export class Reexec {
  #underWay = false;

  constructor(private readonly o: ReexecOptions) {}

  /** Runs one re-exec; returns only if it did not happen (the reason is logged). */
  async run(): Promise<void> {
    const { log } = this.o;
    if (this.#underWay) {
      log.warn('SIGUSR1: a re-exec is already under way');
      return;
    }
    this.#underWay = true;
    try {
      const cmd: Command = { file: process.execPath, script: process.argv[1], argv: [process.execPath, ...process.execArgv, ...process.argv.slice(1)], env: process.env };
      const problem = await this.#preflight(cmd);
      if (problem) {
        log.error(`Unable to re-execute the daemon: ${problem}; it keeps running as it was`);
        return;
      }
      log.info(`SIGUSR1: re-executing ${cmd.argv.join(' ')} in place (pid ${process.pid})`);
      await this.#quiesce();
      this.#handOverAndExec(cmd);
    } finally {
      this.#underWay = false;
    }
  }

  async #preflight(cmd: Command): Promise<string | undefined> {
    const check = (path: string, mode: number, what: string) => {
      try {
        accessSync(path, mode);
        return undefined;
      } catch (err) {
        return `${what} ${path}: ${strerror(err)}`;
      }
    };
    const missing = check(cmd.file, constants.X_OK, 'cannot execute') ?? (cmd.script ? check(cmd.script, constants.R_OK, 'cannot read') : undefined);
    if (missing) return missing;
    try {
      await this.o.checkConfig();
    } catch (err) {
      return `the next image could not start: ${(err as Error).message}`;
    }
    return undefined;
  }

  /** No call in progress and every reply written; a client that does not read its reply is let go. */
  async #quiesce(): Promise<void> {
    const { daemon, log } = this.o;
    for (const s of daemon.servers()) s.hold();
    const deadline = Date.now() + QUIESCE_LIMIT_MS;
    while (!everyClientIdle(daemon) && Date.now() < deadline) await new Promise((r) => setTimeout(r, QUIESCE_POLL_MS));
    for (const { server, client } of busyClients(daemon)) {
      log.warn(`re-exec: client ${client.id} of server ${server.name} has not taken its reply within ${QUIESCE_LIMIT_MS} ms; disconnecting it`);
      client.close();
    }
  }

  /** Synchronous from the first byte taken to execve: the kernel keeps everything else. */
  #handOverAndExec(cmd: Command): void {
    const { daemon, duties, pidFile, statePath, log } = this.o;
    let servers: SavedServer[] = [];
    let handedOver = false;
    try {
      const captured = captureServers(daemon);
      servers = captured.servers;
      const saved = duties.handOver();
      handedOver = true;
      const dutyFds = [...(saved.logs ?? []).flatMap((l) => [l.pipeFd, l.fileFd]), ...(saved.lockspaces ?? []).flatMap((ls) => ls.resources.map((r) => r.fd))];
      const pidFd = pidFile.descriptor;
      if (pidFd === undefined) throw new Error('the pid file is not held');
      writeFileSync(
        statePath,
        encodeRestartState({
          format: RESTART_STATE_FORMAT,
          version: RESTART_STATE_VERSION,
          pid: process.pid,
          daemon: daemon.name,
          writtenAtMs: Date.now(),
          pidFile: { path: pidFile.path, fd: pidFd },
          servers,
          duties: saved,
        }),
        { mode: 0o600 },
      );
      const env = Object.entries(cmd.env)
        .filter((e): e is [string, string] => e[1] !== undefined)
        .map(([k, v]) => `${k}=${v}`);
      addon.execve(cmd.file, cmd.argv, env, [pidFd, ...captured.fds, ...dutyFds]);
    } catch (err) {
      rmSync(statePath, { force: true });
      if (handedOver) duties.resume();
      giveBack(daemon, servers);
      for (const s of daemon.servers()) s.release();
      log.error(`Unable to re-execute the daemon: ${cmd.file}: ${(err as Error).message}; it keeps running with its state`);
    }
  }
}

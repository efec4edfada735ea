/**
 * A daemon kind as data (daemons.md §1): its name, socket prefix, the modes it
 * supports, and the drivers it serves. The runtime is the same for all; what
 * differs is here.
 */
import type { DaemonState } from '../../rpc/index.js';
import type { DutiesHandoff } from '../reexec/restart-state.js';
import type { ConnectionDriver } from '../programs/remote/connection-driver.js';
import type { SaslAuthSettings } from '../programs/remote/remote-sasl-auth.js';
import type { Logger } from '../logging/index.js';
import type { Daemon, Program } from '../runtime/index.js';
import type { RemoteDaemonConfig } from '../config/index.js';
import type { Mode } from '../paths/daemon-paths.js';

/** What a kind's own main program may use of the daemon being built. */
export interface MainProgramContext {
  mode: Mode;
  socketDir: string;
  logger: Logger;
  config: RemoteDaemonConfig;
  daemon: Daemon;
  /** Set when a socket of the daemon asks for SASL. */
  sasl?: SaslAuthSettings;
}

/**
 * What virtlogd and virtlockd keep for the daemons that run guests: served by
 * their program, reported by the extension program, flushed before exit, and
 * carried to the next image by a re-exec (daemons.md §10.3, §11.3).
 */
export interface HelperDuties {
  program: Program;
  report(): Pick<DaemonState, 'logs' | 'leases'>;
  /** Before exit: what clients already handed over (bytes in log pipes) reaches its file. */
  flush(): void;
  /** Re-exec: stops taking input and returns what the next image takes over. */
  handOver(): DutiesHandoff;
  /** The exec failed: carry on as before. */
  resume(): void;
  /** The next image takes over. */
  takeOver(saved: DutiesHandoff): void;
}

export interface DaemonKind {
  name: string;
  /** Socket names are `<prefix>-sock`, `<prefix>-sock-ro`, `<prefix>-admin-sock`. */
  socketPrefix: string;
  modes: readonly Mode[];
  /** Listens on TCP/TLS (libvirtd, virtproxyd). */
  ip: boolean;
  /** Line under the options in --help. */
  description: string;
  drivers(): ConnectionDriver[];
  /** The main server's program when it is not the REMOTE program over `drivers` (virtproxyd's relay). */
  mainProgram?(ctx: MainProgramContext): Program | undefined;
  /** virtlogd's and virtlockd's duties, whose program is their main server's. */
  duties?(ctx: MainProgramContext): HelperDuties;
  /**
   * virtlogd and virtlockd: no read-only socket, their own config keys and server
   * defaults, and a main socket that admits only root and the daemon's own user.
   */
  helper?: boolean;
}

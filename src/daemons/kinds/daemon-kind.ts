/**
 * A daemon kind as data (daemons.md §1): its name, socket prefix, the modes it
 * supports, and the drivers it serves. The runtime is the same for all; what
 * differs is here.
 */
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
  /** The main server's program when it is not the REMOTE program over `drivers` (virtproxyd's relay, virtlockd's). */
  mainProgram?(ctx: MainProgramContext): Program | undefined;
  /**
   * virtlogd and virtlockd: no read-only socket, their own config keys and server
   * defaults, and a main socket that admits only root and the daemon's own user.
   */
  helper?: boolean;
}

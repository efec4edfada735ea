/**
 * systemd socket activation (daemons.md §7.2): the listening fds systemd
 * hands over (LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES), taken once at start-up
 * and removed from the environment so that children do not inherit the claim.
 */

/** The first passed fd (SD_LISTEN_FDS_START). */
const FIRST_FD = 3;

export interface ActivationFd {
  fd: number;
  /** The socket unit's name (FileDescriptorName, default "<unit>.socket"); undefined when systemd gave none. */
  name: string | undefined;
}

export class ActivationError extends Error {}

/** The fds passed to this process, or undefined when it was not socket-activated. */
export function takeActivationFds(env: NodeJS.ProcessEnv, pid: number): ActivationFd[] | undefined {
  const listenPid = Number(env.LISTEN_PID);
  const count = Number(env.LISTEN_FDS);
  const names = env.LISTEN_FDNAMES;
  if (listenPid !== pid || !Number.isInteger(count) || count <= 0) return undefined;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.LISTEN_FDNAMES;
  // Systemd before 227 passes no names: the fds are then matched by the addresses they are bound to.
  const split = names === undefined ? undefined : names.split(':');
  if (split && split.length !== count) {
    throw new ActivationError(`internal error: Expected ${count} LISTEN_FDNAMES entries, got ${split.length} ('${names}')`);
  }
  return Array.from({ length: count }, (_, i) => ({ fd: FIRST_FD + i, name: split?.[i] }));
}

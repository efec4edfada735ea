/**
 * What the task commands (debug-capture, drift, certificates, log-follow) share: their
 * arguments parsed by commander with its output on the command's streams, and their work
 * on the -c daemon's admin connection on this host, failing as virt-admin does when it cannot be had.
 */
import { type Command, CommanderError } from 'commander';
import { type AdminClient, type AdminClientOptions, defaultContext, defaultUri, LocalHost } from '../../admin-client/index.js';
import type { CliIO } from './run-verb.js';

/** Parses `argv` into `cmd`; a number is the exit code to return at once (help shown, or a usage error printed). */
export function parseTaskArgs(cmd: Command, argv: string[], io: CliIO): number | undefined {
  cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cmd.parse(argv, { from: 'user' });
    return undefined;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
}

/**
 * Runs `body` on the daemon named by -c (or the default one) on this host and returns its exit
 * code: 1 after virt-admin's connect error, or after `error: …` when `body` throws. The short
 * connection first lets go of our daemons' idle hold, so it does not keep an idle daemon up.
 */
export async function onTaskDaemon(
  uri: string | undefined,
  io: CliIO,
  body: (admin: AdminClient, host: LocalHost) => Promise<number>,
  opts?: AdminClientOptions,
): Promise<number> {
  const host = new LocalHost();
  const admin = await host.connect(uri ?? defaultUri(defaultContext()), opts).catch((err: Error) => err);
  if (admin instanceof Error) {
    io.stderr(`error: Failed to connect to the admin server\nerror: ${admin.message}\n`);
    return 1;
  }
  try {
    await admin.releaseIdleHold();
    return await body(admin, host);
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await admin.close();
  }
}

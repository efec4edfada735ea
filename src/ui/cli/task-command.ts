/**
 * What the task commands (debug-capture, drift, certificates, log-follow) share: their
 * arguments parsed by commander with its output on the command's streams, and the -c
 * daemon's admin connection on this host, failing as virt-admin does when it cannot be had.
 */
import { type Command, CommanderError } from 'commander';
import { type AdminClient, type AdminClientOptions, defaultContext, defaultUri, type LocalHost } from '../../admin-client/index.js';
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

/** The daemon named by -c (or the default one) on `host`; undefined once virt-admin's connect error is printed. */
export async function connectTaskDaemon(host: LocalHost, uri: string | undefined, io: CliIO, opts?: AdminClientOptions): Promise<AdminClient | undefined> {
  const admin = await host.connect(uri ?? defaultUri(defaultContext()), opts).catch((err: Error) => err);
  if (!(admin instanceof Error)) return admin;
  io.stderr(`error: Failed to connect to the admin server\nerror: ${admin.message}\n`);
  return undefined;
}

/**
 * `virt-admin-tui -c URI drift [--json]`: the attached daemon's running settings
 * against its config file; what a restart would lose, with the line that keeps it.
 */
import { Command, CommanderError } from 'commander';
import { defaultContext, defaultUri, LocalHost } from '../../admin-client/index.js';
import { driftReport, driftText } from '../../tasks/index.js';
import type { TaskContext } from './debug-capture-command.js';

export async function runDrift(argv: string[], ctx: TaskContext): Promise<number> {
  const { io } = ctx;
  const cmd = new Command('virt-admin-tui drift')
    .description("Compare a daemon's running settings with its config file: what a restart would lose, and the lines that keep it")
    .option('--json', 'the report as JSON')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const host = new LocalHost();
  const admin = await host.connect(ctx.uri ?? defaultUri(defaultContext())).catch((err: Error) => err);
  if (admin instanceof Error) {
    io.stderr(`error: Failed to connect to the admin server\nerror: ${admin.message}\n`);
    return 1;
  }
  try {
    // Ours: this short connection must not count as a client that keeps an idle daemon up.
    await admin.releaseIdleHold();
    const report = await driftReport(admin, host);
    io.stdout(ctx.json || cmd.opts().json ? JSON.stringify(report, null, 2) + '\n' : driftText(report));
    return 0;
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await admin.close();
  }
}

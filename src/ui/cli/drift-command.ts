/**
 * `virt-admin-tui -c URI drift [--json]`: the attached daemon's running settings
 * against its config file; what a restart would lose, with the line that keeps it.
 */
import { Command } from 'commander';
import { LocalHost } from '../../admin-client/index.js';
import { driftReport, driftText } from '../../tasks/index.js';
import type { TaskContext } from './debug-capture-command.js';
import { connectTaskDaemon, parseTaskArgs } from './task-command.js';

export async function runDrift(argv: string[], ctx: TaskContext): Promise<number> {
  const { io } = ctx;
  const cmd = new Command('virt-admin-tui drift')
    .description("Compare a daemon's running settings with its config file: what a restart would lose, and the lines that keep it")
    .option('--json', 'the report as JSON');
  const exit = parseTaskArgs(cmd, argv, io);
  if (exit !== undefined) return exit;
  const host = new LocalHost();
  const admin = await connectTaskDaemon(host, ctx.uri, io);
  if (!admin) return 1;
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

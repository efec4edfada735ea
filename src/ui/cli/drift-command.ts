/**
 * `virt-admin-tui -c URI drift [--json]`: the attached daemon's running settings
 * against its config file; what a restart would lose, with the line that keeps it.
 */
import { Command } from 'commander';
import { driftReport, driftText } from '../../tasks/index.js';
import type { TaskContext } from './debug-capture-command.js';
import { onTaskDaemon, parseTaskArgs } from './task-command.js';

export async function runDrift(argv: string[], ctx: TaskContext): Promise<number> {
  const { io } = ctx;
  const cmd = new Command('virt-admin-tui drift')
    .description("Compare a daemon's running settings with its config file: what a restart would lose, and the lines that keep it")
    .option('--json', 'the report as JSON');
  const exit = parseTaskArgs(cmd, argv, io);
  if (exit !== undefined) return exit;
  return onTaskDaemon(
    ctx.uri,
    io,
    async (admin, host) => {
      const report = await driftReport(admin, host);
      io.stdout(ctx.json || cmd.opts().json ? JSON.stringify(report, null, 2) + '\n' : driftText(report));
      return 0;
    },
  );
}

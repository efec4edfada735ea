/**
 * `virt-admin-tui -c URI certificates [--reload] [--json]`: the console's
 * certificate panel on the command line: the daemon's TLS files and what they
 * hold; with --reload, server-update-tls and then a fresh handshake that shows
 * which certificate a new client gets.
 */
import { Command } from 'commander';
import { reloadAndCheck, reloadText, tlsReport, tlsText } from '../../tasks/index.js';
import type { TaskContext } from './debug-capture-command.js';
import { onTaskDaemon, parseTaskArgs } from './task-command.js';

export async function runCertificates(argv: string[], ctx: TaskContext): Promise<number> {
  const { io } = ctx;
  const cmd = new Command('virt-admin-tui certificates')
    .description("A daemon's TLS certificate, CA and CRL: subject, names, issuer, expiry, whether the chain verifies")
    .option('--reload', 'reload them (server-update-tls), then check with a fresh TLS handshake which certificate is served')
    .option('--json', 'the report as JSON');
  const exit = parseTaskArgs(cmd, argv, io);
  if (exit !== undefined) return exit;
  const o = cmd.opts<{ reload?: boolean; json?: boolean }>();
  const json = ctx.json || o.json;
  return onTaskDaemon(
    ctx.uri,
    io,
    async (admin, host) => {
      if (!o.reload) {
        const report = await tlsReport(admin, host);
        io.stdout(json ? JSON.stringify(report, null, 2) + '\n' : tlsText(report));
        return 0;
      }
      const outcome = await reloadAndCheck(admin, host);
      io.stdout(json ? JSON.stringify(outcome, null, 2) + '\n' : tlsText(outcome.report) + reloadText(outcome.results));
      return outcome.results.length > 0 && outcome.results.every((r) => r.servesFile) ? 0 : 1;
    },
  );
}

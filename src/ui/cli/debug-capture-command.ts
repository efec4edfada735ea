/**
 * `virt-admin-tui debug-capture`: the console's timed debug capture without the
 * console. It blocks until the time is up, then restores every daemon; SIGINT and
 * SIGTERM end it early and restore too. If this process is killed outright, the
 * journal on disk lets `virt-admin-tui --restore` put the daemons back later.
 */
import { Command } from 'commander';
import { type DiscoveryOptions, LocalHost } from '../../admin-client/index.js';
import {
  captureFilters,
  CaptureRefused,
  chooseTargets,
  DebugCapture,
  describeOutcome,
  formatCountdown,
  label,
  parseDuration,
  PRESETS,
} from '../../tasks/index.js';
import { restoreLeftovers } from './restore-leftovers.js';
import type { CliIO } from './run-verb.js';
import { parseTaskArgs } from './task-command.js';

export interface TaskContext {
  io: CliIO;
  uri: string | undefined;
  journalDir: string;
  /** Where SIGINT/SIGTERM arrive (the process). */
  signals: NodeJS.EventEmitter;
  /** --json was given (before or after the command). */
  json?: boolean;
  /** Where to look for the host's daemons (--system-socket-dir). */
  discovery?: DiscoveryOptions;
}

const presetHelp = PRESETS.map((p) => `  ${p.name.padEnd(8)} ${p.filters}\n           ${p.about} (${p.source})`).join('\n');

export async function runDebugCapture(argv: string[], ctx: TaskContext): Promise<number> {
  const { io } = ctx;
  const cmd = new Command('virt-admin-tui debug-capture')
    .description('Turn on debug logging of daemons for a while, into a file each, then put their settings back')
    .option('--daemons <list>', "'all', names (libvirtd,virtqemud), NAME/MODE, or admin URIs; default: -c URI")
    .option('--preset <name>', 'one of libvirt\'s debug-log recipes (below)')
    .option('--filters <filters>', 'your own filters instead, e.g. "1:qemu 3:*"')
    .option('--for <duration>', 'how long: 90s, 10m, 1h', '10m')
    .option('--dir <dir>', 'where the files go (default: under $XDG_STATE_HOME/virt-admin-tui/captures)')
    .option('--restore', 'only restore captures whose console died, then exit')
    .addHelpText('after', `\nPresets:\n${presetHelp}\n`);
  const exit = parseTaskArgs(cmd, argv, io);
  if (exit !== undefined) return exit;
  const o = cmd.opts<{ daemons?: string; preset?: string; filters?: string; for: string; dir?: string; restore?: boolean }>();
  if (o.restore) {
    const r = await restoreLeftovers(ctx.journalDir);
    io.stdout(r.lines.length ? r.lines.join('\n') + '\n' : 'no capture was left to restore\n');
    return r.ok ? 0 : 1;
  }
  const host = new LocalHost();
  try {
    if (o.preset !== undefined && o.filters !== undefined) throw new CaptureRefused('give --preset or --filters, not both');
    const spec = o.daemons ?? ctx.uri;
    if (!spec) throw new CaptureRefused('which daemons? --daemons all, or names, or -c URI');
    const asked = { preset: o.preset ?? (o.filters === undefined ? 'general' : undefined), filters: o.filters };
    const shown = captureFilters(asked);
    const durationMs = parseDuration(o.for);
    const targets = chooseTargets(spec, spec.includes(':') ? [] : await host.discover(ctx.discovery));
    const capture = await DebugCapture.start({ host, targets, ...asked, dir: o.dir, durationMs, journalDir: ctx.journalDir });
    const stop = () => void capture.stop('signal');
    // Ctrl-C, kill, the terminal gone: each ends the capture and restores before exiting.
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) ctx.signals.on(sig, stop);
    io.stdout(
      [
        `Capturing debug logs of ${targets.map(label).join(', ')} for ${formatCountdown(durationMs)}`,
        `  filters ${shown.filters}${shown.preset ? ` (preset ${shown.preset})` : ''}`,
        ...capture.files.map((f) => `  ${label(f.target)} -> ${f.path}`),
        `  restore journal ${capture.journalPath}`,
        `Ends at ${new Date(capture.endsAt).toLocaleTimeString()}; Ctrl-C ends it now and restores.`,
      ].join('\n') + '\n',
    );
    const report = await capture.finished;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) ctx.signals.off(sig, stop);
    const sizes = await Promise.all(capture.files.map(async (f) => `  ${f.path}: ${(await host.statFile(f.path))?.size ?? 'missing'} bytes`));
    io.stdout(
      [`Capture ended (${report.end === 'time' ? 'time is up' : 'stopped'}):`, ...report.outcomes.map((x) => `  ${describeOutcome(x)}`), 'Files:', ...sizes].join('\n') + '\n',
    );
    if (!report.complete) io.stderr(`error: not every daemon has its settings back; the journal stays: ${capture.journalPath}\n`);
    return report.complete ? 0 : 1;
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await host.close();
  }
}

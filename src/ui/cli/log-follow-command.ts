/**
 * `virt-admin-tui -c URI log-follow [--filters F] [--priority P]`: the console's
 * live log view on the command line, until Ctrl-C. Our daemons stream their
 * records through the filters given; libvirt's log file is followed.
 */
import { Command } from 'commander';
import { LiveLog, type LogLine } from '../../tasks/index.js';
import type { TaskContext } from './debug-capture-command.js';
import { onTaskDaemon, parseTaskArgs } from './task-command.js';

const NAMES: Readonly<Record<number, string>> = { 1: 'debug', 2: 'info', 3: 'warning', 4: 'error' };

export function logLineText(l: LogLine): string {
  if (!l.time) return l.text;
  return `${l.time.replace('T', ' ').replace('Z', '')}: ${NAMES[l.priority ?? 0] ?? '?'} : ${l.category ?? ''} : ${l.text}`;
}

export async function runLogFollow(argv: string[], ctx: TaskContext): Promise<number> {
  const { io } = ctx;
  const cmd = new Command('virt-admin-tui log-follow')
    .description("A daemon's log as it happens: ours stream it (no log file needed), libvirt's log file is followed")
    .option('--filters <filters>', 'which records, in libvirt\'s filter syntax (ours only), e.g. "1:qemu 1:rpc"')
    .option('--priority <1-4>', 'for categories no filter names (default: the daemon\'s own level)');
  const exit = parseTaskArgs(cmd, argv, io);
  if (exit !== undefined) return exit;
  const o = cmd.opts<{ filters?: string; priority?: string }>();
  return onTaskDaemon(
    ctx.uri,
    io,
    async (admin, host) => {
      const log = await LiveLog.start(admin, host, { filters: o.filters ?? null, ...(o.priority ? { priority: Number(o.priority) } : {}) }, {
        lines: (lines) => io.stdout(lines.map((l) => logLineText(l) + '\n').join('')),
        note: (text) => io.stderr(`note: ${text}\n`),
      });
      const s = log.source;
      if (s.kind === 'none') {
        io.stderr(`error: ${s.why}\n`);
        return 1;
      }
      io.stderr(s.kind === 'stream' ? `following the daemon's records (filters: ${s.filters?.trim() || 'none'}, priority ${s.priority}); Ctrl-C stops\n` : `following ${s.path}; Ctrl-C stops\n`);
      await new Promise<void>((resolve) => {
        ctx.signals.once('SIGINT', resolve);
        ctx.signals.once('SIGTERM', resolve);
      });
      await log.stop();
      return 0;
    },
    { reconnect: true },
  );
}

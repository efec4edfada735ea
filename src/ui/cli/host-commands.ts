/**
 * The whole host from scripts (issue 12), commander subcommands beside the
 * verbs: `host` (the dashboard), `clients --all` (every client of the host),
 * `watch` (client events as NDJSON until Ctrl-C). With --json they print
 * JSON; without, a short table.
 */
import { Command, CommanderError } from 'commander';
import { type DiscoveryOptions, LocalHost } from '../../admin-client/index.js';
import { attachHost, detachHost } from './host-attach.js';
import { hostClientsJson, hostJson } from './host-json.js';
import type { CliIO } from './run-verb.js';
import { formatTable } from './table.js';
import { watchHost } from './watch-host.js';

export const HOST_COMMANDS = [
  '  host [--json]                                  every daemon on the host: state, pid, clients, workers, sockets',
  '  clients --all [--json]                         every client of every daemon, with its process',
  '  watch [--interval SECONDS] --json              client events from every daemon, one JSON line each, until Ctrl-C',
].join('\n');

export interface HostCommandOptions {
  json: boolean;
  io: CliIO;
  discovery: DiscoveryOptions | undefined;
  /** Resolves when `watch` should stop; SIGINT unless given. */
  stopped?: Promise<void>;
}

function parse(name: string, args: string[], io: CliIO, setup: (c: Command) => Command): Record<string, unknown> | number {
  const cmd = setup(new Command(`virt-admin-tui ${name}`))
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  return cmd.opts();
}

type Row = Record<string, unknown> & { servers?: Record<string, unknown>[] };

export async function runHostCommand(name: 'host' | 'clients' | 'watch', args: string[], o: HostCommandOptions): Promise<number> {
  const { io } = o;
  const host = new LocalHost();
  if (name === 'watch') {
    const opts = parse(name, args, io, (c) => c.description('client events from every daemon, as JSON lines, until Ctrl-C').option('--interval <seconds>', "polling interval for daemons without events (libvirt's)", '1'));
    if (typeof opts === 'number') return opts;
    const seconds = Number(opts.interval);
    if (!(seconds > 0)) {
      io.stderr(`error: --interval must be a positive number of seconds, not '${String(opts.interval)}'\n`);
      return 1;
    }
    if (!o.json) {
      io.stderr('error: watch prints JSON lines only: use watch --json\n');
      return 1;
    }
    const stopped = o.stopped ?? new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await watchHost(host, o.discovery, { intervalMs: seconds * 1000, write: io.stdout, stopped });
    return 0;
  }
  const opts = parse(name, args, io, (c) => (name === 'clients' ? c.description('every client of the host').option('--all', 'of every daemon on the host (required: one daemon is client-list)') : c.description('every daemon on the host')));
  if (typeof opts === 'number') return opts;
  if (name === 'clients' && !opts.all) {
    io.stderr("error: clients needs --all (one daemon's clients: client-list SERVER)\n");
    return 1;
  }
  const attached = await attachHost(host, o.discovery);
  try {
    if (name === 'host') {
      const doc = (await hostJson(host, attached)) as { daemons: Row[] };
      if (o.json) io.stdout(JSON.stringify(doc, null, 2) + '\n');
      else {
        const rows = doc.daemons.map((d) => {
          const servers = (d.servers ?? []).filter((s) => s.name !== 'admin');
          const sum = (k: string) => servers.reduce((n, s) => n + Number(s[k] ?? 0), 0);
          return [String(d.name), String(d.mode), d.running ? 'running' : 'down', String(d.pid ?? ''), d.servers ? `${sum('clients')}/${sum('maxClients')}` : '', d.servers ? String(sum('unauthClients')) : ''];
        });
        io.stdout(formatTable(['Daemon', 'Mode', 'State', 'Pid', 'Clients', 'Unauth'], rows, false) + '\n');
      }
    } else {
      const doc = (await hostClientsJson(host, attached)) as { clients: Row[] };
      if (o.json) io.stdout(JSON.stringify(doc, null, 2) + '\n');
      else {
        const rows = doc.clients.map((c) => [String(c.daemon), String(c.server), String(c.id), String(c.transport), String(c.unixUserName ?? c.saslUserName ?? ''), String(c.unixProcessId ?? ''), String(c.processName ?? '')]);
        io.stdout(formatTable(['Daemon', 'Server', 'Id', 'Transport', 'User', 'Pid', 'Process'], rows, false) + '\n');
      }
    }
    return 0;
  } finally {
    await detachHost(attached);
  }
}

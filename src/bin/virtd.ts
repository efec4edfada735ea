#!/usr/bin/env -S node --max-semi-space-size=1 --optimize-for-size --no-sparkplug
/**
 * virtd: libvirt's daemon family. `virtd <daemon> [options]`, with libvirtd's
 * options (daemons.md §3) plus --mode for running session mode as root.
 *
 * The #! line gives Node three options. A 1 MiB semi-space: V8 otherwise grows
 * its young generation to 32 MiB under a daemon's steady churn of short-lived
 * objects (one set per frame, per connection), which is most of a daemon's
 * resident memory and gives nothing back; scavenges of a small space stay
 * cheap because little survives them. And V8's optimize-for-size: after a
 * burst (20,000 connects and 100,000 calls in `npm run bench`) the old
 * generation holds up to 15 MB of dead objects and, with no allocation to
 * trigger a collection, keeps them while the daemon sits idle (RSS 57 -> 71 MB,
 * for good); with it V8 collects and shrinks when allocation stops (back to
 * 54 MB within seconds), at no cost to calls/s we could measure. And no
 * Sparkplug, V8's baseline compiler: it costs every Node process about 0.8 MiB
 * once it has run (its compiler's pages of the node binary and its code), the
 * difference between an idle daemon at 44.5 and at 43.0 MiB (`npm run bench --
 * daemons`, issue 16; Node's floor, run with the same options, 41.4 -> 40.6).
 * What a daemon runs often is optimized by TurboFan either way: admin round trips
 * and calls/s with 32 in flight did not move beyond run-to-run noise (median of
 * 6 interleaved rounds, 40.8 -> 35.8 us and 131,000 -> 128,000/s). A re-exec
 * and -d keep all three (process.execArgv).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { DAEMON_KINDS, SPECIFIED_DAEMONS } from '../daemons/kinds/index.js';
import type { Mode } from '../daemons/paths/daemon-paths.js';
import { runRemoteDaemon, StartupError } from '../daemons/remote-daemon/run-remote-daemon.js';
import { unitSet } from '../daemons/systemd/unit-set.js';
import { versionLine } from './program-version.js';

/** fd on which a daemonized child reports "ready" or its failure to the waiting parent. */
const STATUS_FD_ENV = 'VIRTD_STATUS_FD';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parseTimeout(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 2147483) fail('Invalid value for timeout');
  return Number(text);
}

function helpText(name: string, description: string): string {
  const lines = [
    '',
    'Usage:',
    `  ${name} [options]`,
    '',
    'Options:',
    '  -h | --help            Display program help',
    '  -v | --verbose         Verbose messages',
    '  -d | --daemon          Run as a daemon & write PID file',
    // Only libvirtd takes --listen; virtproxyd listens as its config says (daemons.md §3).
    ...(name === 'libvirtd' ? ['  -l | --listen          Listen for TCP/IP connections'] : []),
    '  -t | --timeout <secs>  Exit after timeout period',
    '  -f | --config <file>   Configuration file',
    '  -V | --version         Display version information',
    '  -p | --pid-file <file> Change name of PID file',
    '       --mode <mode>     system or session (default: system for root, session otherwise)',
    '',
    `${description}:`,
    '',
  ];
  return lines.join('\n') + '\n';
}

function usage(): string {
  return [
    'Usage: virtd <daemon> [options]     run one of libvirt\'s daemons (virtd <daemon> --help for its options)',
    '       virtd units [--out DIR] [--prefix /usr]   write every daemon\'s systemd units',
    '       virtd -V | --version         this program\'s version and the libvirt protocol it speaks',
    '       virtd -h | --help            this help',
    '',
    `Daemons: ${SPECIFIED_DAEMONS.join(', ')}`,
    '',
  ].join('\n');
}

/** -d: start a detached copy of ourselves and wait for it to say it is ready. */
async function detach(argv: string[]): Promise<void> {
  const { spawn } = await import('node:child_process');
  const args = argv.filter((a) => a !== '-d' && a !== '--daemon');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, [STATUS_FD_ENV]: '3' },
    cwd: '/',
  });
  let status = '';
  const pipe = child.stdio[3] as NodeJS.ReadableStream;
  pipe.setEncoding('utf8');
  pipe.on('data', (d: string) => (status += d));
  pipe.on('end', () => {
    if (status.startsWith('ok')) process.exit(0);
    fail(status.trim() || 'daemon failed to start');
  });
  child.unref();
}

/** `virtd units [--out DIR] [--prefix /usr]`: writes every daemon's systemd units. */
function writeUnits(argv: string[]): void {
  const cmd = new Command('virtd units')
    .option('--out <dir>', 'directory to write the units into', '.')
    .option('--prefix <dir>', 'installation prefix: units run <prefix>/bin/virtd', '/usr')
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const { out, prefix } = cmd.opts<{ out: string; prefix: string }>();
  mkdirSync(out, { recursive: true });
  for (const unit of unitSet(prefix)) writeFileSync(join(out, unit.name), unit.text);
  process.stdout.write(`wrote ${unitSet(prefix).length} units to ${out}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === 'units') {
    writeUnits(rest);
    return;
  }
  if (name === '-V' || name === '--version') {
    process.stdout.write(versionLine('virtd'));
    process.exit(0);
  }
  if (!name || name === '-h' || name === '--help') {
    // Asked for, help goes to stdout and succeeds; a missing daemon name is an error.
    (name ? process.stdout : process.stderr).write(usage());
    process.exit(name ? 0 : 1);
  }
  if (!SPECIFIED_DAEMONS.includes(name)) fail(`virtd: unknown daemon '${name}'; one of: ${SPECIFIED_DAEMONS.join(', ')}`);
  const kind = DAEMON_KINDS.get(name);
  if (!kind) fail(`virtd: ${name} is not available in this build yet; available: ${[...DAEMON_KINDS.keys()].join(', ')}`);

  const program = new Command(name)
    .helpOption(false)
    .option('-h, --help')
    .option('-v, --verbose')
    .option('-d, --daemon')
    .option('-t, --timeout <secs>')
    .option('-f, --config <file>')
    .option('-V, --version')
    .option('-p, --pid-file <file>')
    .addOption(new Option('--mode <mode>').choices(['system', 'session']))
    .allowExcessArguments(true) // refused below with libvirtd's own words
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  if (kind.name === 'libvirtd') program.option('-l, --listen');
  try {
    program.parse(rest, { from: 'user' });
  } catch (err) {
    const e = err as CommanderError;
    const what = e.code === 'commander.unknownOption' ? `unrecognized option '${/'([^']+)'/.exec(e.message)?.[1] ?? ''}'` : e.message.replace(/^error: /, '');
    process.stderr.write(`${name}: ${what}\n${helpText(name, kind.description)}`);
    process.exit(1);
  }
  if (program.args.length > 0) fail(`${name}: unexpected, non-option, command line arguments`);
  const o = program.opts<{ help?: boolean; verbose?: boolean; daemon?: boolean; timeout?: string; config?: string; version?: boolean; pidFile?: string; mode?: Mode; listen?: boolean }>();
  if (o.help) {
    process.stderr.write(helpText(name, kind.description));
    process.exit(0);
  }
  if (o.version) {
    process.stdout.write(versionLine('virtd', name));
    process.exit(0);
  }
  const mode: Mode = o.mode ?? (process.geteuid!() === 0 ? 'system' : 'session');
  if (!kind.modes.includes(mode)) fail(`${name}: ${mode} mode is not supported by this daemon (it runs in: ${kind.modes.join(', ')})`);
  const timeoutSec = o.timeout === undefined ? 0 : parseTimeout(o.timeout);
  if (o.daemon) {
    await detach([name, ...rest]);
    return;
  }
  const statusFd = process.env[STATUS_FD_ENV];
  delete process.env[STATUS_FD_ENV];
  const status = statusFd ? createWriteStream('', { fd: Number(statusFd) }) : undefined;
  process.title = name;
  runRemoteDaemon({
    kind,
    mode,
    configFile: o.config,
    pidFile: o.pidFile,
    timeoutSec,
    verbose: o.verbose === true,
    daemonized: status !== undefined,
    listen: o.listen === true,
    env: process.env,
    args: rest,
    ready: () => status?.end('ok\n'),
  }).catch((err: unknown) => {
    const message = err instanceof StartupError ? err.message : (err as Error).stack ?? String(err);
    status?.end(`${message}\n`);
    fail(`${name}: ${message}`, err instanceof StartupError ? err.exitCode : 1);
  });
}

main(process.argv.slice(2)).catch((err: Error) => fail(err.message));

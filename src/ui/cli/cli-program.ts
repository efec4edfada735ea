/**
 * virt-admin-tui's command line: global options, then either a virt-admin
 * verb with its arguments (scripts) or nothing (the interactive console).
 */
import { Command, CommanderError } from 'commander';
import { type DiscoveryOptions, type HostEntry, parseHostSpec, readHostsFile, type SshSettings } from '../../admin-client/index.js';
import { journalDirectory } from '../../tasks/index.js';
import { VERBS } from '../verbs/index.js';
import { runDebugCapture, type TaskContext } from './debug-capture-command.js';
import { runCertificates } from './certificates-command.js';
import { runDrift } from './drift-command.js';
import { HOST_COMMANDS, runHostCommand } from './host-commands.js';
import { runLogFollow } from './log-follow-command.js';
import { reachableHosts, restoreLeftovers } from './restore-leftovers.js';
import { type CliIO, messageOf, runVerb } from './run-verb.js';

export interface ConsoleLaunch {
  uri?: string;
  interval: number;
  readonly: boolean;
  demo: boolean;
  logFile?: string;
  /** Where debug captures keep their restore journals. */
  journalDir: string;
  /** --restore ran before the console: what it did, to show on screen. */
  restored?: { lines: string[]; ok: boolean };
  /** Where to look for the host's daemons (--system-socket-dir). */
  discovery?: DiscoveryOptions;
  /** How `NAME+ssh://` URIs are reached (--ssh-config). */
  ssh?: SshSettings;
  /** The fleet (--host, or the hosts file): the fleet view over these hosts. */
  hosts?: HostEntry[];
}

export interface ConsoleLauncher {
  (opts: ConsoleLaunch): Promise<number>;
}

/** The operator's tasks that are not virt-admin verbs, with their own options. */
const TASK_COMMANDS: Readonly<Record<string, { summary: string; run: (argv: string[], ctx: TaskContext) => Promise<number> }>> = {
  'debug-capture': { summary: 'debug logging of daemons for a while, into files, then their settings back', run: runDebugCapture },
  drift: { summary: 'running settings against the config file: what a restart would lose', run: runDrift },
  'log-follow': { summary: "a daemon's log as it happens (ours streamed, libvirt's file followed)", run: runLogFollow },
  certificates: { summary: 'TLS certificate, CA, CRL: expiry, chain; --reload and check what is served', run: runCertificates },
};

function taskList(): string {
  return Object.entries(TASK_COMMANDS)
    .map(([name, t]) => `  ${name.padEnd(46)} ${t.summary}`)
    .join('\n');
}

function verbList(): string {
  return VERBS.map((v) => `  ${[v.name, ...v.aliases].join(', ').padEnd(46)} ${v.summary}`).join('\n');
}

/** `version` is the program's own version line, printed by -V/--version (virt-admin's `version` verb asks the daemon). */
/**
 * The fleet's hosts: each --host, or else the hosts file's lines when no single daemon was
 * named (-c, --demo). A bad line stops the console with the file, line and word.
 */
function fleetHosts(given: string[], single: boolean, env: NodeJS.ProcessEnv): HostEntry[] | undefined {
  if (given.length) return given.map((spec) => parseHostSpec(spec));
  if (single) return undefined;
  const entries = readHostsFile(env);
  if (entries && entries.length === 0) return undefined; // an empty file: the local host alone, as without one
  return entries;
}

export async function runCli(argv: string[], io: CliIO, launchConsole: ConsoleLauncher, version?: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // --json may follow the verb's own arguments (virt-admin-tui -c URI client-list S --json).
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const program = new Command('virt-admin-tui')
    .description('Live console and command line for the admin socket of any libvirt daemon')
    .option('-c, --connect <uri>', 'admin URI, e.g. libvirtd:///system, virtqemud:///session, ...?socket=PATH, or on another host libvirtd+ssh://root@host/system')
    .option('--ssh-config <file>', 'ssh_config for NAME+ssh:// URIs, in place of ~/.ssh/config (default: $VIRT_ADMIN_TUI_SSH_CONFIG)')
    .option('-q, --quiet', 'quiet mode: no table headers or labels')
    .option('--json', 'machine-readable output (verbs only)')
    .option('--interval <seconds>', 'console: refresh interval', '1')
    .option('--readonly', 'console: disable every action that changes the daemon')
    .option('--demo', 'console: start demo daemons in a temporary directory and attach to them')
    .option('--log-file <path>', "console: write the console's own diagnostics there (JSON lines)")
    .option('--host <spec>', 'console: a host of the fleet view, [user@]host[:port] [system|session] (repeat for more; default: the hosts file, $XDG_CONFIG_HOME/virt-admin-tui/hosts, when -c is not given)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--restore', 'first put back the daemons of debug captures whose console died')
    .option('--system-socket-dir <dir>', "where system daemons' sockets are, for the host dashboard and host/clients/watch (default /run/libvirt; a unix_sock_dir)")
    .argument('[verb]', 'a virt-admin verb; none opens the console')
    .argument('[args...]', "the verb's arguments")
    .passThroughOptions()
    .allowUnknownOption()
    .helpOption('-h, --help', 'display help')
    .addHelpText('after', `\nVerbs (virt-admin's, with its aliases):\n${verbList()}\n\nThe whole host (every daemon found):\n${HOST_COMMANDS}\n\nTasks (COMMAND --help for their options):\n${taskList()}\n`)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  if (version) program.version(version.trimEnd(), '-V, --version', "this program's version and the libvirt protocol it speaks");
  try {
    program.parse(rest, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    throw err;
  }
  const o = program.opts<{ connect?: string; host: string[]; sshConfig?: string; quiet?: boolean; interval: string; readonly?: boolean; demo?: boolean; logFile?: string; restore?: boolean; systemSocketDir?: string }>();
  const sshConfig = o.sshConfig ?? env.VIRT_ADMIN_TUI_SSH_CONFIG;
  const ssh = sshConfig ? { configFile: sshConfig } : {};
  const [verb, ...args] = program.args;
  const discovery: DiscoveryOptions | undefined = o.systemSocketDir ? { systemDir: o.systemSocketDir } : undefined;
  const journalDir = journalDirectory(process.env);
  const restored = o.restore ? await restoreLeftovers(journalDir, reachableHosts(ssh)) : undefined;
  // Before a command its report goes to stderr; the console shows it on screen instead.
  if (restored && verb) {
    if (restored.lines.length) io.stderr(restored.lines.join('\n') + '\n');
    if (!restored.ok) return 1;
  }
  if (verb === 'host' || verb === 'clients' || verb === 'watch') return runHostCommand(verb, args, { json, io, discovery });
  const task = verb ? TASK_COMMANDS[verb] : undefined;
  if (task) return task.run(args, { io, uri: o.connect, journalDir, signals: process, json, discovery });
  if (!verb) {
    const interval = Number(o.interval);
    if (!(interval > 0)) {
      io.stderr(`error: --interval must be a positive number of seconds, not '${o.interval}'\n`);
      return 1;
    }
    if (o.host.length && (o.connect !== undefined || o.demo)) {
      io.stderr(`error: --host opens the fleet view; ${o.demo ? '--demo' : '-c'} names a single daemon: give one or the other\n`);
      return 1;
    }
    try {
      const hosts = fleetHosts(o.host, o.connect !== undefined || o.demo === true, env);
      return await launchConsole({ uri: o.connect, interval, readonly: o.readonly === true, demo: o.demo === true, logFile: o.logFile, journalDir, restored, ssh, discovery, hosts });
    } catch (err) {
      io.stderr(`error: ${messageOf(err)}\n`);
      return 1;
    }
  }
  return runVerb(verb, args, { uri: o.connect, quiet: o.quiet === true, json, io, ssh });
}

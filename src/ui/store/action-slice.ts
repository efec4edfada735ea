/**
 * What the operator asks of the daemon, from keys and the `:` palette. Every
 * change goes through a virt-admin verb (runConsoleVerb): a prompt's
 * `max=20` becomes `--max-workers 20`, read by the same checks as the command
 * line, so no prompt can send what virt-admin would refuse.
 */
import type { StateCreator } from 'zustand/vanilla';
import {
  clientDisconnect,
  daemonLogFilters,
  daemonLogOutputs,
  daemonTimeout,
  findVerb,
  parseVerbArgs,
  type RawArgs,
  serverClientsSet,
  serverThreadpoolSet,
  serverUpdateTls,
  ShellSyntaxError,
  splitCommands,
  type Verb,
  VerbArgsError,
} from '../verbs/index.js';
import { clientKey } from './console-state.js';
import type { Console } from './console-store.js';
import { runConsoleVerb } from './console-verb.js';
import { whoWords } from './client-words.js';
import type { TargetRegistry } from './host-slice.js';
import { reexecHelper } from './helper-reexec-action.js';
import { orderedClients, orderedHostClients } from './view-slice.js';

export interface ActionSlice {
  readonly: boolean;
  /** The operator asked to leave (q, or :quit); the app exits. */
  quitRequested: boolean;
  quit(): void;
  askDisconnect(): void;
  /** virtlogd or virtlockd under the dashboard's cursor: re-exec it (SIGUSR1) after a confirmation saying what depends on it. */
  askReexec(): Promise<void>;
  promptFilter(): void;
  promptThreadpool(): void;
  promptClientLimits(): void;
  promptTimeout(): Promise<void>;
  promptLogFilters(): void;
  promptLogOutputs(): void;
  promptPalette(): void;
  reloadTls(): Promise<void>;
  /** Runs a palette line: virt-admin's verbs, `help`, `quit`; several separated by ';'. */
  runPaletteLine(line: string): Promise<void>;
}

/**
 * "min=5 max=20 prio=5" -> the verb's options by the prompt's short names; the values stay
 * text for the verb's own checks. undefined when a word is not KEY=VALUE with a known key.
 */
export function parseAssignments(text: string, names: Readonly<Record<string, string>>): RawArgs | undefined {
  const out: Record<string, string> = {};
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    const key = word.slice(0, eq);
    if (eq <= 0 || !(key in names)) return undefined;
    out[names[key]!] = word.slice(eq + 1);
  }
  return out;
}

const WORKER_NAMES = { min: 'min-workers', max: 'max-workers', prio: 'priority-workers' } as const;
const LIMIT_NAMES = { max: 'max-clients', unauth: 'max-unauth-clients' } as const;

export const createActionSlice =
  (reg: TargetRegistry, readonly: boolean): StateCreator<Console, [], [], ActionSlice> =>
  (set, get) => {
    const selectedAdmin = () => reg.sessions.get(get().selectedKey)!.admin;
    const ctx = (admin = selectedAdmin()) => ({ admin, readonly, say: get().say, show: get().openText });
    /** Runs a verb, then reads back what it changed. */
    const run = async (verb: Verb, raw: RawArgs, label?: string) => {
      const done = await runConsoleVerb(ctx(), verb, raw, label);
      if (done && verb.changesDaemon(raw)) {
        await get().refresh();
        void get().refreshDrift({ facts: verb.name === 'daemon-timeout' });
      }
    };
    const selectedServer = () => get().target.servers[get().serverCursor];

    return {
      readonly,
      quitRequested: false,
      quit: () => set({ quitRequested: true }),
      askDisconnect() {
        const s = get();
        if (s.view === 'host-clients') {
          const r = orderedHostClients(s)[s.hostCursor];
          const session = r && reg.sessions.get(r.targetKey);
          if (!r || !session) return s.note('no client is selected: nothing to disconnect');
          const label = `disconnect client ${r.c.id} of ${r.daemon}/${r.c.server}`;
          s.confirm(`Disconnect client ${r.c.id} of ${r.daemon} (server ${r.c.server}; ${whoWords(r.c, r.info, r.process, r.unauthenticated)})?`, async () => {
            const done = await runConsoleVerb(ctx(session.admin), clientDisconnect, { server: r.c.server, client: String(r.c.id) }, label);
            if (done) await get().refresh();
          });
          return;
        }
        const c = orderedClients(s)[s.clientCursor];
        if (!c) {
          s.note('no client is selected: nothing to disconnect');
          return;
        }
        const info = s.target.identities.get(c.id);
        const key = clientKey(c);
        const who = whoWords(c, info, s.target.processes.get(key), s.target.unauthKnown ? s.target.unauthenticated.has(key) : undefined);
        const server = s.target.clientServer;
        s.confirm(`Disconnect client ${c.id} (${who})?`, () => run(clientDisconnect, { server, client: String(c.id) }, `disconnect client ${c.id}`));
      },
      askReexec: () => reexecHelper(reg, get),
      promptFilter() {
        if (get().view === 'host-clients') get().openInput('filter all clients (words, or daemon:NAME user:NAME pid:N proc:WORD ro:yes age:>1h)', get().hostFilter, async (v) => get().setFilter(v));
        else get().openInput('filter clients (words, or ro:yes user:NAME pid:N uid:N)', get().filter, async (v) => get().setFilter(v));
      },
      promptThreadpool() {
        const server = selectedServer();
        const tp = server?.threadpool;
        if (!server || !tp) return;
        get().openInput(`worker limits of ${server.name}`, `min=${tp.minWorkers} max=${tp.maxWorkers} prio=${tp.prioWorkers}`, async (v) => {
          const raw = parseAssignments(v, WORKER_NAMES);
          if (!raw) return get().note('worker limits: write e.g. "min=5 max=20 prio=5"');
          await run(serverThreadpoolSet, { server: server.name, ...raw }, `set worker limits of ${server.name}`);
        });
      },
      promptClientLimits() {
        const server = selectedServer();
        const l = server?.limits;
        if (!server || !l) return;
        get().openInput(`client limits of ${server.name}`, `max=${l.nclientsMax} unauth=${l.nclientsUnauthMax}`, async (v) => {
          const raw = parseAssignments(v, LIMIT_NAMES);
          if (!raw) return get().note('client limits: write e.g. "max=5000 unauth=20"');
          await run(serverClientsSet, { server: server.name, ...raw }, `set client limits of ${server.name}`);
        });
      },
      async promptTimeout() {
        // Our daemons report the timeout in force; libvirt has no call that reads it.
        const reported = await selectedAdmin().daemonProcess().catch(() => undefined);
        const known = reported?.timeoutSec;
        const label = known === undefined ? 'auto-shutdown timeout in seconds (0 = never; the daemon does not report the current one)' : 'auto-shutdown timeout in seconds (0 = never)';
        get().openInput(label, known === undefined ? '' : String(known), async (v) => {
          await run(daemonTimeout, { timeout: v }, `set daemon timeout to ${v} s`);
        });
      },
      promptLogFilters: () =>
        get().openInput('log filters', (get().target.logFilters ?? '').trim(), (v) => run(daemonLogFilters, { filters: v }, 'set log filters')),
      promptLogOutputs: () => get().openInput('log outputs', get().target.logOutputs, (v) => run(daemonLogOutputs, { outputs: v }, 'set log outputs')),
      promptPalette: () => get().openInput(':', '', (line) => get().runPaletteLine(line), { palette: true }),
      async reloadTls() {
        // With a TLS listener to check, the reload is proved by a handshake (the certificates view shows it).
        if (await get().reloadTlsChecked()) return;
        const server = selectedServer()?.name ?? get().target.clientServer;
        await run(serverUpdateTls, { server }, `reload TLS files of ${server}`);
      },
      async runPaletteLine(line) {
        let commands: string[][];
        try {
          commands = splitCommands(line);
        } catch (err) {
          if (err instanceof ShellSyntaxError) return get().note(err.message);
          throw err;
        }
        for (const [name, ...words] of commands) {
          if (name === 'quit' || name === 'exit') return get().quit();
          const verb = findVerb(name!);
          if (!verb) return get().note(`unknown command: '${name}'`);
          let parsed;
          try {
            parsed = parseVerbArgs(verb, words);
          } catch (err) {
            if (err instanceof VerbArgsError) return get().note(err.message);
            throw err;
          }
          await run(parsed.help ? findVerb('help')! : verb, parsed.args);
        }
      },
    };
  };

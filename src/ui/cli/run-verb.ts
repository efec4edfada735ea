/**
 * Runs one verb the way virt-admin does (admin-api.md §6.1, and its shell's
 * order): parse the command line, connect (help needs no daemon unless -c
 * names one), read and check the options, run, print; on failure the verb's
 * own error line then libvirt's message on stderr; a blank line on stdout
 * after every command that got past parsing (unless -q); exit 0 or 1. With
 * --json: the result as JSON on stdout, or `{"error": {...}}` on stderr.
 */
import { type AdminClient, effectiveUri, HostPool, type SshSettings } from '../../admin-client/index.js';
import { VirError } from '../../rpc/index.js';
import { findVerb, OptionError, parseVerbArgs, prepareVerb, type RawArgs, type Verb, VerbArgsError } from '../verbs/index.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface RunVerbOptions {
  uri: string | undefined;
  quiet: boolean;
  json: boolean;
  io: CliIO;
  /** How `NAME+ssh://` URIs are reached (--ssh-config). */
  ssh?: SshSettings;
}

function errorJson(message: string, err?: unknown, context?: string): string {
  const e = err instanceof VirError ? { code: err.code, domain: err.domain } : {};
  return JSON.stringify({ error: { message, ...e, ...(context ? { context } : {}) } }) + '\n';
}

/** Returns the exit status. */
export async function runVerb(name: string, tokens: string[], o: RunVerbOptions): Promise<number> {
  const { io } = o;
  const fail = (lines: string[], err?: unknown, blank = true): number => {
    if (o.json) io.stderr(errorJson(lines[lines.length - 1]!, err, lines.length > 1 ? lines[0] : undefined));
    else {
      if (blank && !o.quiet) io.stdout('\n');
      io.stderr(lines.map((l) => `error: ${l}\n`).join(''));
    }
    return 1;
  };
  const named = findVerb(name);
  if (!named) return fail([`unknown command: '${name}'`], undefined, false);
  let verb: Verb = named;
  let raw: RawArgs;
  try {
    const parsed = parseVerbArgs(named, tokens);
    raw = parsed.args;
    if (parsed.help) verb = findVerb('help')!;
  } catch (err) {
    if (err instanceof VerbArgsError) return fail([err.message], undefined, false);
    throw err;
  }

  let admin: AdminClient | undefined;
  // One attempt, no reconnect: a script wants the answer or the reason now.
  const hosts = new HostPool({ ssh: o.ssh });
  // virt-admin connects before any command when -c names a daemon, otherwise when a command needs one.
  if (!verb.offline || o.uri !== undefined) {
    try {
      const uri = effectiveUri(o.uri);
      admin = await hosts.hostFor(uri).connect(uri);
    } catch (err) {
      await hosts.close();
      return fail(['Failed to connect to the admin server', messageOf(err)], err, false);
    }
  }
  let prepared: unknown;
  try {
    prepared = prepareVerb(verb, raw);
    const out = await verb.run({ admin, quiet: o.quiet, json: o.json }, prepared);
    if (o.json) io.stdout(JSON.stringify(out.json, null, 2) + '\n');
    else io.stdout(out.text + (o.quiet || out.noBlankLine ? '' : '\n'));
    return 0;
  } catch (err) {
    if (err instanceof OptionError) return fail(err.lines);
    if (!(err instanceof VirError)) throw err;
    // A failed server or client lookup prints only libvirt's line (admin-api.md §6.3).
    const lookupFailed = err.code === 95 || err.code === 96;
    const first = !lookupFailed && verb.failureLine ? [verb.failureLine(prepared, admin?.uri ?? '')] : [];
    return fail([...first, messageOf(err)], err);
  } finally {
    await admin?.close();
    await hosts.close();
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

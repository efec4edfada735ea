/**
 * Runs one verb the way virt-admin does (admin-api.md §6.1): connect, run,
 * print; on failure the verb's own error line then libvirt's message on
 * stderr; a blank line on stdout after every command that got past argument
 * parsing (unless -q); exit 0 or 1. With --json: the result as JSON on
 * stdout, or `{"error": {...}}` on stderr.
 */
import { AdminClient } from '../../admin-client/index.js';
import { VirError } from '../../rpc/index.js';
import { findVerb, parseVerbArgs, VerbArgsError, type VerbArgs } from '../verbs/index.js';

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface RunVerbOptions {
  uri: string | undefined;
  quiet: boolean;
  json: boolean;
  io: CliIO;
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
  const verb = findVerb(name);
  if (!verb) return fail([`unknown command: '${name}'`], undefined, false);
  let args: VerbArgs;
  try {
    args = parseVerbArgs(verb, tokens);
  } catch (err) {
    if (err instanceof VerbArgsError) return fail([err.message], undefined, err.duringRun);
    throw err;
  }
  const usage = verb.check?.(args);
  if (usage) return fail([usage]);

  let admin: AdminClient;
  try {
    admin = await AdminClient.connect(o.uri);
  } catch (err) {
    return fail(['Failed to connect to the admin server', messageOf(err)], err, false);
  }
  try {
    const out = await verb.run({ admin, quiet: o.quiet }, args);
    if (o.json) io.stdout(JSON.stringify(out.json, null, 2) + '\n');
    else io.stdout(out.text + (o.quiet || out.noBlankLine ? '' : '\n'));
    return 0;
  } catch (err) {
    if (!(err instanceof VirError)) throw err;
    // A failed server or client lookup prints only libvirt's line (admin-api.md §6.3).
    const lookupFailed = err.code === 95 || err.code === 96;
    const first = !lookupFailed && verb.failureLine ? [verb.failureLine(args, admin.uri)] : [];
    return fail([...first, messageOf(err)], err);
  } finally {
    await admin.close();
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

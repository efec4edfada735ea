/**
 * A virt-admin verb: its names, help, options, the checks virt-admin makes
 * before asking the daemon (`prepare`, in virt-admin's order, reading every
 * value through OptionValues), its command-specific error line, and what it
 * does with an admin client. Shared by the command line, the console's `:`
 * palette and the console's prompts.
 */
import type { AdminClient } from '../../admin-client/index.js';
import { OptionValues, type RawArgs } from './option-values.js';

/**
 * virt-admin's option types (vsh's DATA, STRING and INT): they decide the help text
 * and the "requires <x>" / "requires --x" wording.
 */
export type OptionType = 'data' | 'string' | 'int';

export interface OptionSpec {
  name: string;
  type: OptionType;
  required?: boolean;
  /** Only as `--name VALUE` (daemon-timeout's --timeout); every other option may also be given by position. */
  optionOnly?: boolean;
  /** Accepts an empty value (an empty filter set clears the filters). */
  emptyOk?: boolean;
  help: string;
}

export interface VerbContext {
  /** Absent only for verbs that need no daemon (help). */
  admin: AdminClient | undefined;
  quiet: boolean;
  /** The caller prints JSON: a verb may fetch more than its plain text shows (client-list's identities). */
  json?: boolean;
}

export interface VerbOutput {
  /** What virt-admin prints on stdout (without its trailing blank line). */
  text: string;
  /** The same result for --json. */
  json: unknown;
  /** virt-admin follows output with a blank line, except after client-disconnect (golden adm_disconnect). */
  noBlankLine?: boolean;
}

/** virt-admin's help groups, in its order. */
export type VerbGroup = 'virt-admin' | 'monitor' | 'management';

export interface Verb<P = any> {
  name: string;
  aliases: string[];
  group: VerbGroup;
  /** The one-line help (NAME) and the DESCRIPTION of `help VERB`. */
  summary: string;
  description: string;
  options: OptionSpec[];
  /** Whether running it with these options changes the daemon (read-only consoles refuse it). */
  changesDaemon(raw: RawArgs): boolean;
  /** Runs without a daemon (help). */
  offline?: boolean;
  /** Reads and checks the options as virt-admin does before its first call; throws OptionError. */
  prepare(o: OptionValues): P;
  /** The command-specific first error line printed before the daemon's error. */
  failureLine?(p: P, uri: string): string;
  run(ctx: VerbContext, p: P): Promise<VerbOutput>;
}

/** The admin client of a verb that needs one. */
export function adminOf(ctx: VerbContext): AdminClient {
  if (!ctx.admin) throw new Error('this verb needs a connection to a daemon');
  return ctx.admin;
}

/** Reads the typed options the verb's way; throws OptionError with virt-admin's lines. */
export function prepareVerb<P>(verb: Verb<P>, raw: RawArgs): P {
  return verb.prepare(new OptionValues(raw, verb.options.filter((o) => o.emptyOk).map((o) => o.name)));
}

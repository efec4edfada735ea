/**
 * A virt-admin verb: its names, arguments and options, its command-specific
 * error line, and what it does with an admin client. Shared by the command
 * line and the console's `:` palette.
 */
import type { AdminClient } from '../../admin-client/index.js';

export type ArgKind = 'string' | 'uint';

export interface ArgSpec {
  /** Option name without dashes; positional arguments may also be given as --name VALUE. */
  name: string;
  kind: ArgKind;
  positional?: boolean;
  required?: boolean;
}

export type VerbArgs = Record<string, string | number | undefined>;

export interface VerbContext {
  admin: AdminClient;
  quiet: boolean;
}

export interface VerbOutput {
  /** What virt-admin prints on stdout (without its trailing blank line). */
  text: string;
  /** The same result for --json. */
  json: unknown;
  /** virt-admin follows output with a blank line, except after client-disconnect (golden adm_disconnect). */
  noBlankLine?: boolean;
}

export interface Verb {
  name: string;
  aliases: string[];
  summary: string;
  args: ArgSpec[];
  /** Whether the verb changes the daemon (refused in read-only consoles). */
  changesDaemon: boolean;
  /** Checks virt-admin makes before any call; returns the error text. */
  check?(args: VerbArgs): string | undefined;
  /** The command-specific first error line printed before the daemon's error. */
  failureLine?(args: VerbArgs, uri: string): string;
  run(ctx: VerbContext, args: VerbArgs): Promise<VerbOutput>;
}

/** A failure the verb reports before asking the daemon (virt-admin's own checks). */
export class VerbUsageError extends Error {}

/**
 * Running a virt-admin verb from the console (the palette, and every prompt,
 * which fills a verb's options): the same option checks as the command line
 * (OptionValues, virt-admin's messages), the console's own checks of log
 * syntax, the read-only refusal, then the daemon's answer on the status line.
 * Whatever is refused here was never sent.
 */
import { type AdminClient } from '../../admin-client/index.js';
import { VirError } from '../../rpc/index.js';
import { OptionError, prepareVerb, type RawArgs, type Verb } from '../verbs/index.js';
import type { Tone } from './console-state.js';
import { checkLogFilters, checkLogOutputs } from './log-syntax.js';

export interface ConsoleVerbContext {
  admin: AdminClient;
  readonly: boolean;
  say(text: string, tone?: Tone): void;
  /** Shows a long answer (help pages) on its own page. */
  show(title: string, text: string): void;
}

/** The console's checks before a verb is sent; the daemon remains the judge of what passes. */
function consoleCheck(verb: Verb, raw: RawArgs): string | undefined {
  if (verb.name === 'daemon-log-filters' && raw.filters !== undefined) return checkLogFilters(raw.filters);
  if (verb.name === 'daemon-log-outputs' && raw.outputs !== undefined) return checkLogOutputs(raw.outputs);
  return undefined;
}

/**
 * Runs `verb`. A prompt's action passes its `label` and is answered "<label>: done"; a palette
 * command shows the verb's own output. Resolves true when the daemon did it.
 */
export async function runConsoleVerb(ctx: ConsoleVerbContext, verb: Verb, raw: RawArgs, action?: string): Promise<boolean> {
  const label = action ?? verb.name;
  if (verb.changesDaemon(raw) && ctx.readonly) {
    ctx.say(`${label}: refused, the console is read-only (--readonly)`, 'error');
    return false;
  }
  const bad = consoleCheck(verb, raw);
  if (bad) {
    ctx.say(`${label}: not sent: ${bad}`, 'error');
    return false;
  }
  let prepared: unknown;
  try {
    prepared = prepareVerb(verb, raw);
  } catch (err) {
    if (!(err instanceof OptionError)) throw err;
    ctx.say(`${label}: not sent: ${err.lines.join('; ')}`, 'error');
    return false;
  }
  try {
    const out = await verb.run({ admin: ctx.admin, quiet: false }, prepared);
    if (verb.offline) ctx.show(label, out.text);
    else ctx.say((action === undefined && out.text.trimEnd()) || `${label}: done`);
    return true;
  } catch (err) {
    if (err instanceof OptionError) ctx.say(`${label}: ${err.lines.join('; ')}`, 'error');
    else {
      // A failed server or client lookup is its own explanation, as on the command line.
      const lookupFailed = err instanceof VirError && (err.code === 95 || err.code === 96);
      const first = !lookupFailed && err instanceof VirError && verb.failureLine ? `${verb.failureLine(prepared, ctx.admin.uri)}: ` : '';
      ctx.say(`${label}: ${first}${(err as Error).message}`, 'error');
    }
    return false;
  }
}

/**
 * virt-admin's command parsing for one verb (its shell's rules, observed on
 * 9.0): `--name value`, `--name=value`, options given by position in the
 * order the verb lists them (all but option-only ones), `--` ending options,
 * `--help` turning any command into `help <command>`, and virt-admin's exact
 * error texts. Values stay text here; OptionValues reads them later, while the
 * verb runs, as virt-admin does (so those errors get its blank stdout line).
 */
import type { RawArgs } from './option-values.js';
import type { OptionSpec, Verb } from './verb.js';

export class VerbArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerbArgsError';
  }
}

export interface ParsedCommand {
  args: RawArgs;
  /** `--help` was among the options: show the verb's help instead of running it. */
  help: boolean;
}

function requiredMessage(verb: Verb, o: OptionSpec): string {
  return o.type === 'data' ? `command '${verb.name}' requires <${o.name}> option` : `command '${verb.name}' requires --${o.name} option`;
}

export function parseVerbArgs(verb: Verb, tokens: readonly string[]): ParsedCommand {
  const args: Record<string, string> = {};
  const seen = new Set<string>();
  const byPosition = verb.options.filter((o) => !o.optionOnly);
  // The help verb ignores spurious options and data (virt-admin's special case).
  const lenient = verb.name === 'help';
  let help = false;
  let dataOnly = false;
  const take = (o: OptionSpec, value: string) => {
    seen.add(o.name);
    args[o.name] = value;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (!dataOnly && /^--[A-Za-z0-9]/.test(tok)) {
      const eq = tok.indexOf('=');
      const name = eq === -1 ? tok.slice(2) : tok.slice(2, eq);
      if (name === 'help') {
        if (eq !== -1) throw new VerbArgsError("invalid '=' after option --help");
        help = true;
        continue;
      }
      const o = verb.options.find((x) => x.name === name);
      if (!o) {
        if (lenient) continue;
        throw new VerbArgsError(`command '${verb.name}' doesn't support option --${name}`);
      }
      if (seen.has(o.name)) throw new VerbArgsError(`option --${name} already seen`);
      let value: string;
      if (eq !== -1) value = tok.slice(eq + 1);
      else {
        if (i + 1 >= tokens.length) throw new VerbArgsError(`expected syntax: --${name} <${o.type === 'int' ? 'number' : 'string'}>`);
        value = tokens[++i]!;
      }
      take(o, value);
      continue;
    }
    if (!dataOnly && tok === '--') {
      dataOnly = true;
      continue;
    }
    const o = byPosition.find((x) => !seen.has(x.name));
    if (!o) {
      if (lenient) continue;
      throw new VerbArgsError(`unexpected data '${tok}'`);
    }
    take(o, tok);
  }
  if (help) return { args: { command: verb.name }, help };
  for (const o of verb.options) if (o.required && args[o.name] === undefined) throw new VerbArgsError(requiredMessage(verb, o));
  return { args, help };
}

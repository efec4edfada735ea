/**
 * virt-admin's argument parsing for one verb (its "vsh" rules): `--name value`,
 * `--name=value`, positionals in order (which may also be given by name), with
 * virt-admin's exact error texts.
 */
import type { Verb, VerbArgs } from './verb.js';

export class VerbArgsError extends Error {
  /** virt-admin checks numbers while the command runs, so those errors get its blank stdout line. */
  constructor(
    message: string,
    readonly duringRun = false,
  ) {
    super(message);
  }
}

function numeric(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 4294967295) {
    throw new VerbArgsError(`Numeric value '${text}' for <${name}> option is malformed or out of range`, true);
  }
  return Number(text);
}

export function parseVerbArgs(verb: Verb, tokens: string[]): VerbArgs {
  const args: VerbArgs = {};
  const positionals = verb.args.filter((a) => a.positional);
  let nextPositional = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    let name: string | undefined;
    let value: string | undefined;
    if (tok.startsWith('--') && tok.length > 2) {
      const eq = tok.indexOf('=');
      name = eq === -1 ? tok.slice(2) : tok.slice(2, eq);
      const spec = verb.args.find((a) => a.name === name);
      if (!spec) throw new VerbArgsError(`command '${verb.name}' doesn't support option --${name}`);
      if (eq !== -1) value = tok.slice(eq + 1);
      else {
        if (i + 1 >= tokens.length) throw new VerbArgsError(`expected syntax: --${name} <${spec.kind === 'uint' ? 'number' : 'string'}>`);
        value = tokens[++i];
      }
    } else {
      while (nextPositional < positionals.length && args[positionals[nextPositional]!.name] !== undefined) nextPositional++;
      const spec = positionals[nextPositional++];
      if (!spec) throw new VerbArgsError(`unexpected data '${tok}'`);
      name = spec.name;
      value = tok;
    }
    const spec = verb.args.find((a) => a.name === name)!;
    args[name] = spec.kind === 'uint' ? numeric(name, value!) : value;
  }
  for (const a of verb.args) {
    if (a.required && args[a.name] === undefined) throw new VerbArgsError(`command '${verb.name}' requires <${a.name}> option`);
  }
  return args;
}

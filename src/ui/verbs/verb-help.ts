/**
 * virt-admin's help texts, drawn from the verb table (observed on 9.0): a
 * verb's NAME / SYNOPSIS / DESCRIPTION / OPTIONS page, one group's list, and
 * the grouped list of every verb.
 */
import type { OptionSpec, Verb, VerbGroup } from './verb.js';

export const GROUP_TITLES: Readonly<Record<VerbGroup, string>> = {
  'virt-admin': 'Virt-admin itself',
  monitor: 'Monitoring commands',
  management: 'Management commands',
};

function synopsisPart(o: OptionSpec): string {
  if (o.type === 'string') return `[--${o.name} <string>]`;
  if (o.type === 'int') return o.required ? `<${o.name}>` : `[--${o.name} <number>]`;
  return o.required ? `<${o.name}>` : `[<${o.name}>]`;
}

function optionLabel(o: OptionSpec): string {
  if (o.type === 'string') return `--${o.name} <string>`;
  if (o.type === 'int') return o.required ? `[--${o.name}] <number>` : `--${o.name} <number>`;
  return `[--${o.name}] <string>`;
}

export function verbHelp(verb: Verb): string {
  let out = `  NAME\n    ${verb.name} - ${verb.summary}\n`;
  out += `\n  SYNOPSIS\n    ${[verb.name, ...verb.options.map(synopsisPart)].join(' ')}\n`;
  if (verb.description) out += `\n  DESCRIPTION\n    ${verb.description}\n`;
  if (verb.options.length) {
    out += '\n  OPTIONS\n';
    for (const o of verb.options) out += `    ${optionLabel(o).padEnd(15)}  ${o.help}\n`;
  }
  return out + '\n';
}

export function groupHelp(group: VerbGroup, verbs: readonly Verb[]): string {
  const lines = verbs.filter((v) => v.group === group).map((v) => `    ${v.name.padEnd(30)} ${v.summary}\n`);
  return ` ${GROUP_TITLES[group]} (help keyword '${group}'):\n${lines.join('')}`;
}

export function groupedHelp(verbs: readonly Verb[]): string {
  const groups = Object.keys(GROUP_TITLES) as VerbGroup[];
  return 'Grouped commands:\n\n' + groups.map((g) => groupHelp(g, verbs) + '\n').join('');
}

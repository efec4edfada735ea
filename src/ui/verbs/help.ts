import { OptionError } from './option-values.js';
import { groupedHelp, groupHelp, GROUP_TITLES, verbHelp } from './verb-help.js';
import type { Verb, VerbGroup } from './verb.js';

/** virt-admin's `help [COMMAND|GROUP]`; `VERB --help` becomes `help VERB`. */
export function helpVerb(verbs: () => readonly Verb[], find: (name: string) => Verb | undefined): Verb<{ command: string | undefined }> {
  return {
    name: 'help',
    aliases: [],
    group: 'virt-admin',
    summary: 'print help',
    description: 'Prints global help, command specific help, or help for a\n    group of related commands',
    options: [{ name: 'command', type: 'string', emptyOk: true, help: 'Prints global help, command specific help, or help for a group of related commands' }],
    offline: true,
    changesDaemon: () => false,
    prepare: (o) => ({ command: o.has('command') && o.string('command') !== '' ? o.string('command') : undefined }),
    async run(_ctx, p) {
      if (p.command === undefined) return { text: groupedHelp(verbs()), json: { help: groupedHelp(verbs()) } };
      const verb = find(p.command);
      if (verb) return { text: verbHelp(verb), json: { help: verbHelp(verb) } };
      const group = (Object.keys(GROUP_TITLES) as VerbGroup[]).find((g) => g === p.command || GROUP_TITLES[g] === p.command);
      if (group) return { text: groupHelp(group, verbs()), json: { help: groupHelp(group, verbs()) } };
      throw new OptionError([`command or command group '${p.command}' doesn't exist`]);
    },
  };
}

/**
 * Tab in the `:` palette: completes the word before the cursor with a verb
 * name, an option of the verb being typed, or a server name where the verb
 * takes one (virt-admin's shell completes the same things).
 */
import { findVerb, splitCommands, VERBS } from '../verbs/index.js';

export interface Completion {
  /** The new text before the cursor, when something could be completed. */
  text?: string;
  /** Every candidate, when more than one fits. */
  choices: string[];
}

const PALETTE_WORDS = ['quit', 'exit'];

function commonPrefix(words: string[]): string {
  return words.reduce((p, w) => {
    let i = 0;
    while (i < p.length && p[i] === w[i]) i++;
    return p.slice(0, i);
  });
}

function candidatesFor(words: string[], partial: string, servers: string[]): string[] {
  if (words.length === 0) return [...VERBS.flatMap((v) => [v.name, ...v.aliases]), ...PALETTE_WORDS];
  const verb = findVerb(words[0]!);
  if (!verb) return [];
  if (partial.startsWith('-')) return [...verb.options.map((o) => `--${o.name}`), '--help'];
  // Which option would this word fill: the value of a --name before it, or the next one by position.
  const given = new Set<string>();
  let positional = 0;
  let valueOf: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--') && !w.includes('=')) {
      given.add(w.slice(2));
      if (i === words.length - 1) valueOf = w.slice(2);
      i++;
    } else positional++;
  }
  const option = valueOf ?? verb.options.filter((o) => !o.optionOnly && !given.has(o.name))[positional]?.name;
  if (option === 'server') return servers;
  if (option === 'command') return VERBS.map((v) => v.name);
  return [];
}

export function completePalette(before: string, servers: string[]): Completion {
  const cut = before.lastIndexOf(';') + 1;
  const head = before.slice(0, cut);
  const line = before.slice(cut);
  let words: string[];
  try {
    words = splitCommands(line)[0] ?? [];
  } catch {
    return { choices: [] }; // an open quote: nothing sensible to complete
  }
  const partial = /\s$/.test(line) || line === '' ? '' : (words.pop() ?? '');
  const choices = [...new Set(candidatesFor(words, partial, servers))].filter((c) => c.startsWith(partial)).sort();
  if (choices.length === 0) return { choices };
  const stem = line.slice(0, line.length - partial.length);
  if (choices.length === 1) return { text: head + stem + choices[0] + ' ', choices };
  const prefix = commonPrefix(choices);
  return { text: prefix.length > partial.length ? head + stem + prefix : undefined, choices };
}

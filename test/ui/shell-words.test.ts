/** The palette splits a line as virt-admin's shell does (issue 9 item 5: quotes were ignored). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteWord, ShellSyntaxError, splitCommands } from '../../src/ui/verbs/index.js';

test('words, quotes, escapes, commands and comments', () => {
  const rows: [string, string[][]][] = [
    ['daemon-log-filters --filters "1:qemu 1:rpc"', [['daemon-log-filters', '--filters', '1:qemu 1:rpc']]],
    ["daemon-log-filters --filters '1:qemu 1:rpc'", [['daemon-log-filters', '--filters', '1:qemu 1:rpc']]],
    ['a\\ b "c\\"d" \'e\\f\'', [['a b', 'c"d', 'e\\f']]],
    ['x""y \'\'', [['xy', '']]],
    ['srv-list; uri ;; version', [['srv-list'], ['uri'], ['version']]],
    ['uri # a comment; not a command', [['uri']]],
    ['  \t uri  ', [['uri']]],
    ['a\\\nb', [['ab']]],
    ['', []],
  ];
  for (const [line, want] of rows) assert.deepEqual(splitCommands(line), want, line);
});

test("virt-admin's errors for an unfinished line", () => {
  assert.throws(() => splitCommands('echo "open'), new ShellSyntaxError('missing "'));
  assert.throws(() => splitCommands('echo x\\'), new ShellSyntaxError('dangling \\'));
  // An open single quote is not an error in virt-admin: the word runs to the end.
  assert.deepEqual(splitCommands("echo 'open"), [['echo', 'open']]);
});

test('a quoted word reads back as itself', () => {
  for (const w of ['plain', '', 'two words', "it's", 'a"b', 'semi;colon', '#hash', 'back\\slash']) {
    assert.deepEqual(splitCommands(`x ${quoteWord(w)}`), [['x', w]], w);
  }
});

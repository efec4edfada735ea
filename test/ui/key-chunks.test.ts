/** A run of keys typed faster than a read comes apart into the presses it was. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { splitKeys } from '../../src/ui/keys/key-chunks.js';

const NONE = { upArrow: false, downArrow: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false } as unknown as Key;

test('Enter, Backspace, Tab and Ctrl-U inside a chunk act as keys', () => {
  const keys = splitKeys('/5A\x7f\x15x\t\r', NONE);
  const seen = keys.map(([ch, k]) => `${ch}${k.return ? '<enter>' : ''}${k.backspace ? '<bs>' : ''}${k.tab ? '<tab>' : ''}${k.ctrl ? '<ctrl>' : ''}${k.shift ? '<shift>' : ''}`);
  assert.deepEqual(seen, ['/', '5', 'A<shift>', '<bs>', 'u<ctrl>', 'x', '<tab>', '<enter>']);
});

test('a single key and an escape sequence pass through untouched', () => {
  const up = { ...NONE, upArrow: true } as Key;
  assert.deepEqual(splitKeys('', up), [['', up]]);
  assert.deepEqual(splitKeys('q', NONE), [['q', NONE]]);
  const alt = { ...NONE, meta: true } as Key;
  assert.deepEqual(splitKeys('ab', alt), [['ab', alt]]);
});

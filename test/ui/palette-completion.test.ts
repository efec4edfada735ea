/** Tab in the palette (issue 9 item 5): verbs, options, server names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { completePalette } from '../../src/ui/store/palette-completion.js';

const servers = ['libvirtd', 'admin'];

test('completes a verb, to the common prefix when several fit', () => {
  assert.deepEqual(completePalette('srv-th', servers), { text: 'srv-threadpool-', choices: ['srv-threadpool-info', 'srv-threadpool-set'] });
  assert.deepEqual(completePalette('srv-threadpool-i', servers), { text: 'srv-threadpool-info ', choices: ['srv-threadpool-info'] });
  assert.deepEqual(completePalette('qu', servers), { text: 'quit ', choices: ['quit'] });
  assert.deepEqual(completePalette('nosuch', servers), { choices: [] });
});

test('completes an option of the verb typed, and a server where the verb takes one', () => {
  assert.deepEqual(completePalette('srv-threadpool-set libvirtd --ma', servers), { text: 'srv-threadpool-set libvirtd --max-workers ', choices: ['--max-workers'] });
  assert.deepEqual(completePalette('client-list l', servers), { text: 'client-list libvirtd ', choices: ['libvirtd'] });
  assert.deepEqual(completePalette('client-list ', servers).choices, ['admin', 'libvirtd']);
  assert.deepEqual(completePalette('client-info --server a', servers), { text: 'client-info --server admin ', choices: ['admin'] });
  assert.deepEqual(completePalette('help client-l', servers), { text: 'help client-list ', choices: ['client-list'] });
  assert.deepEqual(completePalette('uri; srv-l', servers), { text: 'uri; srv-list ', choices: ['srv-list'] });
  assert.deepEqual(completePalette('daemon-log-filters "1:q', servers), { choices: [] }, 'inside an open quote');
});

/** The one validator of typed numbers: virt-admin's reading of unsigned options, and nothing wrapped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OptionError, OptionValues, parseUnsigned, parseUnsignedWrapped } from '../../src/ui/verbs/index.js';

test('unsigned options read as virt-admin 9.0 reads them', () => {
  const rows: [string, bigint | undefined, bigint | undefined][] = [
    // text, as uint, as ullong
    ['0', 0n, 0n],
    ['20', 20n, 20n],
    [' 7', 7n, 7n],
    ['\t+8', 8n, 8n],
    ['4294967295', 4294967295n, 4294967295n],
    ['4294967296', undefined, 4294967296n],
    ['99999999999', undefined, 99999999999n], // issue 9: was sent as 1215752191
    ['18446744073709551615', undefined, 18446744073709551615n],
    ['18446744073709551616', undefined, undefined],
    ['-1', undefined, undefined],
    ['-0', undefined, undefined],
    ['1x', undefined, undefined],
    ['0x10', undefined, undefined],
    ['', undefined, undefined],
    [' ', undefined, undefined],
    ['1 ', undefined, undefined],
    ['++1', undefined, undefined],
  ];
  for (const [text, uint, ullong] of rows) {
    assert.equal(parseUnsigned(text, 'uint'), uint, `uint '${text}'`);
    assert.equal(parseUnsigned(text, 'ullong'), ullong, `ullong '${text}'`);
  }
});

test("client-disconnect's id wraps as strtoull does, as virt-admin's does", () => {
  assert.equal(parseUnsignedWrapped('-1'), 18446744073709551615n);
  assert.equal(parseUnsignedWrapped('-0'), 0n);
  assert.equal(parseUnsignedWrapped('5'), 5n);
  assert.equal(parseUnsignedWrapped('-18446744073709551616'), undefined);
  assert.equal(parseUnsignedWrapped('1x'), undefined);
});

test("refusals carry virt-admin's lines, the typed parameter's second line included", () => {
  const o = new OptionValues({ 'max-workers': '99999999999', timeout: '4294967297', server: '', filters: '' }, ['filters']);
  const lines = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof OptionError);
      return err.lines;
    }
    assert.fail('not refused');
  };
  assert.deepEqual(lines(() => o.uintParameter('max-workers')), [
    "Numeric value '99999999999' for <max-workers> option is malformed or out of range",
    "Unable to parse integer parameter 'max-workers'",
  ]);
  assert.deepEqual(lines(() => o.uint('timeout')), ["Numeric value '4294967297' for <timeout> option is malformed or out of range"]);
  assert.deepEqual(lines(() => o.string('server')), ["Failed to get option 'server': Option argument is empty"]);
  assert.equal(o.string('filters'), '', 'an empty filter set is a value');
  assert.equal(o.uint('min-workers'), undefined, 'absent is not zero');
});

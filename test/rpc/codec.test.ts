import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  array,
  decodeValue,
  encodeValue,
  ErrorCode,
  memoized,
  nonnullString,
  nullableString,
  string,
  struct,
  type TypedParam,
  typedParam,
  TypedParamType,
  uint,
  uintParam,
  validateTypedParams,
  VirError,
  XdrDecodeError,
} from '../../src/rpc/index.js';

test('strings: padding, empty, over the bound, truncated', () => {
  assert.equal(encodeValue(nonnullString, 'admin').toString('hex'), '0000000561646d696e000000');
  assert.equal(encodeValue(nullableString, '').toString('hex'), '0000000100000000');
  assert.equal(encodeValue(nullableString, null).toString('hex'), '00000000');
  assert.throws(() => decodeValue(string(4), encodeValue(nonnullString, 'hello')), XdrDecodeError);
  assert.throws(() => decodeValue(nonnullString, Buffer.from('0000000561646d', 'hex')), XdrDecodeError);
});

test('an array count over its bound fails before any allocation', () => {
  const huge = Buffer.from('ffffffff', 'hex');
  assert.throws(() => decodeValue(array(uint, 16384), huge), XdrDecodeError);
  assert.throws(() => decodeValue(array(uint, 16384), Buffer.from('0000000200000001', 'hex')), XdrDecodeError);
});

test('a memoized codec writes the same bytes as its codec, the first time and after, in any position', () => {
  const ref = struct<{ name: string; id: number }>({ name: nonnullString, id: uint });
  const list = array(ref, 16);
  const cached = array(memoized(ref), 16);
  const a = { name: 'libvirtd', id: 7 };
  const b = { name: 'x', id: 4294967295 };
  const once = encodeValue(list, [a, b, a]);
  assert.deepEqual(encodeValue(cached, [a, b, a]), once);
  assert.deepEqual(encodeValue(cached, [b, a]), encodeValue(list, [b, a]), 'the copies land where the writer is');
  assert.deepEqual(decodeValue(cached, once), [a, b, a]);
});

test('typed params of all seven types round-trip', () => {
  const params: TypedParam[] = [
    { field: 'i', type: TypedParamType.Int, value: -5 },
    { field: 'u', type: TypedParamType.Uint, value: 4000000000 },
    { field: 'l', type: TypedParamType.Llong, value: -(2n ** 40n) },
    { field: 'ul', type: TypedParamType.Ullong, value: 2n ** 63n },
    { field: 'd', type: TypedParamType.Double, value: 1.5 },
    { field: 'b', type: TypedParamType.Boolean, value: true },
    { field: 's', type: TypedParamType.String, value: 'x' },
  ];
  for (const p of params) assert.deepEqual(decodeValue(typedParam, encodeValue(typedParam, p)), p);
  // readonly = false, as libvirt sends it (wire-protocol.md §3.1).
  assert.equal(encodeValue(typedParam, { field: 'readonly', type: TypedParamType.Boolean, value: false }).toString('hex'), '00000008726561646f6e6c79' + '00000006' + '00000000');
});

test('an unknown typed param type is a decode error', () => {
  assert.throws(() => decodeValue(typedParam, Buffer.from('00000001610000000000000800000000', 'hex')), XdrDecodeError);
});

// golden/admin/edge_admin2: libvirt's messages for each rule, in its order.
const ALLOWED = { minWorkers: TypedParamType.Uint, maxWorkers: TypedParamType.Uint } as const;
const CASES: { params: TypedParam[]; code: number; message: string }[] = [
  { params: [uintParam('nWorkers', 7)], code: ErrorCode.ArgumentUnsupported, message: "argument unsupported: parameter 'nWorkers' not supported" },
  {
    params: [{ field: 'minWorkers', type: TypedParamType.String, value: '5' }],
    code: ErrorCode.InvalidArg,
    message: "invalid argument: invalid type 'string' for parameter 'minWorkers', expected 'uint'",
  },
  { params: [uintParam('maxWorkers', 7), uintParam('maxWorkers', 8)], code: ErrorCode.InvalidArg, message: "invalid argument: parameter 'maxWorkers' occurs multiple times" },
];
for (const c of CASES) {
  test(`validateTypedParams: ${c.message}`, () => {
    assert.throws(
      () => validateTypedParams(c.params, ALLOWED),
      (e: unknown) => e instanceof VirError && e.code === c.code && e.domain === 0 && e.message === c.message,
    );
  });
}

test('validateTypedParams returns what was given', () => {
  const got = validateTypedParams([uintParam('minWorkers', 3)], ALLOWED);
  assert.deepEqual([...got.keys()], ['minWorkers']);
  assert.equal(validateTypedParams([], ALLOWED).size, 0);
});

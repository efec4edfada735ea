/**
 * Small pure pieces of SASL support: the allow-list globs as GLib's
 * g_pattern_match_simple reads them (sasl_allowed_username_list,
 * tls_allowed_dn_list), and the TLS key size passed to SASL as external SSF.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tlsKeyBits } from '../../src/daemons/programs/remote/remote-sasl-auth.js';
import { matchesAnyPattern } from '../../src/daemons/simple-pattern.js';

test('allow-list globs: * is any run, ? one character, everything else itself', () => {
  const cases: [string, string, boolean][] = [
    ['alice*', 'alice', true],
    ['alice*', 'alice@VIRTD.TEST', true],
    ['alice*', 'malice', false],
    ['alice@*', 'alice', false], // libvirtd 9.0 compares the name without a realm for SCRAM
    ['?ob', 'bob', true],
    ['?ob', 'bbob', false],
    ['a.c', 'abc', false], // a dot is a dot
    ['a+c', 'a+c', true],
    ['[ab]', 'a', false], // no character classes
    ['[ab]', '[ab]', true],
    ['*', '', true],
    ['?', 'é', true], // one character, not one byte
    ['C=GB,O=Test,CN=*', 'C=GB,O=Test,CN=client1', true],
  ];
  for (const [pattern, text, expected] of cases) assert.equal(matchesAnyPattern(text, [pattern]), expected, `${pattern} ~ ${text}`);
  assert.equal(matchesAnyPattern('anyone', []), false, 'an empty list allows nobody');
});

test('external SSF from the TLS cipher: its key size in bits, unknown ones undefined', () => {
  assert.equal(tlsKeyBits('TLS_AES_256_GCM_SHA384'), 256);
  assert.equal(tlsKeyBits('TLS_AES_128_GCM_SHA256'), 128);
  assert.equal(tlsKeyBits('TLS_CHACHA20_POLY1305_SHA256'), 256);
  assert.equal(tlsKeyBits('ECDHE-RSA-AES256-GCM-SHA384'), 256);
  assert.equal(tlsKeyBits('ECDHE-RSA-AES128-SHA256'), 128);
  assert.equal(tlsKeyBits('DES-CBC3-SHA'), 192);
  assert.equal(tlsKeyBits('NULL-SHA'), undefined);
});

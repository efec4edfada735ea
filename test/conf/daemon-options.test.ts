/** A daemon's command line read back as getopt_long reads libvirtd's options. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDaemonOptions } from '../../src/conf/index.js';

const base = { listen: false, verbose: false, daemonize: false };

const CASES: [string[], object][] = [
  [[], base],
  [['--timeout', '120'], { ...base, timeoutSec: 120 }],
  [['--timeout=120', '-f', '/etc/x.conf'], { ...base, timeoutSec: 120, configFile: '/etc/x.conf' }],
  [['-t120', '-f/etc/x.conf'], { ...base, timeoutSec: 120, configFile: '/etc/x.conf' }],
  [['-vl', '--config=/a b/c.conf'], { ...base, verbose: true, listen: true, configFile: '/a b/c.conf' }],
  [['-lt', '30'], { ...base, listen: true, timeoutSec: 30 }],
  [['--mode', 'session', '--pid-file', '/run/x.pid', '-d'], { ...base, mode: 'session', pidFile: '/run/x.pid', daemonize: true }],
  [['--', '--timeout', '5'], base],
  [['--timeout', 'soon', '--unknown', '-x'], base],
];

test('options as libvirtd takes them, and ours (--mode)', () => {
  for (const [args, want] of CASES) assert.deepEqual(parseDaemonOptions(args), want, args.join(' '));
});

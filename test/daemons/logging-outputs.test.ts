/**
 * The daemons' logging through pino, in process with real files and real datagram
 * sockets the test owns: libvirt's filters decide per category, each output has its own
 * level, the text line is libvirt's, json lines parse one by one, and journald's native
 * protocol and syslog's datagrams carry libvirt's fields.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { decodeJournalEntry } from '../../src/daemons/logging/journal-entry.js';
import { DaemonLogger, type LoggerOptions } from '../../src/daemons/logging/index.js';
import { REPO_ROOT } from '../helpers/tools.js';
import { until } from '../helpers/until.js';

const LINE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000): (\d+): (debug|info|warning|error) : (\S+) : (.*)$/;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'virtd-log-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function newLogger(dir: string, opts: Partial<LoggerOptions>): DaemonLogger {
  return new DaemonLogger({ ident: 'virtqemud', mode: 'session', logDir: dir, env: {}, stdinIsTTY: true, ...opts });
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

/** A UNIX datagram socket the test owns (python3), standing in for journald or syslog. */
async function datagramSink(t: { after(fn: () => void): void }, path: string): Promise<{ datagrams: Buffer[] }> {
  const child = spawn('python3', [join(REPO_ROOT, 'test', 'helpers', 'py', 'dgram_sink.py'), path], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => child.stdin.end());
  const datagrams: Buffer[] = [];
  let ready = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'READY') ready = true;
    else datagrams.push(Buffer.from(line, 'hex'));
  });
  await until(() => ready, { message: 'the datagram sink to bind' });
  return { datagrams };
}

test('filters decide per category: the first match, else the default priority; changes apply to live loggers', async (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'all.log');
  const logger = newLogger(dir, { outputs: `1:file:${log}`, filters: '1:qemu 3:rpc', level: 3 });
  const qemu = logger.child('qemu.qemu_driver');
  const rpc = logger.child('rpc.server');
  const other = logger.child('util.json');
  qemu.debug('qemu debug');
  rpc.info('rpc info');
  rpc.warn('rpc warning');
  other.info('other info');
  other.error('other error');
  logger.setFilters('4:qemu 1:rpc.server');
  qemu.warn('qemu warning after');
  qemu.error('qemu error after');
  rpc.child('client').debug('rpc client debug after');
  await logger.close();
  const got = lines(log).map((l) => {
    const m = LINE.exec(l);
    assert.ok(m, `libvirt's line format: ${l}`);
    assert.equal(Number(m[2]), process.pid);
    return `${m[3]} ${m[4]} ${m[5]}`;
  });
  assert.deepEqual(got, [
    'debug qemu.qemu_driver qemu debug',
    'warning rpc.server rpc warning',
    'error util.json other error',
    'error qemu.qemu_driver qemu error after',
    'debug rpc.server.client rpc client debug after',
  ]);
});

test('each output has its own level; json lines parse one by one; a bad output changes nothing', async (t) => {
  const dir = tempDir(t);
  const [text, json, errors] = ['a.log', 'a.json', 'errors.log'].map((f) => join(dir, f)) as [string, string, string];
  const logger = newLogger(dir, { outputs: `1:file:${text} 2:json:${json} 4:file:${errors}`, level: 1 });
  assert.equal(logger.outputsText(), `1:file:${text} 2:json:${json} 4:file:${errors}`);
  const rpc = logger.child('rpc.server');
  rpc.debug('one');
  rpc.info('two "quoted"\nand a second line');
  rpc.warn('three');
  rpc.error('four');
  assert.throws(() => logger.setOutputs(`1:file:${join(dir, 'no', 'such', 'dir.log')}`), /failed to open .*dir\.log: No such file or directory/);
  assert.equal(logger.noutputs, 3, 'the old outputs stay');
  rpc.error('five');
  await logger.close();
  assert.equal(lines(text).length, 6, 'debug and up, the two-line message as two lines');
  const records = lines(json).map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    records.map((r) => [r.level, r.priority, r.category, r.msg, r.daemon, r.pid]),
    [
      ['info', 2, 'rpc.server', 'two "quoted"\nand a second line', 'virtqemud', process.pid],
      ['warn', 3, 'rpc.server', 'three', 'virtqemud', process.pid],
      ['error', 4, 'rpc.server', 'four', 'virtqemud', process.pid],
      ['error', 4, 'rpc.server', 'five', 'virtqemud', process.pid],
    ],
  );
  for (const r of records) assert.match(String(r.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(lines(errors).map((l) => LINE.exec(l)?.[5]), ['four', 'five']);
});

test('journald: the native protocol with libvirt\'s fields, a big entry through a memfd', async (t) => {
  const dir = tempDir(t);
  const socket = join(dir, 'journal.sock');
  const sink = await datagramSink(t, socket);
  const logger = newLogger(dir, { outputs: '2:journald', journalSocket: socket, level: 1 });
  logger.child('rpc.server').info('hello journal');
  logger.child('qemu').error('two\nlines');
  logger.child('qemu').debug('below the output level');
  const big = 'x'.repeat(400_000);
  logger.child('qemu').warn(big);
  await until(() => sink.datagrams.length >= 3, { message: 'three journal entries' });
  await logger.close();
  const entries = sink.datagrams.map((d) => Object.fromEntries(decodeJournalEntry(d)));
  assert.equal(entries.length, 3);
  const [first, second, third] = entries as [Record<string, string>, Record<string, string>, Record<string, string>];
  assert.equal(first.MESSAGE, 'hello journal');
  assert.equal(first.PRIORITY, '6');
  assert.equal(first.SYSLOG_FACILITY, '3');
  assert.equal(first.SYSLOG_IDENTIFIER, 'virtqemud');
  assert.equal(first.LIBVIRT_SOURCE, 'rpc.server');
  assert.match(first.CODE_FILE!, /^dist\/test\/daemons\/logging-outputs\.test\.js$/);
  assert.match(first.CODE_LINE!, /^\d+$/);
  assert.ok(first.CODE_FUNC, 'the calling function');
  assert.deepEqual([second.MESSAGE, second.PRIORITY], ['two\nlines', '3']);
  assert.deepEqual([third.MESSAGE?.length, third.PRIORITY], [big.length, '4']);
});

test('syslog: glibc\'s datagram with the ident, user facility and the message\'s severity', async (t) => {
  const dir = tempDir(t);
  const socket = join(dir, 'log.sock');
  const sink = await datagramSink(t, socket);
  const logger = newLogger(dir, { outputs: '1:syslog:virtqemud-test', syslogSocket: socket, level: 1 });
  logger.child('rpc.server').debug('to syslog');
  logger.child('rpc.server').error('an error');
  await until(() => sink.datagrams.length >= 2, { message: 'two syslog datagrams' });
  await logger.close();
  const texts = sink.datagrams.map((d) => d.toString('utf8'));
  assert.match(texts[0]!, new RegExp(`^<15>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d virtqemud-test: ${process.pid}: debug : rpc\\.server : to syslog\\n$`));
  assert.match(texts[1]!, new RegExp(`^<11>.* virtqemud-test: ${process.pid}: error : rpc\\.server : an error\\n$`));
});

test('journald with nobody listening: lines are dropped, the logger goes on', async (t) => {
  const dir = tempDir(t);
  const log = join(dir, 'a.log');
  const logger = newLogger(dir, { outputs: `1:journald 1:file:${log}`, journalSocket: join(dir, 'none.sock'), level: 1 });
  logger.child('x').info('still written to the file');
  await logger.close();
  assert.match(readFileSync(log, 'utf8'), / : x : still written to the file\n$/);
});

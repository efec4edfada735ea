/**
 * Run as the daemon's user (a session daemon admits only its own uid): a
 * scriptable set of REMOTE-program clients, driven one JSON command per line
 * on stdin, one JSON answer per line on stdout. For tests that must hold
 * clients half-way through authentication, or send what no real client sends.
 *
 *   {"op":"connect","id":"a","path":SOCKET}            -> {"ok":true}
 *   {"op":"call","id":"a","proc":"authSaslInit","args":...} -> outcome
 *   {"op":"send","id":"a","proc":"authList"}           -> {"ok":true} (reply read later with "next")
 *   {"op":"next","id":"a"}                             -> outcome of the next reply
 *   {"op":"raw","id":"a","hex":"..."}                  -> outcome of the next reply, or closed
 *   {"op":"scram","id":"a","user":U,"password":P}      -> outcome of the last call
 *   {"op":"close","id":"a"} / {"op":"closed","id":"a"} -> {"ok":true} / {"closed":bool}
 *
 * Buffers travel as {"hex":...}. An outcome is {"ok":true,"value":...} or
 * {"ok":false,"error":MESSAGE,"code":N}, or {"closed":true} when the daemon hung up.
 */
import { createInterface } from 'node:readline';
import { decodeHeader, decodeValue, errorBody, frameBody, MessageStatus, Program, Remote } from '../../src/rpc/index.js';
import { RawClient } from './raw-client.js';
import { scramLogin } from './scram-client.js';

type Json = Record<string, unknown>;
const clients = new Map<string, RawClient>();

/** Turns JSON args back into wire values: {"hex":..} is a Buffer. */
const revive = (v: unknown): unknown =>
  v && typeof v === 'object' && 'hex' in (v as Json) ? Buffer.from((v as { hex: string }).hex, 'hex') : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, revive(x)])) : v;
const plain = (v: unknown): unknown => {
  if (Buffer.isBuffer(v)) return { hex: v.toString('hex') };
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map(plain);
  return v && typeof v === 'object' ? Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, plain(x)])) : v;
};

async function outcome(c: RawClient, procName?: string): Promise<unknown> {
  const reply = await c.next(15000);
  if (!reply) return c.closed ? { closed: true } : { timeout: true };
  if (decodeHeader(reply).status === MessageStatus.Error) {
    const e = decodeValue(errorBody, frameBody(reply));
    return { ok: false, error: e.message, code: e.code };
  }
  const spec = procName ? (Remote as Record<string, { ret: Parameters<typeof decodeValue>[0] }>)[procName] : undefined;
  return { ok: true, value: spec ? plain(decodeValue(spec.ret, frameBody(reply))) : null };
}

async function run(cmd: Json): Promise<unknown> {
  const id = String(cmd.id);
  if (cmd.op === 'connect') {
    clients.set(id, await RawClient.connect(String(cmd.path)));
    return { ok: true };
  }
  const c = clients.get(id);
  if (!c) throw new Error(`no client ${id}`);
  const spec = () => (Remote as Record<string, { proc: number; args: Parameters<RawClient['send']>[2] }>)[String(cmd.proc)]!;
  switch (cmd.op) {
    case 'call':
      c.send(Program.Remote, spec().proc, spec().args, revive(cmd.args));
      return outcome(c, String(cmd.proc));
    case 'send':
      c.send(Program.Remote, spec().proc, spec().args, revive(cmd.args));
      return { ok: true };
    case 'next':
      return outcome(c, cmd.proc === undefined ? undefined : String(cmd.proc));
    case 'raw':
      c.write(Buffer.from(String(cmd.hex), 'hex'));
      return outcome(c);
    case 'scram':
      return plain(await scramLogin(c, String(cmd.user), String(cmd.password)));
    case 'close':
      c.close();
      return { ok: true };
    case 'closed':
      return { closed: await c.waitClosed(Number(cmd.timeoutMs ?? 5000)) };
    default:
      throw new Error(`unknown op ${String(cmd.op)}`);
  }
}

// One command at a time, in order: a test's steps are a sequence.
let chain = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  chain = chain.then(async () => {
    let answer: unknown;
    try {
      answer = await run(JSON.parse(line) as Json);
    } catch (err) {
      answer = { failed: (err as Error).message };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
});
process.stdin.on('end', () => void chain.then(() => process.exit(0)));

/**
 * A SASL SCRAM-SHA-256 client (RFC 5802, 7677) over a RawClient, speaking the
 * REMOTE program's AUTH_SASL_* calls: our own client, for the bad-input tests
 * that need to stop half-way or keep talking after authenticating. The proof
 * that SCRAM works is the real virsh (sasl-scram.test.ts); this only drives.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { decodeHeader, decodeValue, errorBody, frameBody, MessageStatus, type ProcedureSpec, Program, Remote } from '../../src/rpc/index.js';
import type { RawClient } from './raw-client.js';

/** What a call got back: its decoded result, or the daemon's error message. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; code: number };

/** One REMOTE call and its outcome. */
export async function call<A, R>(c: RawClient, proc: ProcedureSpec<A, R>, args: A): Promise<Outcome<R>> {
  c.send(Program.Remote, proc.proc, proc.args, args);
  const reply = await c.next(10000);
  if (!reply) throw new Error(c.closed ? 'the daemon closed the connection' : 'no reply');
  if (decodeHeader(reply).status === MessageStatus.Error) {
    const e = decodeValue(errorBody, frameBody(reply));
    return { ok: false, error: e.message, code: e.code };
  }
  return { ok: true, value: decodeValue(proc.ret, frameBody(reply)) };
}

export const saslInit = (c: RawClient) => call(c, Remote.authSaslInit, undefined as void);
export const saslStart = (c: RawClient, mech: string, data: Buffer | null) =>
  call(c, Remote.authSaslStart, { mech, nil: data ? 0 : 1, data: data ?? Buffer.alloc(0) });
export const saslStep = (c: RawClient, data: Buffer | null) => call(c, Remote.authSaslStep, { nil: data ? 0 : 1, data: data ?? Buffer.alloc(0) });

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();

/** The whole SCRAM exchange; the outcome of its last call (the final step's, when all went well). */
export async function scramLogin(c: RawClient, user: string, password: string): Promise<Outcome<unknown>> {
  const init = await saslInit(c);
  if (!init.ok) return init;
  const cnonce = randomBytes(18).toString('base64');
  const bare = `n=${user},r=${cnonce}`;
  const first = await saslStart(c, 'SCRAM-SHA-256', Buffer.from(`n,,${bare}`));
  if (!first.ok) return first;
  const serverFirst = first.value.data.toString();
  const attrs = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  const withoutProof = `c=biws,r=${attrs.r}`;
  const salted = pbkdf2Sync(password, Buffer.from(attrs.s!, 'base64'), Number(attrs.i), 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  const signature = hmac(createHash('sha256').update(clientKey).digest(), `${bare},${serverFirst},${withoutProof}`);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
  return saslStep(c, Buffer.from(`${withoutProof},p=${proof.toString('base64')}`));
}

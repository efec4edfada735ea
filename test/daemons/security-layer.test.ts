/**
 * ServerClient's security-layer hook, on a real UNIX socket (issue 11): once
 * started, every byte read is decoded and every frame written encoded; bytes
 * that arrived in the clear and were not yet dispatched when it starts, or a
 * block the layer rejects, drop the client; closing disposes the layer.
 * The layer here is a stand-in (XOR with 0x5a) so the switch point is visible
 * byte for byte; Cyrus's real layer is proven with virsh in
 * test/security/sasl-gssapi.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { type SecurityLayer, ServerClient } from '../../src/daemons/runtime/index.js';
import { AuthType, ClientTransport, encodeCall, PacketReader, Program, PROGRAM_VERSION, voidCodec } from '../../src/rpc/index.js';
import { until } from '../helpers/until.js';

const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));

class XorLayer implements SecurityLayer {
  disposed = false;
  encode = xor;
  decode(b: Buffer): Buffer {
    if (b.includes(0xff)) throw new Error('bad block');
    return xor(b);
  }
  dispose(): void {
    this.disposed = true;
  }
}

let dir: string;
let server: Server;
let accepted: (c: ServerClient) => void;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'virtd-layer-'));
  server = createServer({ pauseOnConnect: true }, (socket) => {
    const client = new ServerClient({
      id: 1,
      socket,
      transport: ClientTransport.Unix,
      readonly: false,
      authType: AuthType.None,
      authPending: false,
      maxRequests: 5,
      keepalive: { intervalSec: -1, count: 0 },
    });
    accepted(client);
    client.start();
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (serial: number) => encodeCall(Program.Remote, PROGRAM_VERSION, 59, serial, voidCodec, undefined);

/** A peer, and the server side of its connection, whose frames are echoed; the first frame starts `layer`. */
async function connectWith(t: TestContext, layer: XorLayer): Promise<{ peer: Socket; client: ServerClient; received: Buffer[] }> {
  const got = new Promise<ServerClient>((resolve) => (accepted = resolve));
  const peer = connect(join(dir, 'sock'));
  peer.on('error', () => {});
  const client = await got;
  t.after(() => {
    peer.destroy();
    client.close();
  });
  let first = true;
  client.onFrame = (frame) => {
    client.send(frame, () => client.frameDone());
    if (first) client.startSecurityLayer(layer);
    first = false;
  };
  const received: Buffer[] = [];
  peer.on('data', (d: Buffer) => received.push(d));
  await new Promise((resolve) => peer.once('connect', resolve));
  return { peer, client, received };
}

test('after the switch, frames are decoded on the way in and encoded on the way out; the reply that switched is in the clear', async (t) => {
  const layer = new XorLayer();
  const { peer, client, received } = await connectWith(t, layer);
  peer.write(call(1));
  await until(() => Buffer.concat(received).length >= call(1).length);
  assert.ok(client.hasSecurityLayer);
  assert.deepEqual(Buffer.concat(received), call(1), 'the switching reply itself goes out as it is');
  peer.write(xor(call(2)));
  await until(() => Buffer.concat(received).length >= 2 * call(1).length);
  assert.deepEqual(Buffer.concat(received).subarray(call(1).length), xor(call(2)));
  assert.deepEqual(new PacketReader().push(xor(Buffer.concat(received).subarray(call(1).length))), [call(2)]);
  peer.destroy();
  await until(() => client.closed);
  assert.ok(layer.disposed, 'closing disposes the layer');
});

test('a frame sent in the clear behind the switching one (not yet dispatched) drops the client', async (t) => {
  const layer = new XorLayer();
  const { peer, client } = await connectWith(t, layer);
  peer.write(Buffer.concat([call(1), call(2)]));
  await until(() => client.closed, { message: 'the client dropped' });
  await until(() => peer.destroyed || peer.readableEnded, { message: 'the peer to see the close' });
  assert.ok(layer.disposed);
});

test('part of a frame in the clear behind the switching one drops the client too', async (t) => {
  const { peer, client } = await connectWith(t, new XorLayer());
  peer.write(Buffer.concat([call(1), call(2).subarray(0, 3)]));
  await until(() => client.closed, { message: 'the client dropped' });
  peer.destroy();
});

test('a block the layer rejects drops the client', async (t) => {
  const { peer, client } = await connectWith(t, new XorLayer());
  peer.write(call(1));
  await until(() => client.hasSecurityLayer);
  peer.write(Buffer.from([0xff, 0x00]));
  await until(() => client.closed, { message: 'the client dropped' });
  peer.destroy();
});

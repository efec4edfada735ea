/**
 * Replays a raw golden capture against a daemon: sends each client frame as
 * captured and checks that exactly the captured server frames come back
 * (after a per-capture mask for values that legitimately differ).
 */
import assert from 'node:assert/strict';
import { loadGolden } from '../helpers/golden.js';
import { RawClient } from '../helpers/raw-client.js';

export type Mask = (frame: Buffer, index: number) => Buffer;

/** `rewrite` changes every captured frame, both ways, before use (e.g. paths of the capture's machine). */
export async function replayGolden(file: string, socketPath: string, mask: Mask = (f) => f, rewrite: (frame: Buffer) => Buffer = (f) => f): Promise<void> {
  const g = loadGolden(file);
  for (const ev of g.events) if (ev.kind === 'frame') ev.bytes = rewrite(ev.bytes);
  const c = await RawClient.connect(socketPath);
  try {
    const events = g.events;
    let serverIndex = 0;
    for (let i = 0; i < events.length; i++) {
      const ev = events[i]!;
      if (ev.kind !== 'frame' || ev.dir !== 'C2S') continue;
      c.write(ev.bytes);
      const expected: Buffer[] = [];
      let closes = false;
      for (let j = i + 1; j < events.length; j++) {
        const next = events[j]!;
        if (next.kind === 'frame' && next.dir === 'C2S') break;
        if (next.kind === 'frame') expected.push(next.bytes);
        else if (next.text.startsWith('S2C-EOF') || next.text.startsWith('S2C-RESET')) closes = true;
      }
      for (const want of expected) {
        const got = await c.next(3000);
        assert.ok(got, `${file}: no reply to ${ev.bytes.toString('hex').slice(0, 64)}…, expected ${want.toString('hex')}`);
        assert.equal(mask(got, serverIndex).toString('hex'), mask(want, serverIndex).toString('hex'), `${file}: server frame ${serverIndex}`);
        serverIndex++;
      }
      if (closes) {
        assert.equal(await c.waitClosed(3000), true, `${file}: the daemon closes after ${ev.bytes.toString('hex').slice(0, 64)}`);
        return;
      }
      // Nothing more may come for this frame (e.g. REPLY or MESSAGE sent to the server: dropped).
      assert.equal(await c.next(expected.length === 0 ? 150 : 30), null, `${file}: unexpected extra frame`);
    }
  } finally {
    c.close();
  }
}

/**
 * Ink's frames drawn with the cache kept across frames (src/ui/ink-frame-cache.ts) are the
 * frames Ink draws without it, character for character and colour for colour; the cache is
 * bounded; and it is in place with the Ink this package pins (an Ink upgrade must re-check it).
 */
process.env.FORCE_COLOR = '3';
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { Box, Text, renderToString } = await import('ink');
const { CHECKED_INK_VERSION, inkFrameCacheLines, installInkFrameCache, MAX_LINES } = await import('../../src/ui/ink-frame-cache.js');

/** A table scrolled row by row, with colours, inverse video, wide and combining characters, truncation. */
function Frame({ top, selected }: { top: number; selected: number }) {
  const rows = Array.from({ length: 12 }, (_, i) => top + i);
  return (
    <Box flexDirection="column" width={60}>
      <Text color="gray">
        <Text bold>all clients</Text> {top} of 10,000 ▶ ● ○ · × ∞ ▁▂▃▅▇
      </Text>
      {rows.map((n) => (
        <Text key={n} inverse={n === selected} wrap="truncate">
          {`${String(n).padStart(6)}  virtqemud  unix  rw  alice  ${4000 + n}  python3 -c import socket; s.connect('/run/libvirt/virtqemud-sock') 界 é`}
        </Text>
      ))}
      <Box>
        <Text color="green">● up</Text>
        <Text color="yellow" wrap="truncate-middle">{`  /tmp/a/very/long/path/${top}/that/is/cut/in/the/middle/of/itself.sock`}</Text>
      </Box>
    </Box>
  );
}

function frames(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => renderToString(<Frame top={from + i} selected={from + i + (i % 12)} />, { columns: 60 }));
}

test('with the pinned Ink the cache is installed, and every frame is the one Ink draws without it', async () => {
  const without = frames(40);
  assert.match(without[0]!, /\u001b\[7m/, 'the frames carry ANSI styles (inverse video), so styles are compared too');
  assert.equal(await installInkFrameCache(), 'installed', `Ink ${CHECKED_INK_VERSION} is what package-lock pins`);
  const withCache = frames(40);
  assert.deepEqual(withCache, without);
  // Drawn again: the lines come from the cache now, and still the same frames.
  assert.deepEqual(frames(40), without);
  assert.ok((inkFrameCacheLines() ?? 0) > 0, 'the frames went through the shared cache');
});

test('the cache stays bounded however many distinct lines are drawn', async () => {
  await installInkFrameCache();
  frames(400, 1000);
  frames(1);
  assert.ok(inkFrameCacheLines()! <= MAX_LINES + 40, `${inkFrameCacheLines()} lines kept, bound ${MAX_LINES} (plus one frame's)`);
});

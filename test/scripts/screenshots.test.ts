/**
 * The screenshot script regenerates every capture from the real console: eight
 * PNGs of the window's size, none blank, and (checked by the script) no screen
 * cut at 100 columns.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT, runTool } from '../helpers/tools.js';

test('npm run screenshots makes a real PNG of every view', { timeout: 180000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'screenshots-test-'));
  const out = join(dir, 'out');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const run = await runTool(process.execPath, [join(REPO_ROOT, 'dist', 'scripts', 'screenshots', 'take-screenshots.js'), '--out', out], {
    env: { HOME: dir }, // chromium keeps its profile under HOME
    timeoutMs: 170000,
  });
  assert.equal(run.code, 0, run.stderr + run.stdout);
  const files = readdirSync(out).sort();
  assert.deepEqual(files, ['1-host.png', '10-all-clients.png', '11-batch-disconnect.png', '2-servers.png', '3-clients.png', '4-client-detail.png', '5-disconnect.png', '6-worker-limits.png', '7-logging.png', '8-help.png', '9-palette.png']);
  for (const f of files) {
    const png = readFileSync(join(out, f));
    assert.equal(png.subarray(1, 4).toString(), 'PNG', f);
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [932, 594], `${f} has the window's size`);
    assert.ok(png.length > 15000, `${f} has content (${png.length} bytes)`);
  }
});

/** The screenshot renderer keeps a captured screen's colours and attributes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ansiToHtmlBody, ansiToHtmlPage } from '../../scripts/screenshots/ansi-to-html.js';

test('16, 256 and 24-bit colours, bold and inverse become styles; text is escaped', () => {
  const html = ansiToHtmlBody('\x1b[1;36mvirt\x1b[22;39m <ok> \x1b[38;5;196mred\x1b[0m \x1b[38;2;1;2;3mrgb\x1b[0m \x1b[7msel\x1b[27m');
  assert.match(html, /<span style="color:#42b3c2;font-weight:bold">virt<\/span>/);
  assert.match(html, /<span style="color:#d7dae0"> &lt;ok&gt; <\/span>/);
  assert.match(html, /<span style="color:rgb\(255,0,0\)">red<\/span>/);
  assert.match(html, /<span style="color:rgb\(1,2,3\)">rgb<\/span>/);
  assert.match(html, /<span style="color:#1e1e1e;background:#d7dae0">sel<\/span>/, 'inverse swaps the default colours');
});

test('line breaks stay, other escape sequences go, the page has the screen size', () => {
  const html = ansiToHtmlBody('a\x1b[?25l\nb\x1b[2K');
  assert.equal(html, '<span style="color:#d7dae0">a</span>\n<span style="color:#d7dae0">b</span>');
  const page = ansiToHtmlPage('x', { cols: 100, rows: 30, title: 't' });
  assert.match(page, /width: 100ch; height: 570px/);
});

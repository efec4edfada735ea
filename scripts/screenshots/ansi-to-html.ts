/**
 * A captured terminal screen (tmux capture-pane -e: text with SGR escape
 * sequences) as an HTML page that draws it with its colours, for a headless
 * browser to photograph. Handles what a console uses: the 16 colours, 256
 * colours, 24-bit colour, bold, dim, italic, underline and inverse.
 */

/** A dark terminal palette (Tango-like): black, red, green, yellow, blue, magenta, cyan, white, then the bright ones. */
const PALETTE16 = [
  '#1e1e1e', '#e05561', '#8cc265', '#d18f52', '#4aa5f0', '#c162de', '#42b3c2', '#d7dae0',
  '#7f848e', '#ff616e', '#a5e075', '#f0a45d', '#4dc4ff', '#de73ff', '#4cd1e0', '#ffffff',
];
const DEFAULT_FG = '#d7dae0';
const DEFAULT_BG = '#1e1e1e';

function colour256(n: number): string {
  if (n < 16) return PALETTE16[n]!;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (c: number) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

interface Style {
  fg?: string;
  bg?: string;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

const PLAIN: Style = { bold: false, dim: false, italic: false, underline: false, inverse: false };

/** Applies one SGR sequence's parameters ("1;38;5;33") to a style. */
export function applySgr(style: Style, params: string): Style {
  const s = { ...style };
  const p = params === '' ? [0] : params.split(/[;:]/).map(Number);
  for (let i = 0; i < p.length; i++) {
    const n = p[i]!;
    if (n === 0) Object.assign(s, PLAIN, { fg: undefined, bg: undefined });
    else if (n === 1) s.bold = true;
    else if (n === 2) s.dim = true;
    else if (n === 3) s.italic = true;
    else if (n === 4) s.underline = true;
    else if (n === 7) s.inverse = true;
    else if (n === 22) s.bold = s.dim = false;
    else if (n === 23) s.italic = false;
    else if (n === 24) s.underline = false;
    else if (n === 27) s.inverse = false;
    else if (n >= 30 && n <= 37) s.fg = PALETTE16[n - 30];
    else if (n >= 90 && n <= 97) s.fg = PALETTE16[n - 90 + 8];
    else if (n >= 40 && n <= 47) s.bg = PALETTE16[n - 40];
    else if (n >= 100 && n <= 107) s.bg = PALETTE16[n - 100 + 8];
    else if (n === 39) s.fg = undefined;
    else if (n === 49) s.bg = undefined;
    else if (n === 38 || n === 48) {
      let value: string | undefined;
      if (p[i + 1] === 5) {
        value = colour256(p[i + 2] ?? 0);
        i += 2;
      } else if (p[i + 1] === 2) {
        value = `rgb(${p[i + 2] ?? 0},${p[i + 3] ?? 0},${p[i + 4] ?? 0})`;
        i += 4;
      }
      if (n === 38) s.fg = value;
      else s.bg = value;
    }
  }
  return s;
}

function css(s: Style): string {
  let fg = s.fg ?? DEFAULT_FG;
  let bg = s.bg;
  if (s.inverse) [fg, bg] = [bg ?? DEFAULT_BG, fg];
  const rules = [`color:${fg}`];
  if (bg) rules.push(`background:${bg}`);
  if (s.bold) rules.push('font-weight:bold');
  if (s.dim) rules.push('opacity:0.7');
  if (s.italic) rules.push('font-style:italic');
  if (s.underline) rules.push('text-decoration:underline');
  return rules.join(';');
}

const escapeHtml = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The screen's lines as HTML spans; other escape sequences are dropped. */
export function ansiToHtmlBody(screen: string): string {
  let style: Style = { ...PLAIN };
  let out = '';
  // SGR sequences, any other CSI sequence, and runs of text.
  for (const m of screen.matchAll(/\x1b\[([0-9;:]*)m|\x1b\[[0-9;?]*[A-Za-z]|([^\x1b]+)/g)) {
    if (m[1] !== undefined) style = applySgr(style, m[1]);
    else if (m[2] !== undefined) out += m[2].split('\n').map((part) => (part ? `<span style="${css(style)}">${escapeHtml(part)}</span>` : '')).join('\n');
  }
  return out;
}

/** A whole page: the screen at `cols` x `rows` cells in a monospace font on the terminal's background. */
export function ansiToHtmlPage(screen: string, opts: { cols: number; rows: number; title: string }): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(opts.title)}</title>
<style>
  html, body { margin: 0; background: ${DEFAULT_BG}; }
  pre { margin: 0; padding: 12px 14px; width: ${opts.cols}ch; height: ${opts.rows * 19}px;
        font: 15px/19px 'DejaVu Sans Mono', monospace; color: ${DEFAULT_FG}; white-space: pre; overflow: hidden; }
</style></head>
<body><pre>${ansiToHtmlBody(screen)}</pre></body></html>
`;
}

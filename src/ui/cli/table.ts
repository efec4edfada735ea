/**
 * virt-admin's table printer (admin-api.md §6.2): each column as wide as its
 * widest cell (the header too, unless quiet); each row " cell" then
 * (width - len + 2) spaces between cells; under the header Σ(width + 3) dashes.
 */
export function formatTable(headers: string[], rows: string[][], quiet: boolean): string {
  const all = quiet ? rows : [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(0, ...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => ` ${c}${i < cells.length - 1 ? ' '.repeat(widths[i]! - [...c].length + 2) : ''}`).join('') + '\n';
  let out = '';
  if (!quiet) out += line(headers) + '-'.repeat(widths.reduce((a, w) => a + w + 3, 0)) + '\n';
  for (const r of rows) out += line(r);
  return out;
}

/** "%-<width>s: %s" lines, as client-info and the info verbs print them. */
export function formatKeyValues(pairs: [string, string | number][], width: number): string {
  return pairs.map(([k, v]) => `${k.padEnd(width)}: ${v}\n`).join('');
}

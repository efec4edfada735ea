/**
 * Fitting an error to the status line without losing its reason (issue 9,
 * item 8): a long path inside it is shortened in its middle directories
 * ("/tmp/…/run/libvirt/virtxend-admin-sock"), never the words after it; what
 * still does not fit wraps onto the next line instead of being cut.
 */
const PATH = /\/[^\s'"]+/g;

function shortenPath(path: string, excess: number): string {
  const parts = path.split('/');
  // Keep the first directory and the file name; drop middle parts until short enough.
  for (let drop = 1; drop < parts.length - 2; drop++) {
    const kept = [...parts.slice(0, 2), '…', ...parts.slice(2 + drop)].join('/');
    if (path.length - kept.length >= excess) return kept;
  }
  const short = [...parts.slice(0, 2), '…', parts.at(-1)].join('/');
  return path.length - short.length >= excess || parts.length <= 3 ? short : `…/${parts.at(-1)}`;
}

export function fitStatus(text: string, width: number): string {
  if (text.length <= width) return text;
  let out = text;
  for (const path of text.match(PATH) ?? []) {
    if (out.length <= width) break;
    out = out.replace(path, shortenPath(path, out.length - width));
  }
  return out;
}

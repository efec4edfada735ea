/**
 * journald's native protocol: one datagram per entry, each field `NAME=value\n`, or,
 * when the value holds a newline, `NAME\n` + its length as a little-endian 64-bit
 * integer + the value + `\n`. The fields are libvirt's (its journald output):
 * MESSAGE, PRIORITY (syslog's severity), SYSLOG_FACILITY 3 (daemon), LIBVIRT_SOURCE
 * (the category), CODE_FILE, CODE_LINE, CODE_FUNC; and SYSLOG_IDENTIFIER, the daemon's
 * name, so that `journalctl -t libvirtd` finds it whatever the process is called.
 */
export type JournalFields = ReadonlyArray<readonly [string, string | number]>;

export function encodeJournalEntry(fields: JournalFields): Buffer {
  const parts: Buffer[] = [];
  for (const [name, raw] of fields) {
    const value = String(raw);
    if (value.includes('\n')) {
      const bytes = Buffer.from(value, 'utf8');
      const len = Buffer.alloc(8);
      len.writeBigUInt64LE(BigInt(bytes.length));
      parts.push(Buffer.from(`${name}\n`, 'utf8'), len, bytes, Buffer.from('\n'));
    } else {
      parts.push(Buffer.from(`${name}=${value}\n`, 'utf8'));
    }
  }
  return Buffer.concat(parts);
}

/** The inverse, for tests and tools: the fields of one entry in order. */
export function decodeJournalEntry(entry: Buffer): [string, string][] {
  const fields: [string, string][] = [];
  let at = 0;
  while (at < entry.length) {
    const nl = entry.indexOf(0x0a, at);
    if (nl < 0) throw new Error(`journal entry: field without an end at byte ${at}`);
    const line = entry.subarray(at, nl).toString('utf8');
    const eq = line.indexOf('=');
    if (eq >= 0) {
      fields.push([line.slice(0, eq), line.slice(eq + 1)]);
      at = nl + 1;
      continue;
    }
    const len = Number(entry.readBigUInt64LE(nl + 1));
    const start = nl + 9;
    fields.push([line, entry.subarray(start, start + len).toString('utf8')]);
    if (entry[start + len] !== 0x0a) throw new Error(`journal entry: binary field ${line} not followed by a newline`);
    at = start + len + 1;
  }
  return fields;
}

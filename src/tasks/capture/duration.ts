/** A capture's length as an operator writes it: `90` or `90s`, `10m`, `2h`; at least 1 s, at most 24 h. */
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };
const MAX_MS = 24 * 3_600_000;

export function parseDuration(text: string): number {
  const m = /^\s*(\d+)\s*([smh]?)\s*$/.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration: write e.g. 30s, 10m or 1h`);
  const ms = Number(m[1]) * UNIT_MS[m[2] || 's']!;
  if (ms < 1000 || ms > MAX_MS) throw new Error(`a capture lasts from 1s to 24h, not '${text}'`);
  return ms;
}

/** 605 s -> "10:05"; 3725 s -> "1:02:05". */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

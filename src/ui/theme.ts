/** Colours by meaning, readable on dark and light terminals (named ANSI colours follow the terminal's palette). */
export const theme = {
  accent: 'cyan',
  ok: 'green',
  warn: 'yellow',
  danger: 'red',
  muted: 'gray',
  selected: 'blue',
} as const;

/** The fleet view's keys, as data: the view's footer is drawn from this table and every key runs through it. */
import type { Key } from 'ink';
import type { Fleet } from '../store/fleet-console.js';

export interface FleetBinding {
  keys: string;
  description: string;
  matches(input: string, key: Key): boolean;
  run(s: Fleet, input: string, key: Key): void;
}

export const FLEET_KEYMAP: readonly FleetBinding[] = [
  { keys: '↑/↓ k/j', description: 'select a host', matches: (i, k) => k.upArrow || k.downArrow || i === 'k' || i === 'j', run: (s, i, k) => s.moveCursor(k.upArrow || i === 'k' ? -1 : 1) },
  { keys: 'Enter', description: "the host's dashboard (F or Esc comes back)", matches: (_i, k) => k.return, run: (s) => s.openSelected() },
  { keys: 'q', description: 'quit', matches: (i) => i === 'q', run: (s) => s.quit() },
];

/** Dispatches one key press of the fleet view. */
export function handleFleetKey(s: Fleet, input: string, key: Key): void {
  FLEET_KEYMAP.find((b) => b.matches(input, key))?.run(s, input, key);
}

/**
 * Keys while a help, confirmation or prompt is open. One handler owns the
 * keyboard (App's), so keys typed faster than a frame are never lost to a
 * prompt that has not mounted yet; the prompt's text lives in the store.
 */
import type { Key } from 'ink';
import type { ConsoleState } from '../store/console-state.js';
import type { ConsoleActions } from '../store/console-store.js';

export function handleOverlayKey(s: ConsoleState & ConsoleActions, input: string, key: Key): void {
  const o = s.overlay;
  if (!o) return;
  if (o.kind === 'help') return s.closeOverlay();
  if (o.kind === 'confirm') {
    if (input === 'y' || input === 'Y') {
      s.closeOverlay();
      void o.onYes();
    } else if (input === 'n' || input === 'N' || key.escape) s.closeOverlay();
    return;
  }
  if (key.escape) return s.closeOverlay();
  if (key.return) {
    s.closeOverlay();
    void o.onSubmit(o.value);
    return;
  }
  if (key.backspace || key.delete) return s.editInput(o.value.slice(0, -1));
  // Ctrl-U empties the line, as in readline: prompts open pre-filled with the current value.
  if (key.ctrl && input === 'u') return s.editInput('');
  if (input && !key.ctrl && !key.meta) s.editInput(o.value + input);
}

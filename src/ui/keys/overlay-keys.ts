/**
 * Keys while a help page, confirmation or prompt is open. One handler owns the
 * keyboard (App's), so keys typed faster than a frame are never lost to a
 * prompt that has not mounted yet; the prompt's text lives in the store.
 * Backspace arrives from most terminals as DEL, which Ink reports as `delete`
 * (the same as the Delete key): both erase before the cursor; Ctrl-D erases at it.
 */
import type { Key } from 'ink';
import type { Console } from '../store/console-store.js';

export function handleOverlayKey(s: Console, input: string, key: Key): void {
  const o = s.overlay;
  if (!o) return;
  if (o.kind === 'help' || o.kind === 'text') return s.closeOverlay();
  if (o.kind === 'confirm') {
    if (input === 'y' || input === 'Y') {
      s.closeOverlay();
      void o.onYes();
    } else if (input === 'n' || input === 'N' || key.escape) s.closeOverlay();
    return;
  }
  if (key.escape) return s.closeOverlay();
  if (key.return) return s.submitInput();
  if (key.backspace || key.delete) return s.deleteChar(-1);
  if (key.leftArrow) return s.moveInputCursor(-1);
  if (key.rightArrow) return s.moveInputCursor(1);
  if (key.home || (key.ctrl && input === 'a')) return s.moveInputCursor('home');
  if (key.end || (key.ctrl && input === 'e')) return s.moveInputCursor('end');
  if (key.upArrow) return s.walkHistory(-1);
  if (key.downArrow) return s.walkHistory(1);
  if (key.tab) return s.complete();
  if (key.ctrl && input === 'd') return s.deleteChar(1);
  // Ctrl-U empties the line, as in readline: prompts open pre-filled with the current value.
  if (key.ctrl && input === 'u') return s.clearInput();
  if (input && !key.ctrl && !key.meta) s.insertText(input);
}

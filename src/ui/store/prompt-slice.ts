/**
 * Prompts and dialogs: help, a text page, a yes/no confirmation, and a
 * one-line input with a cursor (←/→, Home/End, Ctrl-A/E, Backspace, Ctrl-D,
 * Ctrl-U), which for the `:` palette also keeps a history (↑/↓) and completes
 * with Tab. The text lives in the store, so keys typed faster than a frame
 * are never lost to a prompt that has not mounted yet.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Overlay } from './console-state.js';
import type { Console } from './console-store.js';
import { completePalette } from './palette-completion.js';

type Input = Extract<Overlay, { kind: 'input' }>;

export interface PromptSlice {
  overlay?: Overlay;
  /** Palette lines run, oldest first. */
  paletteHistory: string[];
  openInput(label: string, value: string, onSubmit: (value: string) => Promise<void>, opts?: { palette?: boolean }): void;
  openText(title: string, text: string): void;
  confirm(text: string, onYes: () => Promise<void>): void;
  setOverlayHelp(): void;
  closeOverlay(): void;
  /** Types text at the cursor. */
  insertText(text: string): void;
  /** Backspace (-1) or delete at the cursor (+1). */
  deleteChar(direction: -1 | 1): void;
  moveInputCursor(to: number | 'home' | 'end'): void;
  clearInput(): void;
  /** ↑ (-1) / ↓ (+1) through the palette's history. */
  walkHistory(step: -1 | 1): void;
  complete(): void;
  submitInput(): void;
}

const HISTORY_MAX = 200;

export const createPromptSlice: StateCreator<Console, [], [], PromptSlice> = (set, get) => {
  const input = (): Input | undefined => {
    const o = get().overlay;
    return o?.kind === 'input' ? o : undefined;
  };
  const edit = (patch: Partial<Input>) => {
    const o = input();
    if (o) set({ overlay: { ...o, ...patch } });
  };
  return {
    paletteHistory: [],
    openInput: (label, value, onSubmit, opts = {}) => set({ overlay: { kind: 'input', label, value, cursor: value.length, palette: opts.palette === true, onSubmit } }),
    openText: (title, text) => set({ overlay: { kind: 'text', title, text } }),
    confirm: (text, onYes) => set({ overlay: { kind: 'confirm', text, onYes } }),
    setOverlayHelp: () => set({ overlay: { kind: 'help' } }),
    closeOverlay: () => set({ overlay: undefined }),
    insertText(text) {
      const o = input();
      if (o) edit({ value: o.value.slice(0, o.cursor) + text + o.value.slice(o.cursor), cursor: o.cursor + text.length });
    },
    deleteChar(direction) {
      const o = input();
      if (!o) return;
      if (direction < 0 && o.cursor > 0) edit({ value: o.value.slice(0, o.cursor - 1) + o.value.slice(o.cursor), cursor: o.cursor - 1 });
      if (direction > 0 && o.cursor < o.value.length) edit({ value: o.value.slice(0, o.cursor) + o.value.slice(o.cursor + 1) });
    },
    moveInputCursor(to) {
      const o = input();
      if (!o) return;
      const at = to === 'home' ? 0 : to === 'end' ? o.value.length : o.cursor + to;
      edit({ cursor: Math.max(0, Math.min(o.value.length, at)) });
    },
    clearInput: () => edit({ value: '', cursor: 0 }),
    walkHistory(step) {
      const o = input();
      const history = get().paletteHistory;
      if (!o?.palette || history.length === 0) return;
      const from = o.historyIndex ?? history.length;
      const to = Math.max(0, Math.min(history.length, from + step));
      if (to === from) return;
      const draft = o.historyIndex === undefined ? o.value : o.draft;
      const value = to === history.length ? (draft ?? '') : history[to]!;
      edit({ value, cursor: value.length, historyIndex: to === history.length ? undefined : to, draft });
    },
    complete() {
      const o = input();
      if (!o?.palette) return;
      const done = completePalette(o.value.slice(0, o.cursor), get().target.servers.map((s) => s.name));
      if (done.choices.length > 1) get().say(`completions: ${done.choices.join('  ')}`);
      if (done.text !== undefined) edit({ value: done.text + o.value.slice(o.cursor), cursor: done.text.length });
    },
    submitInput() {
      const o = input();
      if (!o) return;
      set({ overlay: undefined });
      if (o.palette && o.value.trim()) {
        const history = get().paletteHistory.filter((h) => h !== o.value);
        set({ paletteHistory: [...history, o.value].slice(-HISTORY_MAX) });
      }
      void o.onSubmit(o.value);
    },
  };
};

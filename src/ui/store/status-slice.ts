/**
 * The status line's message: the answer to the last action, a notice such as
 * a daemon restart, or an error. Messages expire (an answer from a minute ago
 * is no longer news) and a view change clears all but notices.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { StatusMessage, Tone } from './console-state.js';
import type { Console } from './console-store.js';

export interface MessageTtl {
  ok: number;
  error: number;
  notice: number;
}

export const DEFAULT_TTL_MS: MessageTtl = { ok: 8000, error: 20000, notice: 120000 };

export interface StatusSlice {
  message?: StatusMessage;
  messageTtlMs: MessageTtl;
  /** Says `text` on the status line. */
  say(text: string, tone?: Tone): void;
  /** An error, e.g. a refused key. */
  note(text: string): void;
  /** Drops the message unless it is a notice (on a view change). */
  clearMessage(): void;
}

/** The message to draw now, if it has not expired. */
export function currentMessage(m: StatusMessage | undefined, ttl: MessageTtl, now: number): StatusMessage | undefined {
  return m && now - m.at < ttl[m.tone] ? m : undefined;
}

export const createStatusSlice =
  (now: () => number, ttl: MessageTtl): StateCreator<Console, [], [], StatusSlice> =>
  (set, get) => {
    // A message goes from the screen when it expires, in a frame of its own (the screen is not redrawn each second for it).
    let expiry: NodeJS.Timeout | undefined;
    const show = (message: StatusMessage) => {
      clearTimeout(expiry);
      set({ message });
      expiry = setTimeout(() => {
        if (get().message === message) set({ message: undefined });
      }, ttl[message.tone]);
      expiry.unref();
    };
    return {
      messageTtlMs: ttl,
      say: (text, tone = 'ok') => show({ text, tone, at: now() }),
      note: (text) => show({ text, tone: 'error', at: now() }),
      clearMessage() {
        if (get().message?.tone !== 'notice') set({ message: undefined });
      },
    };
  };

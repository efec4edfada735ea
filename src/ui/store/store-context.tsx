/** The store reaches components through context; components select only what they draw. */
import { createContext, type ReactNode, useContext } from 'react';
import { useStore } from 'zustand';
import type { Console, ConsoleStore } from './console-store.js';

const StoreContext = createContext<ConsoleStore | undefined>(undefined);

export function StoreProvider({ store, children }: { store: ConsoleStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useConsole<T>(selector: (s: Console) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useConsole outside StoreProvider');
  return useStore(store, selector);
}

import { signal } from '@preact/signals';

/**
 * The function key the dashboard sends with changes. A deployed BotSociety asks for one on every write (reads stay
 * open); on this machine's devhost none is needed. Kept for the browser tab only (sessionStorage): a key on a shared
 * screen should not outlive the session.
 */
const STORAGE_KEY = 'botsociety.functionKey';

function stored(): string {
  try {
    return globalThis.sessionStorage?.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export const functionKey = signal(stored());

export function setFunctionKey(key: string): void {
  const value = key.trim();
  functionKey.value = value;
  try {
    if (value) globalThis.sessionStorage?.setItem(STORAGE_KEY, value);
    else globalThis.sessionStorage?.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the key still works until the tab reloads.
  }
}

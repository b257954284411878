// The console's language choice: remembered in this browser and announced on <html lang> for screen readers.
import type { ConsoleLanguage } from './i18n.ts';

export const languageStorageKey = 'svar.console.lng';

export function applyConsoleLanguage(lng: ConsoleLanguage): void {
  document.documentElement.lang = lng;
  document.documentElement.dir = 'ltr';
}

export function rememberConsoleLanguage(lng: ConsoleLanguage): void {
  try {
    localStorage.setItem(languageStorageKey, lng);
  } catch {
    // Private mode or storage disabled: the choice lasts for this page only.
  }
  applyConsoleLanguage(lng);
}

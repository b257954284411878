// The console's interface strings: locales/<nb|nn|en>/<namespace>.json through i18next and react-i18next. Each
// area of the console has its own namespace file, so that areas can be written and translated independently.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import enConsole from '../../../locales/en/console.json' with { type: 'json' };
import enFieldwork from '../../../locales/en/console-fieldwork.json' with { type: 'json' };
import enTranslations from '../../../locales/en/console-translations.json' with { type: 'json' };
import nbConsole from '../../../locales/nb/console.json' with { type: 'json' };
import nbFieldwork from '../../../locales/nb/console-fieldwork.json' with { type: 'json' };
import nbTranslations from '../../../locales/nb/console-translations.json' with { type: 'json' };
import nnConsole from '../../../locales/nn/console.json' with { type: 'json' };
import nnFieldwork from '../../../locales/nn/console-fieldwork.json' with { type: 'json' };
import nnTranslations from '../../../locales/nn/console-translations.json' with { type: 'json' };

export const consoleLanguages = ['nb', 'nn', 'en'] as const;
export type ConsoleLanguage = (typeof consoleLanguages)[number];
export const consoleNamespaces = ['console', 'console-fieldwork', 'console-translations'] as const;

/** The language the console starts in: the one chosen before (localStorage), else the browser's, else bokmål. */
export function initialConsoleLanguage(): ConsoleLanguage {
  const saved = globalThis.localStorage?.getItem('svar.console.lng');
  if (saved && (consoleLanguages as readonly string[]).includes(saved)) return saved as ConsoleLanguage;
  const browser = navigator.language.toLowerCase();
  if (browser.startsWith('nn')) return 'nn';
  if (browser.startsWith('en')) return 'en';
  return 'nb';
}

export async function initConsoleI18n(lng: ConsoleLanguage) {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng,
    fallbackLng: 'nb',
    keySeparator: false,
    nsSeparator: false,
    ns: [...consoleNamespaces],
    defaultNS: 'console',
    resources: {
      nb: { console: nbConsole, 'console-fieldwork': nbFieldwork, 'console-translations': nbTranslations },
      nn: { console: nnConsole, 'console-fieldwork': nnFieldwork, 'console-translations': nnTranslations },
      en: { console: enConsole, 'console-fieldwork': enFieldwork, 'console-translations': enTranslations },
    },
    interpolation: { escapeValue: false },
  });
  return instance;
}

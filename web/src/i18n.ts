// Interface strings from locales/<lng>/<namespace>.json through i18next; bokmål is the source language.
import i18next from 'i18next';
import enStaff from '../../locales/en/staff.json' with { type: 'json' };
import nbStaff from '../../locales/nb/staff.json' with { type: 'json' };

export async function initI18n(lng: string) {
  await i18next.init({
    lng,
    fallbackLng: 'nb',
    keySeparator: false,
    nsSeparator: false,
    defaultNS: 'staff',
    resources: { nb: { staff: nbStaff }, en: { staff: enStaff } },
    interpolation: { escapeValue: false },
  });
  return i18next;
}

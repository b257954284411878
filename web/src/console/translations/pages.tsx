// The translation review screens the console's router wires (routes /translations and
// /translations/$instrumentId/$version/$locale).
export { TranslationStringsPage } from './strings-page.tsx';
export { TranslationsPage } from './translations-page.tsx';

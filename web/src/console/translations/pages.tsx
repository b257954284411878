// Placeholder until the translation review screens land: the console's router imports these names.
export function TranslationsPage() {
  return null;
}
export function TranslationStringsPage(_: { instrumentId: string; version: number; locale: string }) {
  return null;
}

// The two definition properties an import adds, registered with survey-core so a definition carrying them loads
// without "unknown property": a question's name as the SurveyJS author wrote it, and the author's own custom
// properties that Svar keeps (e.g. a `score` on each choice) without survey-core knowing them.
import { Serializer } from './survey-model.ts';

type Json = Record<string, unknown>;
/** survey-core class → custom property names the instrument carries on purpose. */
export type CustomProperties = Record<string, string[]>;

let registered = false;

export function registerImportProperties(): void {
  if (registered) return;
  registered = true;
  Serializer.addProperty('question', { name: 'svarSourceName', visible: false });
  Serializer.addProperty('survey', { name: 'svarCustomProperties:object', visible: false });
}

registerImportProperties();

const unknownProperty = /^Unknown property in class '([^']+)': '([^']+)'/;

/** The class and property of a survey-core "unknown property" error, or null for any other error. */
export function unknownPropertyOf(message: string): { cls: string; property: string } | null {
  const m = message.match(unknownProperty);
  return m ? { cls: m[1]!, property: m[2]! } : null;
}

/** True when a survey-core error only says the definition carries a custom property it declared. */
export function isDeclaredCustomProperty(definition: Json, message: string): boolean {
  const p = unknownPropertyOf(message);
  const declared = definition.svarCustomProperties as CustomProperties | undefined;
  return !!p && !!declared && Array.isArray(declared[p.cls]) && declared[p.cls]!.includes(p.property);
}

// survey-core set up the Svar way: our custom properties and the interface languages SurveyJS lacks.
import { Serializer } from 'survey-core';

let registered = false;

/** Registers Svar's own definition properties once, so survey-core loads them without "unknown property". */
export function registerSvarProperties(): void {
  if (registered) return;
  registered = true;
  // A municipal-survey section the chief executive can hand to a colleague.
  Serializer.addProperty('page', { name: 'delegable:boolean', default: false });
  // Which module a page came from, written by the compiler.
  Serializer.addProperty('page', { name: 'svarModule', visible: false });
  // Choices filled by the compiler from reference data (e.g. municipalities), never translated.
  Serializer.addProperty('selectbase', { name: 'svarChoicesFrom', visible: false });
}

registerSvarProperties();

export { Serializer };

// Plausible, seeded answers to the participant survey's compiled definition for the demo's synthetic wave: every
// value is one of the question's own codes, visibleIf conditions are honoured, and one latent satisfaction per
// respondent (shifted by county) moves the scales together, so estimates differ between strata as real ones do.
import { ConditionRunner } from 'survey-core';

type Json = Record<string, unknown>;
export type Rng = () => number;

export interface SyntheticRespondent {
  municipalityCode: string;
  locale: string;
  /** Centre of the respondent's 1–5 agreement and satisfaction answers. */
  satisfaction: number;
}

export interface PageAnswers {
  page: string;
  answers: Json;
}

/** The participant survey's missing codes (instrument.json): 97 does not apply, 98 don't know. */
const doesNotApply = 97;
const dontKnow = 98;

/** Frequency of a difficulty ("never" … "always"): a satisfied participant reports it less often. */
const worseIsHigher = new Set([
  'p_life_health',
  'p_life_family_worry',
  'p_life_childcare',
  'p_life_transport',
  'p_life_money',
]);

/** Free-text comments, only where we can write them well; each says it is synthetic. */
const comments: Record<string, string[]> = {
  nb: [
    'Syntetisk svar: Norskkurset er bra, men jeg vil gjerne ha mer arbeidspraksis.',
    'Syntetisk svar: Det er vanskelig å få barnehageplass, så jeg mister timer.',
    'Syntetisk svar: Programrådgiveren min hjelper meg mye.',
  ],
  en: [
    'Synthetic answer: The Norwegian classes are good, but I would like more work practice.',
    'Synthetic answer: I need more help to find a job after the programme.',
  ],
};

function normal(rng: Rng): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const pick = <T>(rng: Rng, xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;

function codesOf(q: Json): (number | string)[] {
  return ((q.choices as unknown[] | undefined) ?? []).map((c) =>
    c && typeof c === 'object' ? ((c as Json).value as number | string) : (c as number | string),
  );
}

function answerOne(q: Json, who: SyntheticRespondent, rng: Rng): unknown {
  const name = String(q.name);
  if (q.type === 'text' && q.inputType === 'number') {
    const min = Number(q.min ?? 0);
    const max = Number(q.max ?? 36);
    return min + Math.floor(rng() * (max - min + 1));
  }
  if (q.type === 'comment' || q.type === 'text') {
    const texts = comments[who.locale];
    return texts && rng() < 0.2 ? pick(rng, texts) : undefined;
  }
  const codes = codesOf(q);
  if (codes.includes(who.municipalityCode)) return who.municipalityCode;
  const substantive = codes.filter((c) => c !== doesNotApply && c !== dontKnow);
  if (substantive.length === 0) return undefined;
  if (q.type === 'checkbox') {
    // The first choice is the programme's core (Norwegian classes) or the commonest one.
    const chosen = substantive.filter((_, i) => rng() < (i === 0 ? 0.9 : 0.3));
    return chosen.length ? chosen : [substantive[0]];
  }
  if (codes.includes(doesNotApply) && rng() < 0.2) return doesNotApply;
  if (codes.includes(dontKnow) && rng() < 0.04) return dontKnow;
  const isScale = substantive.length === 5 && substantive.every((c, i) => c === i + 1);
  if (isScale) {
    const centre = worseIsHigher.has(name) ? 6 - who.satisfaction : who.satisfaction;
    return Math.min(5, Math.max(1, Math.round(centre + 0.9 * normal(rng))));
  }
  const isYesNo = substantive.length === 2 && substantive[0] === 1 && substantive[1] === 2;
  if (isYesNo) return rng() < 0.55 + 0.08 * (who.satisfaction - 3) ? 1 : 2;
  return pick(rng, substantive);
}

/**
 * The answers one respondent gives, page by page in the questionnaire's order. Conditions are evaluated on the
 * answers given so far, so a question hidden by an earlier answer stays unanswered, as on the real page.
 */
export function syntheticAnswers(definition: Json, who: SyntheticRespondent, rng: Rng): PageAnswers[] {
  const values: Json = {};
  const visible = (e: Json) =>
    typeof e.visibleIf !== 'string' || new ConditionRunner(e.visibleIf).runValues(values);
  const walk = (elements: unknown, out: Json) => {
    for (const e of (elements as Json[] | undefined) ?? []) {
      if (!visible(e)) continue;
      if (Array.isArray(e.elements)) walk(e.elements, out);
      if (typeof e.name !== 'string' || ['html', 'image', 'expression', 'panel'].includes(String(e.type)))
        continue;
      const value = answerOne(e, who, rng);
      if (value === undefined) continue;
      out[e.name] = value;
      values[e.name] = value;
    }
  };
  const pages: PageAnswers[] = [];
  for (const page of (definition.pages as Json[] | undefined) ?? []) {
    if (!visible(page)) continue;
    const answers: Json = {};
    walk(page.elements, answers);
    if (Object.keys(answers).length) pages.push({ page: String(page.name), answers });
  }
  return pages;
}

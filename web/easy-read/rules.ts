/**
 * The rules of Leichte Sprache the easy-read texts and the generated summaries are held to (issue 19), as far as a
 * program can check them: short sentences, one statement each (no clause joined by a comma, semicolon or
 * subordinating word), no passive (no form of "werden"; in English a form of "be" with a past participle), numbers
 * as digits (no number words). Used by the tests.
 */

const MAX_WORDS = 12;
const NUMBER_WORDS_DE = /\b(eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|hundert|tausend)\b/i;
const NUMBER_WORDS_EN = /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand)\b/i;
const PASSIVE_DE = /\b(werde|wirst|wird|werden|werdet|wurde|wurden|wurdest|worden)\b/i;
const PASSIVE_EN =
  /\b(is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?(\w+ed|done|made|given|taken|shown|known|seen|written|found|kept|left|built|run|held|paid|sent|told)\b/i;
const SUBORDINATE_DE = /\b(dass|weil|obwohl|wenn|falls|damit|sodass|nachdem|welche[rsnm]?)\b/i;
const SUBORDINATE_EN = /\b(that|because|although|which|whom|whose)\b/i;

/** What a sentence breaks of the rules; empty when it keeps them. */
export function problems(sentence: string, lang: 'de' | 'en'): string[] {
  const found: string[] = [];
  const words = sentence.split(/\s+/).filter((w) => /\p{L}|\d/u.test(w));
  if (words.length > MAX_WORDS) found.push(`${words.length} words (at most ${MAX_WORDS})`);
  if (!/[.?!]$/.test(sentence)) found.push('does not end as a sentence');
  if ((sentence.match(/[.?!](\s|$)/g) ?? []).length > 1) found.push('more than one sentence');
  if (/[;]/.test(sentence) || /,\s*(und|aber|oder|and|but|or)\b/.test(sentence)) found.push('two statements joined');
  if ((lang === 'de' ? NUMBER_WORDS_DE : NUMBER_WORDS_EN).test(sentence)) found.push('a number written as a word');
  if ((lang === 'de' ? PASSIVE_DE : PASSIVE_EN).test(sentence)) found.push('passive voice');
  if ((lang === 'de' ? SUBORDINATE_DE : SUBORDINATE_EN).test(sentence)) found.push('a subordinate clause');
  return found;
}

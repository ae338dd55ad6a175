/**
 * The numbered source list of a council page. Every figure on the page cites one or more sources; each source
 * gets a number the first time a figure cites it, in the order the figures appear, and the list at the end of
 * the page (and of the printout) explains the numbers. Pure: citations in, numbers and entries out.
 *
 * Two citations are the same source when they have the same source id and the same address: a published value
 * taken from a particular web page is its own entry, so that a reader can find the page.
 */

export interface Citation {
  /** The source's id (as in /api/sources). */
  id: string;
  title: string;
  /** Where the value or the source can be found; null when unknown. */
  url: string | null;
  /** The document a published value was taken from, when the source is a collection of such values. */
  label?: string;
}

export interface SourceEntry extends Citation {
  number: number;
  key: string;
}

export interface NumberedSources {
  entries: SourceEntry[];
  /** The numbers of the given citations, in the list, without repeats, ascending. */
  numbersOf(citations: readonly (Citation | null | undefined)[]): number[];
}

export function citationKey(citation: Citation): string {
  return `${citation.id}\u0000${citation.url ?? ''}`;
}

/** Numbers the citations in the order given (the order of the page), each source once. */
export function numberSources(citations: Iterable<Citation | null | undefined>): NumberedSources {
  const byKey = new Map<string, SourceEntry>();
  for (const citation of citations) {
    if (!citation) continue;
    const key = citationKey(citation);
    if (!byKey.has(key)) byKey.set(key, { ...citation, key, number: byKey.size + 1 });
  }
  const entries = [...byKey.values()];
  return {
    entries,
    numbersOf(list) {
      const numbers = new Set<number>();
      for (const citation of list) {
        if (!citation) continue;
        const entry = byKey.get(citationKey(citation));
        if (entry) numbers.add(entry.number);
      }
      return [...numbers].sort((a, b) => a - b);
    },
  };
}

/** "[1]", "[1, 3]", "[2–4]": the reference marks of a figure. Empty for none. */
export function formatReference(numbers: readonly number[]): string {
  if (numbers.length === 0) return '';
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0] as number;
  let previous = start;
  for (const n of [...sorted.slice(1), Number.NaN]) {
    if (n === previous + 1) {
      previous = n;
      continue;
    }
    parts.push(
      previous - start >= 2 ? `${start}–${previous}` : start === previous ? `${start}` : `${start}, ${previous}`,
    );
    start = n;
    previous = n;
  }
  return `[${parts.join(', ')}]`;
}

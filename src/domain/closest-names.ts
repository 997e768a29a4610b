/** Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions): typos like "amce". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to what was typed, best first: those containing the query, then those within a
 * few typos of it (by key or by name), so a miss still points at the account that was meant.
 */
export function closestNames<T extends { key: string; name: string }>(
  query: string,
  candidates: T[],
  limit = 3,
): T[] {
  const q = query.toLowerCase();
  const budget = Math.max(1, Math.floor(q.length / 3));
  return candidates
    .map((c) => {
      const key = c.key.toLowerCase();
      const name = c.name.toLowerCase();
      const contains = key.includes(q) || name.includes(q);
      const distance = Math.min(
        editDistance(q, key),
        editDistance(q, name),
        editDistance(q, name.slice(0, q.length)),
      );
      return { c, rank: contains ? 0 : distance };
    })
    .filter((x) => x.rank <= budget)
    .sort((x, y) => x.rank - y.rank || x.c.key.localeCompare(y.c.key))
    .slice(0, limit)
    .map((x) => x.c);
}

/** "Did you mean": the candidate closest to a mistyped word, if it is close enough to be the likely intent. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.toLowerCase();
    // A prefix ("mod" for "models") is as good as a near miss, but not as the word itself ("Data": data, not dataset).
    const distance = c === w ? 0 : c.startsWith(w) && w.length >= 2 ? 1 : editDistance(w, c);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  // A third of the word may be wrong ("trian" → "train", "lst" → "list"), but at least one letter right.
  return best && best.distance <= Math.max(1, Math.floor(word.length / 3)) && best.distance < word.length
    ? best.candidate
    : undefined;
}

/** ` Did you mean "x"?` or nothing. */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  show: (c: string) => string = (c) => c,
): string {
  const match = closest(word, candidates);
  return match ? ` Did you mean "${show(match)}"?` : '';
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

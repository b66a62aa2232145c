/**
 * The candidate nearest to `word` by edit distance, when it is near enough
 * to be a likely typo: at most a third of the word's letters wrong, and
 * never more than 3.
 *
 * @example closestName('tkae', ['take', 'wait']) // 'take'
 */
export function closestName(
  word: string,
  candidates: readonly string[],
): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;

  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());

    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }

  return bestDistance <= limit ? best : undefined;
}

// Damerau-Levenshtein in its restricted form: a swap of two neighbouring
// letters ("tkae") is one mistake, as a typist makes it, not two.
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];

  for (let i = 0; i <= a.length; i++) {
    const row = [i];

    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        rows[i - 1]![j]! + 1,
        row[j - 1]! + 1,
        rows[i - 1]![j - 1]! + cost,
      );

      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      row.push(distance);
    }
    rows.push(row);
  }

  return rows[a.length]![b.length]!;
}

/**
 * "Did you mean …?": the closest of a list of names to what was typed, when it
 * is close enough to be a typo (a command, an option, a preset, a value).
 */

/** Edit distance, for "did you mean". */
const distance = (a: string, b: string): number => {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const here = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = here
    }
  }
  return row[b.length]!
}

/** The closest of `names` to `typed`, if it is close enough to be what was meant. */
export const closest = (typed: string, names: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestDistance = Infinity
  for (const name of names) {
    const d = distance(typed, name)
    if (d < bestDistance) [best, bestDistance] = [name, d]
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined
}

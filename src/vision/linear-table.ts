/**
 * A measured table read as a function: keys are numbers written as strings (`{"24": 0.65, "48":
 * 0.68}`, as the manifest and the light tables store them), values what was measured there. In
 * between two keys the value is linear; outside them, the nearest key's. The face size rule
 * (`vote-weight.ts`) and the light rules (`light-measure.ts`, `vote-weight.ts`) all read theirs so.
 */

/**
 * The function through `table`'s points, sorted once. Throws a `RangeError` saying `what` the
 * table should list for an empty table.
 */
export function linearTable(table: Readonly<Record<string, number>>, what: string): (x: number) => number {
  const points = Object.entries(table)
    .map(([key, value]) => ({ x: Number(key), y: value }))
    .sort((a, b) => a.x - b.x);
  const first = points[0];
  if (first === undefined) throw new RangeError(`Expected ${what}, got none`);
  // Read for every face a frame holds: no allocation on the way.
  return (x) => {
    let lo = first;
    if (!(x > lo.x)) return lo.y;
    for (let i = 1; i < points.length; i++) {
      const hi = points[i]!;
      if (x <= hi.x) return lo.y + ((hi.y - lo.y) * (x - lo.x)) / (hi.x - lo.x);
      lo = hi;
    }
    return lo.y;
  };
}

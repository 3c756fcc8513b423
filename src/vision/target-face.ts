/**
 * The signed-in person's face among several: the largest, centred one (its area, less the further
 * its centre is from the frame's). -1 for none.
 */
export function targetFace(
  boxes: readonly { x: number; y: number; width: number; height: number }[],
  width: number,
  height: number,
): number {
  let best = -1;
  let bestScore = -Infinity;
  boxes.forEach((b, i) => {
    const dx = (b.x + b.width / 2 - width / 2) / (width / 2);
    const dy = (b.y + b.height / 2 - height / 2) / (height / 2);
    const score = b.width * b.height * Math.max(0.1, 1 - Math.hypot(dx, dy) / Math.SQRT2);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

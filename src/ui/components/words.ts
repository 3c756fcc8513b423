/** `text` with its first letter upper-case: "fits happy" → "Fits happy". */
export function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** `text` as a sentence: upper-case first letter, a full stop unless it already ends one ("fits happy" → "Fits happy."). */
export function sentence(text: string): string {
  return `${capitalize(text)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

// Literal text inside a regular expression.

/** `text` with every character a regular expression gives a meaning escaped: it matches itself only. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

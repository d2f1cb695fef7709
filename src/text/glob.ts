// Globs for check ids and target names: `*` is the only wildcard, matched without a regular
// expression (configs and recordings are untrusted input).

/**
 * A check id or target name against a pattern with `*` globs (`local.*`, `prod-*`). Linear, without
 * a regular expression: patterns come from configs and recordings, and a backtracking regex on
 * `*a*a*a*…b` spins for minutes. Each literal piece is matched at its leftmost place, which is
 * enough when `*` is the only wildcard.
 */
export function matchesPattern(value: string, pattern: string): boolean {
  if (!pattern.includes('*')) return value === pattern;
  const pieces = pattern.split('*');
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    if (!piece) continue;
    const found = value.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

// JSON from outside (a config, a recording): where its text breaks, and what counts as an object.
// The one place for both: a config file, discover's config and a recorded report say a syntax error
// the same way (the reason, line and column from 1, the byte offset).
import { printParseErrorCode, visit, type ParseErrorCode } from 'jsonc-parser';

/**
 * Where `text` breaks; `error` is what JSON.parse threw for it (its reason stands in when the scanner
 * finds none). jsonc-parser's visitor scans without building the value: one pass, also for a large
 * recording.
 */
export function describeJsonError(text: string, error: Error): string {
  let first: { code: ParseErrorCode; offset: number } | undefined;
  visit(text, { onError: (code, offset) => void (first ??= { code, offset }) }, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const reason = first ? printParseErrorCode(first.code).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : error.message;
  const offset = first?.offset ?? Number(/position (\d+)/.exec(error.message)?.[1] ?? NaN);
  if (Number.isNaN(offset)) return reason;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column} (offset ${Buffer.byteLength(before)})`;
}

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// report.json: the RunReport exactly, as one string or in pieces (a fleet's report is large), and as
// written to a file: with every secret the scrubber knows replaced.
import type { RunReport } from '../src/engine/types.js';
import { scrubSecrets } from '../src/text/secrets.js';

/** The JSON report: the RunReport exactly. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The same text as renderJson, in pieces (one per target and per fact): a fleet's report is written
 * without holding it whole in memory twice (as a string, then as bytes). Each piece is stringified
 * inside a wrapper that puts it at its depth in the document (two levels), so JSON.stringify
 * indents it as the whole document would and the wrapper's text is cut off.
 */
export function* renderJsonChunks(report: RunReport): Generator<string> {
  const members = Object.entries(report).filter(([, value]) => value !== undefined);
  yield '{';
  for (const [i, [key, value]] of members.entries()) {
    yield `${i ? ',' : ''}\n  ${JSON.stringify(key)}: `;
    const list = Array.isArray(value);
    const items: Array<[string | undefined, unknown]> =
      list ? value.map((v: unknown) => [undefined, v]) : value && typeof value === 'object' ? Object.entries(value).filter(([, v]) => v !== undefined) : [];
    if ((list || (value && typeof value === 'object')) && items.length) {
      yield list ? '[' : '{';
      for (const [j, [name, item]] of items.entries()) {
        const text = name === undefined ? atDepth2(JSON.stringify({ x: [item] }, null, 2), LIST_HEAD, LIST_TAIL) : atDepth2(JSON.stringify({ x: { [name]: item } }, null, 2), MAP_HEAD, MAP_TAIL);
        yield `${j ? ',' : ''}\n    ${text}`;
      }
      yield `\n  ${list ? ']' : '}'}`;
    } else {
      yield JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    }
  }
  yield '\n}\n';
}

// `{ x: [item] }` and `{ x: { name: item } }` as JSON.stringify(…, null, 2) writes them around the item.
const LIST_HEAD = '{\n  "x": [\n    ';
const LIST_TAIL = '\n  ]\n}';
const MAP_HEAD = '{\n  "x": {\n    ';
const MAP_TAIL = '\n  }\n}';

function atDepth2(text: string, head: string, tail: string): string {
  return text.slice(head.length, text.length - tail.length);
}

/**
 * report.json as written: the RunReport's text with every secret the scrubber knows replaced (a
 * service that echoed a header or a connection string into an error message, a token the run
 * obtained). The replacements hold no quote or backslash, so the JSON stays valid.
 */
export function* renderWrittenJson(report: RunReport): Generator<string> {
  for (const piece of renderJsonChunks(report)) yield scrubSecrets(piece);
}

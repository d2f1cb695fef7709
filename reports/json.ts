// report.json: the RunReport exactly, as one string or in pieces (a fleet's report is large), and as
// written to a file: with every secret the scrubber knows replaced.
import type { RunReport, TargetReport } from '../src/engine/types.js';
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
  for (const [text] of jsonPieces(report)) yield text;
}

/**
 * The texts of targets written already, as each finished (reports/stream.ts): the text of
 * `report.targets[index]`, scrubbed, or undefined when it was not written (then it is rendered here).
 */
export interface WrittenTargets {
  text(index: number, target: TargetReport): string | undefined;
}

export interface JsonOptions {
  /** Targets written as they finished: their text is taken from there instead of rendered again. */
  writtenTargets?: WrittenTargets;
}

/** The pieces of report.json, each with whether it is scrubbed already (a target's text written as it finished). */
function* jsonPieces(report: RunReport, written?: WrittenTargets): Generator<[text: string, scrubbed: boolean]> {
  const members = Object.entries(report).filter(([, value]) => value !== undefined);
  yield ['{', false];
  for (const [i, [key, value]] of members.entries()) {
    yield [`${i ? ',' : ''}\n  ${JSON.stringify(key)}: `, false];
    const list = Array.isArray(value);
    const items: Array<[string | undefined, unknown]> =
      list ? value.map((v: unknown) => [undefined, v]) : value && typeof value === 'object' ? Object.entries(value).filter(([, v]) => v !== undefined) : [];
    if ((list || (value && typeof value === 'object')) && items.length) {
      yield [list ? '[' : '{', false];
      const targets = key === 'targets' && list ? written : undefined;
      for (const [j, [name, item]] of items.entries()) {
        const done = targets?.text(j, item as TargetReport);
        const text = done ?? (name === undefined ? listItemText(item) : atDepth2(JSON.stringify({ x: { [name]: item } }, null, 2), MAP_HEAD, MAP_TAIL));
        yield [`${j ? ',' : ''}\n    ${text}`, done !== undefined];
      }
      yield [`\n  ${list ? ']' : '}'}`, false];
    } else {
      yield [JSON.stringify(value, null, 2).replace(/\n/g, '\n  '), false];
    }
  }
  yield ['\n}\n', false];
}

/** One item of a top-level list (a target) as it stands in report.json. */
function listItemText(item: unknown): string {
  return atDepth2(JSON.stringify({ x: [item] }, null, 2), LIST_HEAD, LIST_TAIL);
}

/** A target's text as report.json holds it, scrubbed: what reports/stream.ts writes as the target finishes. */
export function writtenTargetText(target: TargetReport): string {
  return scrubSecrets(listItemText(target));
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
 * obtained). The replacements hold no quote or backslash, so the JSON stays valid. A target written
 * as it finished (`writtenTargets`) was scrubbed then, and is not scanned again.
 */
export function* renderWrittenJson(report: RunReport, options: JsonOptions = {}): Generator<string> {
  for (const [text, scrubbed] of jsonPieces(report, options.writtenTargets)) yield scrubbed ? text : scrubSecrets(text);
}

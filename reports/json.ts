// report.json: the RunReport exactly, as one string or in pieces (a fleet's report is large), and as
// written to a file: with every secret the scrubber knows replaced.
import type { RecordedFact, RunReport, TargetReport } from '../src/engine/types.js';
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
  // Without written parts every piece is text.
  for (const [text] of jsonPieces(report)) if (typeof text === 'string') yield text;
}

/**
 * The parts of report.json written already, as the run went (reports/stream.ts), each scrubbed:
 * targets as each finished, and the facts the run put aside (engine/run.ts, FactSpill). A part comes
 * back as the UTF-8 bytes written (passed to the file as they are), or as text when it had to be
 * scrubbed again. Bytes are valid until the next part is asked for (the spool reads every part into
 * one buffer): a reader of the renderer's pieces uses each before it takes the next (formats.ts).
 */
export interface WrittenParts {
  /** The text of `report.targets[index]`, or undefined when it was not written (then it is rendered here). */
  targetText(index: number, target: TargetReport): string | Uint8Array | undefined;
  /** The keys of the facts written aside (the report's own `facts` list only the others). */
  factKeys(): Iterable<string>;
  /** The text of the fact written aside under `key`, as a member of `facts`. */
  factText(key: string): string | Uint8Array | undefined;
}

export interface JsonOptions {
  /** Parts written as the run went: taken from there instead of rendered again. */
  written?: WrittenParts;
}

/** The pieces of report.json, each with whether it is scrubbed already (a part written as the run went). */
function* jsonPieces(report: RunReport, written?: WrittenParts): Generator<[text: string, scrubbed: false] | [text: string | Uint8Array, scrubbed: true]> {
  const members = Object.entries(report).filter(([, value]) => value !== undefined);
  yield ['{', false];
  for (const [i, [key, value]] of members.entries()) {
    yield [`${i ? ',' : ''}\n  ${JSON.stringify(key)}: `, false];
    const list = Array.isArray(value);
    const items: Array<[string | undefined, unknown]> =
      list ? value.map((v: unknown) => [undefined, v]) : value && typeof value === 'object' ? Object.entries(value).filter(([, v]) => v !== undefined) : [];
    const asideFacts = key === 'facts' && written ? factsWithWritten(items, written) : [];
    if (written && asideFacts.length) {
      yield ['{', false];
      for (const [j, [name, item, aside]] of asideFacts.entries()) {
        yield [`${j ? ',' : ''}\n    `, false];
        // Read back one at a time, as written: the facts put aside never sit in memory together.
        if (aside) yield [writtenFact(written, name), true];
        else yield [mapItemText(name, item), false];
      }
      yield ['\n  }', false];
    } else if ((list || (value && typeof value === 'object')) && items.length) {
      yield [list ? '[' : '{', false];
      const targets = key === 'targets' && list ? written : undefined;
      for (const [j, [name, item]] of items.entries()) {
        yield [`${j ? ',' : ''}\n    `, false];
        const done = targets?.targetText(j, item as TargetReport);
        if (done !== undefined) yield [done, true];
        else yield [name === undefined ? listItemText(item) : mapItemText(name, item), false];
      }
      yield [`\n  ${list ? ']' : '}'}`, false];
    } else {
      yield [JSON.stringify(value, null, 2).replace(/\n/g, '\n  '), false];
    }
  }
  yield ['\n}\n', false];
}

/**
 * The report's facts and the keys of the facts written aside, in the order the run sorts its facts
 * (engine/run.ts, sortKeys); `aside` marks the ones to read back. A fact in both (read back for a
 * later target) is the report's.
 */
function factsWithWritten(items: Array<[string | undefined, unknown]>, written: WrittenParts): Array<[name: string, item: unknown, aside: boolean]> {
  const kept = new Set(items.map(([name]) => name));
  const all: Array<[string, unknown, boolean]> = items.map(([name, item]) => [name ?? '', item, false]);
  for (const key of written.factKeys()) if (!kept.has(key)) all.push([key, undefined, true]);
  return all.sort(([a], [b]) => a.localeCompare(b));
}

/** A fact written aside, read back. The run kept no other copy: a report without it would be incomplete, so the write fails. */
function writtenFact(written: WrittenParts, key: string): string | Uint8Array {
  const text = written.factText(key);
  if (text === undefined) throw new Error(`report.json: the fact ${key}, written aside during the run, could not be read back`);
  return text;
}

/**
 * One member of a top-level object (a fact) as it stands in report.json. The wrapper's key is a
 * constant and the member's name is quoted on its own, as JSON.stringify quotes a key: a fact's key
 * is a long name (resource ids) used once, and an object built with it gave V8 a new hidden class
 * and a new entry in its string table for every fact, which doubled the cost of its text.
 */
function mapItemText(name: string, item: unknown): string {
  return JSON.stringify(name) + atDepth2(JSON.stringify({ x: { k: item } }, null, 2), MAP_MEMBER_HEAD, MAP_TAIL);
}

/** One item of a top-level list (a target) as it stands in report.json. */
function listItemText(item: unknown): string {
  return atDepth2(JSON.stringify({ x: [item] }, null, 2), LIST_HEAD, LIST_TAIL);
}

/** A target's text as report.json holds it, scrubbed: what reports/stream.ts writes as the target finishes. */
export function writtenTargetText(target: TargetReport): string {
  return scrubSecrets(listItemText(target));
}

/** A fact's text as a member of report.json's `facts`, scrubbed: what reports/stream.ts writes for a fact put aside. */
export function writtenFactText(key: string, fact: RecordedFact): string {
  return scrubSecrets(mapItemText(key, fact));
}

/** A fact read back from its written text (writtenFactText): the same value, as JSON keeps it. */
export function factFromText(key: string, text: string): RecordedFact | undefined {
  const parsed: unknown = JSON.parse(`{${text}}`);
  const fact = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[key] : undefined;
  return fact && typeof fact === 'object' ? (fact as RecordedFact) : undefined;
}

// `{ x: [item] }` and `{ x: { name: item } }` as JSON.stringify(…, null, 2) writes them around the item.
const LIST_HEAD = '{\n  "x": [\n    ';
const LIST_TAIL = '\n  ]\n}';
const MAP_MEMBER_HEAD = '{\n  "x": {\n    "k"';
const MAP_TAIL = '\n  }\n}';

function atDepth2(text: string, head: string, tail: string): string {
  return text.slice(head.length, text.length - tail.length);
}

/**
 * report.json as written: the RunReport's text with every secret the scrubber knows replaced (a
 * service that echoed a header or a connection string into an error message, a token the run
 * obtained). The replacements hold no quote or backslash, so the JSON stays valid. A part written
 * as the run went (`written`) was scrubbed then, and is not scanned again.
 */
export function* renderWrittenJson(report: RunReport, options: JsonOptions = {}): Generator<string | Uint8Array> {
  for (const piece of jsonPieces(report, options.written)) yield piece[1] ? piece[0] : scrubSecrets(piece[0]);
}

// report.json written as the run goes (issue 19 item 4): a target's text is rendered and scrubbed
// when the engine is done with it (the `target-end` event), and the facts only that target used
// leave memory the same way (engine/run.ts, FactSpill); both are appended to a spool file beside the
// report directory and read back, in the report's order, when report.json is written. The file is
// the same, byte for byte, as the whole report rendered at the end (test/unit/reports/stream.test.ts);
// what the run keeps grows with its shared facts and verdicts, not with every target's evidence.
// The spool is private (0700 folder, 0600 file), holds only scrubbed text, and is removed when the
// reports are written.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { FactSpill } from '../src/engine/run.js';
import type { RecordedFact, TargetReport } from '../src/engine/types.js';
import { scrubSecrets, secretsGeneration } from '../src/text/secrets.js';
import { factFromText, writtenFactText, writtenTargetText, type WrittenParts } from './json.js';

export interface ReportSpool extends WrittenParts, FactSpill {
  /** Renders, scrubs and appends the text of the target at `index` of the report's targets. */
  addTarget(index: number, target: TargetReport): void;
  /** Removes the spool (after the reports are written, or when the run fails). */
  dispose(): Promise<void>;
}

/** Where a text lies in the spool file. */
interface Span {
  position: number;
  bytes: number;
  /** The registered secrets' generation the text was scrubbed under. */
  generation: number;
}

/**
 * Opens a spool for the report directory `dir` (which ensureWritableDir has made): a folder beside
 * it (`.out.spool.xtd-*`, named apart from the staging folder `.out.xtd-*` that appears when the
 * set is written), else inside it. Writes are synchronous and small (one
 * target or one fact): the text leaves memory as it is made. A target whose write fails (a full
 * disk) is rendered at the end, as before; a fact whose write fails stays in memory.
 */
export async function openReportSpool(dir: string): Promise<ReportSpool> {
  const target = resolve(dir);
  const folder =
    (await mkdtemp(join(dirname(target), `.${basename(target)}.spool.xtd-`)).catch(() => undefined)) ?? (await mkdtemp(join(target, '.xtd-spool-')));
  let fd: number | undefined = openSync(join(folder, 'report.json.part'), 'wx+', 0o600);
  /** Each target's span, with the object rendered: a report holding another object at that index renders it itself. */
  const targets = new Map<number, Span & { target: TargetReport }>();
  const facts = new Map<string, Span>();
  let end = 0;

  /** One buffer for every write and read back (grown to the largest text): no native buffer per target or fact. */
  let buffer = Buffer.allocUnsafe(1 << 16);
  const room = (bytes: number) => {
    if (buffer.length < bytes) buffer = Buffer.allocUnsafe(Math.max(bytes, 2 * buffer.length));
  };
  const append = (text: string): Span | undefined => {
    if (fd === undefined) return undefined;
    const generation = secretsGeneration();
    const bytes = Buffer.byteLength(text, 'utf8');
    room(bytes);
    buffer.write(text, 0, 'utf8');
    try {
      for (let done = 0; done < bytes; ) done += writeSync(fd, buffer, done, bytes - done, end + done);
    } catch {
      return undefined;
    }
    const span = { position: end, bytes, generation };
    end += bytes;
    return span;
  };
  const read = (span: Span | undefined): string | undefined => {
    if (fd === undefined || !span) return undefined;
    room(span.bytes);
    try {
      for (let done = 0; done < span.bytes; ) {
        const got = readSync(fd, buffer, done, span.bytes - done, span.position + done);
        if (got === 0) return undefined;
        done += got;
      }
    } catch {
      return undefined;
    }
    const text = buffer.toString('utf8', 0, span.bytes);
    // A secret registered after the text was written (a token obtained later) is replaced now.
    return span.generation === secretsGeneration() ? text : scrubSecrets(text);
  };

  return {
    addTarget(index, report) {
      const span = append(writtenTargetText(report));
      if (span) targets.set(index, { ...span, target: report });
    },
    targetText(index, report) {
      const span = targets.get(index);
      return span?.target === report ? read(span) : undefined;
    },
    put(memoKey: string, fact: RecordedFact) {
      const span = append(writtenFactText(memoKey, fact));
      if (span) facts.set(memoKey, span);
      return span !== undefined;
    },
    get(memoKey) {
      const text = read(facts.get(memoKey));
      return text === undefined ? undefined : factFromText(memoKey, text);
    },
    factKeys: () => facts.keys(),
    factText: (key) => read(facts.get(key)),
    async dispose() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      targets.clear();
      facts.clear();
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

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

/** The spool writes in batches of this many bytes. */
const SPOOL_BATCH = 1 << 16;

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
 * set is written), else inside it. Writes are synchronous, in batches of 64 KB: the text leaves
 * memory soon after it is made. When the file refuses a write (a full disk), the spool stops: the
 * targets are rendered at the end, as before, and a fact the spool has not taken stays in memory;
 * one it had taken but lost fails the report's write (json.ts), which names it.
 */
export async function openReportSpool(dir: string): Promise<ReportSpool> {
  const target = resolve(dir);
  const folder =
    (await mkdtemp(join(dirname(target), `.${basename(target)}.spool.xtd-`)).catch(() => undefined)) ?? (await mkdtemp(join(target, '.xtd-spool-')));
  let fd: number | undefined = openSync(join(folder, 'report.json.part'), 'wx+', 0o600);
  /** Each target's span, with the object rendered: a report holding another object at that index renders it itself. */
  const targets = new Map<number, Span & { target: TargetReport }>();
  const facts = new Map<string, Span>();
  /** Bytes in the file. */
  let written = 0;

  /**
   * Texts are gathered in `pending` and written in batches of SPOOL_BATCH bytes (one system call for
   * tens of facts, not one each). No native buffer is made per target or fact.
   */
  let pending = Buffer.allocUnsafe(2 * SPOOL_BATCH);
  let pendingBytes = 0;
  /** Writes what is pending at the end of the file; false when the file refused it (every span in it is dropped by the caller). */
  const flush = (): boolean => {
    if (fd === undefined) return false;
    try {
      for (let done = 0; done < pendingBytes; ) done += writeSync(fd, pending, done, pendingBytes - done, written + done);
    } catch {
      fd = undefined;
      return false;
    } finally {
      written += pendingBytes;
      pendingBytes = 0;
    }
    return true;
  };
  const append = (text: string): Span | undefined => {
    if (fd === undefined) return undefined;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (pendingBytes + bytes > pending.length) {
      if (!flush()) return undefined;
      if (bytes > pending.length) pending = Buffer.allocUnsafe(bytes);
    }
    pending.write(text, pendingBytes, 'utf8');
    const span = { position: written + pendingBytes, bytes, generation: secretsGeneration() };
    pendingBytes += bytes;
    if (pendingBytes >= SPOOL_BATCH && !flush()) return undefined;
    return span;
  };
  /** One buffer for every read back: a part is passed on before the next is read (WrittenParts). */
  let buffer = Buffer.allocUnsafe(SPOOL_BATCH);
  /** The bytes of a span, in `buffer` until the next read. */
  const readBytes = (span: Span | undefined): Buffer | undefined => {
    if (pendingBytes && !flush()) return undefined;
    if (fd === undefined || !span) return undefined;
    if (buffer.length < span.bytes) buffer = Buffer.allocUnsafe(Math.max(span.bytes, 2 * buffer.length));
    try {
      for (let done = 0; done < span.bytes; ) {
        const got = readSync(fd, buffer, done, span.bytes - done, span.position + done);
        if (got === 0) return undefined;
        done += got;
      }
    } catch {
      return undefined;
    }
    return buffer.subarray(0, span.bytes);
  };
  /**
   * A part as report.json takes it: the bytes as written, or the text scrubbed again when a secret
   * was registered after it was written (a token obtained later).
   */
  const read = (span: Span | undefined): Buffer | string | undefined => {
    const bytes = readBytes(span);
    if (!bytes || !span) return undefined;
    return span.generation === secretsGeneration() ? bytes : scrubSecrets(bytes.toString('utf8'));
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
      return text === undefined ? undefined : factFromText(memoKey, typeof text === 'string' ? text : text.toString('utf8'));
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

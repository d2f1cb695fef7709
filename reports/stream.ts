// report.json's targets written as each target finishes (issue 19 item 4): a target's text is
// rendered and scrubbed when the engine is done with it (the `target-end` event), appended to a
// spool file beside the report directory, and read back in config order when report.json is
// written. The file is the same, byte for byte, as the whole report rendered at the end
// (test/unit/reports/stream.test.ts); the rendering is spread over the run (it overlaps the
// network waits) instead of all at the end. The spool is private (0700 folder, 0600 file), holds
// only scrubbed text, and is removed when the reports are written.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { TargetReport } from '../src/engine/types.js';
import { scrubSecrets, secretsGeneration } from '../src/text/secrets.js';
import { writtenTargetText, type WrittenTargets } from './json.js';

export interface TargetSpool extends WrittenTargets {
  /** Renders, scrubs and appends the text of the target at `index` of the report's targets. */
  add(index: number, target: TargetReport): void;
  /** Removes the spool (after the reports are written, or when the run fails). */
  dispose(): Promise<void>;
}

interface Written {
  /** The object rendered: a report whose target at this index is another object renders it itself. */
  target: TargetReport;
  position: number;
  bytes: number;
  /** The registered secrets' generation the text was scrubbed under. */
  generation: number;
}

/**
 * Opens a spool for the report directory `dir` (which ensureWritableDir has made): a folder beside
 * it (where reports/write.ts stages the set), else inside it. Writes are synchronous and small (one target, tens of KB): the
 * text leaves memory as the target finishes. A write that fails (a full disk) leaves that target to
 * be rendered at the end, as before: the spool can only spare work, never lose a target.
 */
export async function openTargetSpool(dir: string): Promise<TargetSpool> {
  const target = resolve(dir);
  const folder =
    (await mkdtemp(join(dirname(target), `.${basename(target)}.xtd-spool-`)).catch(() => undefined)) ?? (await mkdtemp(join(target, '.xtd-spool-')));
  let fd: number | undefined = openSync(join(folder, 'targets.json.part'), 'wx', 0o600);
  const written = new Map<number, Written>();
  let end = 0;
  return {
    add(index, report) {
      if (fd === undefined) return;
      const generation = secretsGeneration();
      const bytes = Buffer.from(writtenTargetText(report), 'utf8');
      try {
        let done = 0;
        while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, end + done);
      } catch {
        return;
      }
      written.set(index, { target: report, position: end, bytes: bytes.length, generation });
      end += bytes.length;
    },
    text(index, report) {
      const entry = written.get(index);
      if (fd === undefined || !entry || entry.target !== report) return undefined;
      const buffer = Buffer.allocUnsafe(entry.bytes);
      let done = 0;
      try {
        while (done < entry.bytes) {
          const read = readSync(fd, buffer, done, entry.bytes - done, entry.position + done);
          if (read === 0) return undefined;
          done += read;
        }
      } catch {
        return undefined;
      }
      const text = buffer.toString('utf8');
      // A secret registered after the target was written (a token obtained later) is replaced now.
      return entry.generation === secretsGeneration() ? text : scrubSecrets(text);
    },
    async dispose() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      written.clear();
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

// Writes the chosen report files as one set: into a fresh folder beside the report directory, then
// renamed into place, so a CI step or a person never reads half a report or a mixed set (json from
// one run, md from another), also when two runs write into one --out or a run is interrupted.
// Outputs are private to the user: files 0600, folders 0700 (on POSIX).
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunReport } from '../src/engine/types.js';
import { FORMATS, REPORT_FORMATS, type ReportFormat, type WriteOptions } from './formats.js';


export class ReportWriteError extends Error {
  constructor(
    message: string,
    readonly path: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ReportWriteError';
  }
}

export interface SetWriteOptions {
  /**
   * Asked after the files are written and before they are put in place: when it answers a report
   * (the same one marked interrupted, say), the set is written again from it. A signal that arrives
   * while the reports are being written thus still finishes them, marked.
   */
  revise?: (report: RunReport) => RunReport | undefined;
  /** fs.rename (tests inject a rename that fails as Windows does when antivirus holds a file). */
  rename?: typeof rename;
}

/**
 * Writes `formats` of `report` into `dir` (created if missing) and returns the paths written, in
 * the order of `formats`. The set is written into a fresh folder beside `dir` and renamed into
 * place: a reader sees the whole earlier set, the whole new set, or (for an instant) no directory.
 * When `dir` holds files of its own besides reports, the directory is not swapped; each report is
 * renamed in, under a lock so that two runs cannot interleave. Throws ReportWriteError naming the
 * directory or file when it cannot be written.
 */
export async function writeReports(
  report: RunReport,
  dir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: WriteOptions & SetWriteOptions = {},
): Promise<string[]> {
  const target = await ensureWritableDir(dir);
  const renderers = await Promise.all(formats.map((format) => FORMATS[format].load()));
  const renameFile = options.rename ?? rename;
  // Beside the directory (same filesystem, so the rename is atomic); inside it when its parent is
  // not ours to write (then the reports are renamed in one by one, under the lock).
  let beside = true;
  let staging = await mkdtemp(join(dirname(target), `.${basename(target)}.xtd-`)).catch(() => undefined);
  if (!staging) {
    beside = false;
    try {
      staging = await mkdtemp(join(target, '.xtd-'));
    } catch (error) {
      throw writeError(`cannot write into the report directory ${target}`, target, error);
    }
  }
  try {
    await chmod(staging, 0o700);
    for (let current: RunReport | undefined = report; current; current = options.revise?.(current)) {
      for (const [i, format] of formats.entries()) await writeAtomic(join(staging, FORMATS[format].file), renderers[i]!(current, options), renameFile);
    }
    if (beside && (await onlyReports(target))) await swapDirectory(staging, target, renameFile);
    else await withDirectoryLock(target, async () => {
      for (const { file } of formats.map((format) => FORMATS[format])) await retryRename(join(staging, file), join(target, file), renameFile).catch((error) => {
        throw writeError(`cannot write the report ${join(target, file)}`, join(target, file), error);
      });
    });
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
  return formats.map((format) => join(target, FORMATS[format].file));
}

const REPORT_NAMES = new Set(REPORT_FORMATS.map((format) => FORMATS[format].file));

/** Whether `dir` holds nothing but report files (so the whole directory may be replaced). */
async function onlyReports(dir: string): Promise<boolean> {
  try {
    // Another run's write probe is there for an instant; it is not the user's.
    return (await readdir(dir, { withFileTypes: true })).every(
      (entry) => entry.isFile() && (REPORT_NAMES.has(entry.name) || entry.name.startsWith(PROBE_PREFIX)),
    );
  } catch (error) {
    // Gone for the instant another run swaps its set in: nothing of the user's is there.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Puts the folder `staging` where `target` is: the old set is moved aside, the new one renamed in,
 * the old one removed. Another run doing the same at the same moment makes one of the renames fail
 * (the name is taken or gone); it then tries again, and the last run to finish wins whole.
 */
async function swapDirectory(staging: string, target: string, renameFile: typeof rename): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const aside = `${staging}.old`;
    try {
      try {
        await retryRename(target, aside, renameFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      await retryRename(staging, target, renameFile);
      await rm(aside, { recursive: true, force: true }).catch(() => undefined);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Someone else's set arrived between our two renames: ours goes over it on the next turn.
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && attempt < SWAP_ATTEMPTS) {
        await rm(aside, { recursive: true, force: true }).catch(() => undefined);
        continue;
      }
      // Put the earlier set back if ours could not take its place.
      await renameFile(aside, target).catch(() => undefined);
      throw writeError(`cannot put the reports in place in ${target}`, target, error);
    }
  }
}

const SWAP_ATTEMPTS = 20;

/** Windows: a rename blocked for a moment by antivirus or an indexer (EPERM, EBUSY, EACCES) is retried. */
const RENAME_RETRY_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RENAME_RETRY_DELAYS_MS = [10, 50, 100, 200, 400, 800, 1600];

export async function retryRename(from: string, to: string, renameFile: typeof rename = rename): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await renameFile(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!code || !RENAME_RETRY_CODES.has(code) || attempt >= RENAME_RETRY_DELAYS_MS.length) throw error;
      await new Promise((done) => setTimeout(done, RENAME_RETRY_DELAYS_MS[attempt]));
    }
  }
}

/**
 * Runs `work` holding `dir/.xtenant-doctor.lock` (a directory: mkdir is atomic everywhere). A lock
 * older than LOCK_STALE_MS is left from a killed run and taken over.
 */
async function withDirectoryLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(dir, '.xtenant-doctor.lock');
  for (let waited = 0; ; waited += LOCK_POLL_MS) {
    try {
      await mkdir(lock, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(`cannot lock the report directory ${dir}`, dir, error);
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > LOCK_STALE_MS) await rmdir(lock).catch(() => undefined);
      else if (waited > LOCK_WAIT_MS) throw new ReportWriteError(`cannot write the reports in ${dir}: another run holds ${lock}; remove it if no run is writing there`, lock);
      else await new Promise((done) => setTimeout(done, LOCK_POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

const LOCK_POLL_MS = 25;
const LOCK_WAIT_MS = 30_000;
const LOCK_STALE_MS = 120_000;

/**
 * Pieces are gathered up to this many bytes before a write, in one buffer reused for the whole file:
 * a fleet's report makes no new string or native buffer per batch, so writing report.json adds
 * little to the run's peak memory (1 MB batches, each a new string and a new buffer, added ~55 MB to
 * a 1000-target run's peak).
 */
const WRITE_BATCH = 1 << 16;

/**
 * Creates `dir` if needed and proves a file can be created in it (a probe file, removed), so a run
 * can refuse an unusable --out before it starts rather than after. Returns the absolute path.
 */
export async function ensureWritableDir(dir: string, what = 'the report directory'): Promise<string> {
  const target = resolve(dir);
  // A run putting its set in place moves the directory aside for an instant: look again.
  for (let attempt = 1; ; attempt++) {
    try {
      await makeDirectories(target);
    } catch (error) {
      throw writeError(`cannot create ${what} ${target}`, target, error);
    }
    const probe = join(target, `${PROBE_PREFIX}${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(probe, 'wx', 0o600);
      await handle.close();
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 3) continue;
      throw writeError(`cannot write into ${what} ${target}`, target, error);
    } finally {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }
}

const PROBE_PREFIX = '.xtenant-doctor-probe.';

/**
 * `mkdir -p`, one level at a time. Node's own recursive mkdir loops forever where a filesystem
 * answers ENOENT for a new entry under an existing directory (e.g. `--out /proc/x`).
 */
async function makeDirectories(target: string): Promise<void> {
  const missing: string[] = [];
  for (let dir = target; ; ) {
    try {
      if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      const parent = dirname(dir);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw error;
      missing.push(dir);
      dir = parent;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Write to a temporary sibling (0600), fsync it, rename over the final name (atomic on one
 * filesystem). Pieces (text, or UTF-8 bytes already) are gathered in one buffer reused for the whole
 * file and written in batches of WRITE_BATCH bytes: bytes are copied in as they are, never decoded,
 * and each piece is written or copied before the next is taken (Renderer, formats.ts).
 */
export async function writeAtomic(path: string, content: string | Iterable<string | Uint8Array>, renameFile: typeof rename = rename): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let handle;
  try {
    handle = await open(temp, 'wx', 0o600);
    if (typeof content === 'string') await handle.writeFile(content, 'utf8');
    else {
      const file = handle;
      const buffer = Buffer.allocUnsafe(4 * WRITE_BATCH);
      let used = 0;
      const write = async (bytes: Uint8Array, length: number) => {
        for (let done = 0; done < length; ) done += (await file.write(bytes, done, length - done)).bytesWritten;
      };
      for (const piece of content) {
        const text = typeof piece === 'string';
        const bytes = text ? Buffer.byteLength(piece, 'utf8') : piece.byteLength;
        if (used + bytes > buffer.length) {
          await write(buffer, used);
          used = 0;
        }
        // A piece larger than the buffer goes out alone.
        if (bytes > buffer.length) await write(text ? Buffer.from(piece, 'utf8') : piece, bytes);
        else {
          if (text) buffer.write(piece, used, 'utf8');
          else buffer.set(piece, used);
          used += bytes;
          if (used >= WRITE_BATCH) {
            await write(buffer, used);
            used = 0;
          }
        }
      }
      if (used) await write(buffer, used);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await retryRename(temp, path, renameFile);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw writeError(`cannot write the report ${path}`, path, error);
  }
}

/** A ReportWriteError with the reason in words (permission, a file in the way, read-only, full disk). */
export function writeError(what: string, path: string, error: unknown): ReportWriteError {
  const code = (error as NodeJS.ErrnoException)?.code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied; choose another directory with --out'
      : code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a file is in the way of the directory; choose another --out'
        : code === 'EROFS'
          ? 'the filesystem is read-only; choose another --out'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : code === 'ENOENT'
              ? 'the filesystem does not allow creating it there; choose another --out'
              : error instanceof Error
                ? error.message
                : String(error);
  return new ReportWriteError(`${what}: ${why}`, path, code);
}

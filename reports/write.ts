// Writes the chosen report files into a directory, each atomically (a temporary name in the same
// directory, fsync, rename), so a CI step or a person never reads half a report, even when the run
// is interrupted while writing.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { RunReport } from '../src/engine/types.js';
import { renderHtml, type HtmlOptions } from './html.js';
import { renderJUnit, type JUnitOptions } from './junit.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';

export const REPORT_FORMATS = ['json', 'junit', 'html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_FILES: Record<ReportFormat, string> = {
  json: 'report.json',
  junit: 'report.junit.xml',
  html: 'report.html',
  md: 'report.md',
};

export type WriteOptions = JUnitOptions & HtmlOptions & MarkdownOptions;

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

/** The JSON report: the RunReport exactly. */
export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The same text as renderJson, in pieces (one per target and per fact): a fleet's report is written
 * without holding it whole in memory twice (as a string, then as bytes). JSON.stringify escapes every
 * newline inside a string, so indenting each piece is a matter of the newlines between its lines.
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
        const text = (JSON.stringify(item, null, 2) ?? 'null').replace(/\n/g, '\n    ');
        yield `${j ? ',' : ''}\n    ${name === undefined ? '' : `${JSON.stringify(name)}: `}${text}`;
      }
      yield `\n  ${list ? ']' : '}'}`;
    } else {
      yield JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    }
  }
  yield '\n}\n';
}

/** The text of one format. */
export function renderReport(report: RunReport, format: ReportFormat, options: WriteOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJUnit(report, options);
    case 'html':
      return renderHtml(report, options);
    case 'md':
      return renderMarkdown(report, options);
  }
}

/**
 * Parses `--format json,junit,html,md` (also `markdown`, `xml`, `all`); throws naming the bad value.
 */
export function parseFormats(value: string | readonly string[]): ReportFormat[] {
  const aliases: Record<string, ReportFormat[]> = { markdown: ['md'], xml: ['junit'], all: [...REPORT_FORMATS] };
  const parts = (typeof value === 'string' ? [value] : value).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  const out: ReportFormat[] = [];
  for (const part of parts) {
    const formats = aliases[part] ?? ((REPORT_FORMATS as readonly string[]).includes(part) ? [part as ReportFormat] : undefined);
    if (!formats) throw new Error(`--format: unknown report format "${part}" (expected ${REPORT_FORMATS.join(', ')})`);
    for (const f of formats) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * Writes `formats` of `report` into `dir` (created if missing) and returns the paths written, in
 * the order of `formats`. Each file appears whole or not at all. Throws ReportWriteError naming the
 * directory or file when it cannot be written.
 */
export async function writeReports(
  report: RunReport,
  dir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: WriteOptions = {},
): Promise<string[]> {
  const target = await ensureWritableDir(dir);
  const written: string[] = [];
  for (const format of formats) {
    const path = join(target, REPORT_FILES[format]);
    await writeAtomic(path, format === 'json' ? renderJsonChunks(report) : renderReport(report, format, options));
    written.push(path);
  }
  return written;
}

/** Pieces are gathered up to this size before a write. */
const WRITE_BATCH = 1 << 20;

/**
 * Creates `dir` if needed and proves a file can be created in it (a probe file, removed), so a run
 * can refuse an unusable --out before it starts rather than after. Returns the absolute path.
 */
export async function ensureWritableDir(dir: string, what = 'the report directory'): Promise<string> {
  const target = resolve(dir);
  try {
    await makeDirectories(target);
  } catch (error) {
    throw writeError(`cannot create ${what} ${target}`, target, error);
  }
  const probe = join(target, `.xtenant-doctor-probe.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
  } catch (error) {
    throw writeError(`cannot write into ${what} ${target}`, target, error);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  return target;
}

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
      await mkdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Write to a temporary sibling, fsync it, rename over the final name (atomic on one filesystem). */
export async function writeAtomic(path: string, content: string | Iterable<string>): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let handle;
  try {
    handle = await open(temp, 'w', 0o644);
    if (typeof content === 'string') await handle.writeFile(content, 'utf8');
    else {
      let batch = '';
      for (const piece of content) {
        batch += piece;
        if (batch.length >= WRITE_BATCH) {
          await handle.writeFile(batch, 'utf8');
          batch = '';
        }
      }
      if (batch) await handle.writeFile(batch, 'utf8');
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
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

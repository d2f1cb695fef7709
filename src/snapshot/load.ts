// Reading a saved report (report.json, or the report.json inside a support bundle) with errors that
// name the file and what is wrong with it: diff, replay and bundle --from all start here.
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Ajv, type ErrorObject } from 'ajv';
import ajvFormats from 'ajv-formats';
import { Parser } from 'tar';
import reportSchema from '../../schema/report.schema.json' with { type: 'json' };
import { FORMATS } from '../../reports/formats.js';
import { FAIL_ON_VALUES } from '../engine/status.js';
import { STATUSES, type CheckResult, type RunReport } from '../engine/types.js';
import { describeJsonError, isJsonObject } from '../text/json.js';

export class ReportFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ReportFileError';
  }
}

/** A report read from disk: the report and, for a bundle, its other files (name → text). */
export interface LoadedReport {
  file: string;
  report: RunReport;
  /** Present when the file was a bundle. */
  bundle?: { files: Record<string, string> };
}

const GZIP_MAGIC = [0x1f, 0x8b];
const MiB = 1024 * 1024;
/**
 * Recordings are untrusted input: a report or bundle file is read up to `fileBytes`, a bundle unpacks
 * to at most `unpackedBytes` (a 1.5 MB gzip bomb would otherwise grow to gigabytes; it is counted as
 * it streams, so memory holds only the files kept), and no file inside it is larger than
 * `entryBytes`. A 1000-target report is about 40 MB.
 */
export const RECORDING_LIMITS = { fileBytes: 128 * MiB, unpackedBytes: 256 * MiB, entryBytes: 192 * MiB };
/** As the report schema has it: what the tool writes. */
const WORKSPACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Reads report.json or bundle.tar.gz (recognised by its gzip header, whatever the name). */
export async function loadReport(file: string, limits = RECORDING_LIMITS): Promise<LoadedReport> {
  const bytes = await readCappedFile(file, limits.fileBytes);
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    const files = await readBundleBytes(file, bytes, limits);
    const name = FORMATS.json.file;
    const text = files[name];
    if (text === undefined) throw new ReportFileError(file, `a gzip file without ${name} (entries: ${Object.keys(files).join(', ') || 'none'}); is it an xtenant-doctor bundle?`);
    return { file, report: parseReport(`${file}!${name}`, text), bundle: { files } };
  }
  return { file, report: parseReport(file, bytes.toString('utf8')) };
}

/** The file's bytes; refused past `cap` without reading the rest. */
async function readCappedFile(file: string, cap: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
    const size = (await handle.stat()).size;
    if (size > cap) throw new ReportFileError(file, `the file is ${size} bytes, over the ${cap}-byte limit for a recording`);
    return await handle.readFile();
  } catch (error) {
    if (error instanceof ReportFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a report file' : (error as Error).message;
    throw new ReportFileError(file, `cannot read: ${why}`);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The files of a bundle (a gzipped tar with one top-level folder), read in memory: nothing from the
 * archive touches the disk. Unpacked as a stream into the tar parser and stopped at the first
 * problem or at the unpacked cap, so memory holds the wanted files, never the archive's claims.
 */
export async function readBundleBytes(file: string, gz: Buffer, limits: Pick<typeof RECORDING_LIMITS, 'unpackedBytes' | 'entryBytes'> = RECORDING_LIMITS): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const problems: string[] = [];
  // Larger pieces than zlib's 16 KB: a bomb is counted to the cap in a fraction of the calls.
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry) => {
      if (entry.type !== 'File') return entry.resume();
      // Files are addressed by their name inside the bundle's top-level folder.
      const name = entry.path.replace(/^\.\//, '').split('/').slice(1).join('/') || entry.path;
      if (entry.size > limits.entryBytes) {
        problems.push(`a damaged tar archive: ${name} is ${entry.size} bytes, over the ${limits.entryBytes}-byte limit for a file in a bundle`);
        return entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => (files[name] = Buffer.concat(chunks).toString('utf8')));
    },
  });
  parser.on('warn', (_code: string, message: string | Error) => problems.push(`a damaged tar archive: ${String((message as Error)?.message ?? message)}`));
  parser.on('error', (error: Error) => problems.push(`a damaged tar archive: ${error.message}`));
  // After the tar's end (two zero blocks) nothing more is parsed, only counted: the parser would
  // hold every later byte.
  let tarEnded = false;
  parser.on('eof', () => (tarEnded = true));
  let unpacked = 0;
  await new Promise<void>((resolve) => {
    let stopped = false;
    const stop = (problem?: string) => {
      if (stopped) return;
      stopped = true;
      if (problem) problems.unshift(problem);
      gunzip.destroy();
      resolve();
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (stopped) return;
      unpacked += chunk.length;
      // The cap is counted as zlib hands the bytes over: a bomb stops here, whatever it claims.
      if (unpacked > limits.unpackedBytes) return stop(`unpacks to more than ${limits.unpackedBytes} bytes, over the limit for a bundle (a damaged or hostile archive)`);
      // The parser works synchronously on what it is given.
      if (!tarEnded) parser.write(chunk);
      if (problems.length) stop();
    });
    gunzip.on('error', (error: Error) => stop(`not a valid gzip file: ${error.message}`));
    gunzip.on('end', () => {
      if (stopped) return;
      parser.end();
      resolve();
    });
    gunzip.end(gz);
  });
  if (problems.length) throw new ReportFileError(file, problems[0]!);
  return files;
}

/** Parses and shape-checks a RunReport; errors give the JSON position as line and column. */
export function parseReport(file: string, text: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ReportFileError(file, `not valid JSON: ${describeJsonError(text, error as Error)}`);
  }
  const problem = reportShapeProblem(data) ?? reportSchemaProblem(data);
  if (problem) throw new ReportFileError(file, `not an xtenant-doctor report: ${problem}`);
  return upgradeLegacyFixes(data as RunReport);
}

/**
 * Reports written before structured fixes carry `remediation`, a string: it becomes a fix with that
 * summary and no steps, so every writer, diff and replay read one shape (docs/reports.md).
 */
export function upgradeLegacyFixes(report: RunReport): RunReport {
  for (const target of report.targets) {
    for (const result of target.results as Array<CheckResult & { remediation?: unknown }>) {
      if (!('remediation' in result)) continue;
      const { remediation } = result;
      delete result.remediation;
      if (!result.fix && typeof remediation === 'string' && remediation.trim()) result.fix = { summary: remediation, steps: [] };
    }
  }
  return report;
}

let reportValidator: ReturnType<Ajv['compile']> | undefined;

/** The first place where `data` breaks the published report schema, or undefined. */
export function reportSchemaProblem(data: unknown): string | undefined {
  if (!reportValidator) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    // ajv-formats is CommonJS: imported from an ES module its default is module.exports, whose
    // `default` is the plugin (in Node and in the bundle alike).
    ajvFormats.default(ajv);
    reportValidator = ajv.compile(reportSchema);
  }
  if (reportValidator(data)) return undefined;
  const error = reportValidator.errors?.[0] as ErrorObject | undefined;
  if (!error) return 'it does not match the report schema';
  const extra = error.keyword === 'additionalProperties' ? ` (${JSON.stringify((error.params as { additionalProperty?: string }).additionalProperty)})` : '';
  return `${schemaPlace(error.instancePath)} ${error.message ?? 'does not match the report schema'}${extra}`;
}

/** `/targets/0/results/3/status` → `targets[0].results[3].status`. */
function schemaPlace(pointer: string): string {
  if (!pointer) return 'the report';
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$-]*$/.test(part) ? `${i ? '.' : ''}${part}` : `[${JSON.stringify(part)}]`))
    .join('');
}

/** The first thing that makes `data` not a RunReport this tool can read, or undefined. */
export function reportShapeProblem(data: unknown): string | undefined {
  if (!isJsonObject(data)) return 'the top level is not a JSON object';
  if (data.schemaVersion !== 1) return `schemaVersion is ${JSON.stringify(data.schemaVersion)}, expected 1`;
  if (!Array.isArray(data.targets)) return '"targets" is missing or not an array';
  // The gate a replay applies: a damaged one would change the exit code.
  if (data.failOn !== undefined && !FAIL_ON_VALUES.includes(data.failOn as never)) return `failOn is ${JSON.stringify(data.failOn)}, expected one of ${FAIL_ON_VALUES.join(', ')}`;
  if (!isJsonObject(data.facts)) return '"facts" is missing or not an object';
  for (const [i, target] of data.targets.entries()) {
    const where = `targets[${i}]`;
    if (!isJsonObject(target)) return `${where} is not an object`;
    if (typeof target.name !== 'string' || !target.name) return `${where}.name is not a non-empty string`;
    if (typeof target.workspaceId !== 'string' || !WORKSPACE_ID.test(target.workspaceId)) return `${where}.workspaceId is ${JSON.stringify(target.workspaceId)}, not a workspace id (a lower-case GUID)`;
    if (data.targets.slice(0, i).some((t) => isJsonObject(t) && t.name === target.name)) return `${where}.name ${JSON.stringify(target.name)} is used by an earlier target`;
    if (!Array.isArray(target.results)) return `${where}.results is not an array`;
    if (target.factRefs !== undefined && !isJsonObject(target.factRefs)) return `${where}.factRefs is not an object`;
    for (const [j, result] of target.results.entries()) {
      if (!isJsonObject(result)) return `${where}.results[${j}] is not an object`;
      if (typeof result.checkId !== 'string') return `${where}.results[${j}].checkId is not a string`;
      if (!STATUSES.includes(result.status as never)) return `${where}.results[${j}].status is ${JSON.stringify(result.status)}, expected one of ${STATUSES.join(', ')}`;
    }
  }
  for (const [key, fact] of Object.entries(data.facts)) {
    if (!isJsonObject(fact) || typeof fact.id !== 'string' || !isJsonObject(fact.result)) return `facts[${JSON.stringify(key)}] is not a recorded fact ({id, version, key, result})`;
  }
  return undefined;
}

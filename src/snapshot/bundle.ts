// The support bundle: one .tar.gz a support engineer can open anywhere (Windows' built-in tar is
// bsdtar; plain ustar/pax entries, relative paths, one top-level folder) and replay offline.
// Written to a temporary name beside the target and renamed, so a reader never sees half a bundle.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import type { RequestLogEntry } from '../engine/services.js';
import type { RunReport } from '../engine/types.js';
import { scrubSecrets } from '../text/secrets.js';
import { FORMATS, REPORT_FORMATS, loadRenderers, renderedText, type ReportFormat, type Renderer, type Renderers } from '../../reports/formats.js';
import { renderJson } from '../../reports/json.js';
import { createRedactor } from './redact.js';

export interface BundleOptions {
  report: RunReport;
  outFile: string;
  redact?: boolean;
  /** services.requestLog of the run; absent for `bundle --from`. */
  requestLog?: RequestLogEntry[];
  /** The environment of the run (default: the report's). */
  environment?: Record<string, unknown>;
  /** The config summary (credentials reduced to their type); replaces environment.config when given. */
  configSummary?: Record<string, unknown>;
  /** Writers that stand in for those of reports/formats.ts (report.json is always the RunReport itself). */
  renderers?: Renderers;
  /** Keys the GUID pseudonyms (tests); random by default. */
  redactionSalt?: string;
  now?: () => Date;
}

export interface BundleResult {
  file: string;
  folder: string;
  /** File names inside the folder. */
  files: string[];
  redacted: boolean;
  /** How many distinct values were replaced (when redacted). */
  redactions: number;
}

/** The files in a bundle: the README, a report of every format (reports/formats.ts), where it ran and what it asked. */
export const BUNDLE_FILES: readonly string[] = ['README.txt', ...REPORT_FORMATS.map((format) => FORMATS[format].file), 'environment.json', 'requests.json'];

export async function writeBundle(options: BundleOptions): Promise<BundleResult> {
  const now = options.now?.() ?? new Date();
  const renderers = await loadRenderers(options.renderers);
  const { files, redactions } = bundleFiles(options, renderers, now);
  const folder = `xtenant-doctor-bundle-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}`;

  const outFile = path.resolve(options.outFile);
  const { ensureWritableDir, retryRename, writeError } = await import('../../reports/write.js');
  await ensureWritableDir(path.dirname(outFile), 'the bundle directory');
  const staging = await mkdtemp(path.join(os.tmpdir(), 'xtenant-doctor-bundle-'));
  const temporary = `${outFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(path.join(staging, folder));
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(staging, folder, name), text, { mode: 0o600 });
    // portable: no owner names or ids; relative paths under one folder, ustar with pax where needed.
    await createTar({ gzip: true, file: temporary, cwd: staging, portable: true }, [folder]);
    // Private to the user: a bundle holds tenant ids, IPs and principals.
    await chmod(temporary, 0o600);
    await retryRename(temporary, outFile);
  } catch (error) {
    await rm(temporary, { force: true });
    throw writeError(`cannot write the bundle ${outFile}`, outFile, error);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return { file: outFile, folder, files: Object.keys(files), redacted: !!options.redact, redactions };
}

/** The bundle's files as text (pure, apart from the renderers): what writeBundle archives. */
export function bundleFiles(options: BundleOptions, renderers: Record<ReportFormat, Renderer>, now: Date): { files: Record<string, string>; redactions: number } {
  const environment = sanitizeEnvironment(options.environment ?? options.report.environment ?? {}, options.configSummary);
  let report: RunReport = scrubTokens({ ...options.report, environment: sanitizeEnvironment(options.report.environment ?? {}, options.configSummary) });
  let env = scrubTokens(environment);
  let requests = scrubTokens({
    ...(options.requestLog ? {} : { note: 'no request log: this bundle was made from a saved report (bundle --from), not from a run' }),
    requests: (options.requestLog ?? []).map(sanitizeRequest),
  });

  let redactor: ReturnType<typeof createRedactor> | undefined;
  if (options.redact) {
    redactor = createRedactor(options.redactionSalt ? { salt: options.redactionSalt } : {});
    redactor.collectReport(report);
    redactor.collectValue(env);
    redactor.collectValue(requests);
    report = redactor.applyJson(report);
    env = redactor.applyJson(env);
    requests = redactor.applyJson(requests);
  }
  // Rendered from the (redacted) report, then swept again in case a writer derives text of its own.
  const rendered = (text: string) => scrubSecrets(redactor ? redactor.apply(text) : text);
  const files: Record<string, string> = { 'README.txt': readme(report, !!options.redact, now) };
  // report.json is the (redacted, scrubbed) RunReport itself, so that the bundle replays.
  for (const format of REPORT_FORMATS) files[FORMATS[format].file] = format === 'json' ? renderJson(report) : rendered(renderedText(renderers[format](report)));
  files['environment.json'] = `${JSON.stringify(env, null, 2)}\n`;
  files['requests.json'] = `${JSON.stringify(requests, null, 2)}\n`;
  return { files, redactions: redactor?.redactions().length ?? 0 };
}

/** A request log entry as a bundle keeps it: method, host, path, status, duration, request id. Never a header or a body. */
export function sanitizeRequest(entry: RequestLogEntry): RequestLogEntry {
  return {
    service: entry.service,
    method: entry.method,
    host: entry.host,
    path: stripQuery(entry.path),
    ...(entry.status !== undefined ? { status: entry.status } : {}),
    durationMs: entry.durationMs,
    ...(entry.requestId ? { requestId: entry.requestId } : {}),
    ...(entry.error ? { error: entry.error } : {}),
  };
}

/** Only `api-version` survives from a query string: anything else could carry a signature. */
function stripQuery(p: string): string {
  const [base, query] = p.split('?', 2) as [string, string | undefined];
  if (!query) return base;
  const kept = query.split('&').filter((pair) => /^api-version=/i.test(pair));
  return kept.length ? `${base}?${kept.join('&')}` : base;
}

const SECRET_KEY = /(secret|password|passwd|token|certificate|credential|authorization|cookie|apikey|api-key|privatekey)$/i;

/** The environment with credentials reduced to their type and anything secret-looking removed. */
export function sanitizeEnvironment(environment: Record<string, unknown>, configSummary?: Record<string, unknown>): Record<string, unknown> {
  const env = structuredClone(environment);
  if (configSummary) env.config = structuredClone(configSummary);
  const config = env.config as Record<string, unknown> | undefined;
  if (config && typeof config === 'object') {
    const credentials = config.credentials as Record<string, unknown> | undefined;
    if (credentials && typeof credentials === 'object') {
      for (const side of Object.keys(credentials)) {
        const value = credentials[side];
        credentials[side] = typeof value === 'string' ? value : ((value as { type?: unknown } | null)?.type ?? 'unknown');
      }
    }
    const tls = config.tls as Record<string, unknown> | undefined;
    if (tls && typeof tls === 'object') for (const key of ['ca', 'caFile']) if (typeof tls[key] === 'string' && tls[key] !== 'none') tls[key] = 'set';
  }
  return dropSecrets(env) as Record<string, unknown>;
}

function dropSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && typeof v === 'string' ? '[removed]' : dropSecrets(v)]));
  }
  return value;
}

/** Secrets never belong in a bundle; they are not recorded, and the one scrubber makes sure (every string, deep). */
function scrubTokens<T>(value: T): T {
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return scrubSecrets(v);
    if (Array.isArray(v)) return v.map(scrub);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, scrub(item)]));
    return v;
  };
  return scrub(value) as T;
}

function readme(report: RunReport, redacted: boolean, now: Date): string {
  const counts = report.summary;
  return [
    'xtenant-doctor support bundle',
    '=============================',
    '',
    `Made ${now.toISOString()} by ${report.tool?.name ?? 'xtenant-doctor'} ${report.tool?.version ?? ''} from a ${report.mode} report of ${report.startedAt}.`,
    `Result: ${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail, ${counts.skip} skip, ${counts.error} error (exit code ${counts.exitCode}).`,
    redacted
      ? 'REDACTED: tenant, subscription and workspace ids, resource group and resource names, workspace names, host names, user principals and IP addresses are replaced by pseudonyms, the same pseudonym for the same value in every file. IPs keep their class (private stays private). The key to the pseudonyms is not in the bundle.'
      : 'NOT REDACTED: ids, names and IP addresses are as they were. Make the bundle with --redact to replace them by pseudonyms.',
    'No secret, token or header value is recorded in any file.',
    '',
    'Files',
    '-----',
    ...REPORT_FORMATS.flatMap((format) => FORMATS[format].about.map((line, i) => `${(i ? '' : FORMATS[format].file).padEnd(19)}${line}`)),
    'environment.json   where it ran: OS, Node and tool versions, DNS resolvers, the config with',
    '                   credentials reduced to their type',
    'requests.json      every HTTP request the run made: method, host, path, status, duration, request id',
    '                   (give the request ids to Microsoft support; no header or body is kept)',
    'README.txt         this file',
    '',
    'Use',
    '---',
    '  xtenant-doctor replay THIS-BUNDLE.tar.gz            the current checks on the recorded facts, offline',
    '  xtenant-doctor diff old/report.json report.json    what changed between two snapshots',
    '',
  ].join('\n');
}

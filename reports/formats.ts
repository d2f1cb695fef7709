// The report formats, in one place (as goss keeps its outputters in one registry): each format's
// name, file, aliases, what it is for, and its writer. `run`, `replay`, `merge`, `bundle` and the
// --help text read this table; nothing else lists the formats. It is light on purpose (--help reads
// it): a writer is loaded only when a report of its format is rendered.
import type { RunReport } from '../src/engine/types.js';
import type { HtmlOptions } from './html.js';
import type { JsonOptions } from './json.js';
import type { JUnitOptions } from './junit.js';
import type { MarkdownOptions } from './markdown.js';

export type WriteOptions = JsonOptions & JUnitOptions & HtmlOptions & MarkdownOptions;

/**
 * A writer: the text of one report file, in pieces where the report may be large. A piece may be
 * UTF-8 bytes already (report.json's parts read back from the run's spool, reports/stream.ts),
 * valid until the next piece is taken: use each piece before taking the next.
 */
export type Renderer = (report: RunReport, options?: WriteOptions) => string | Iterable<string | Uint8Array>;

export interface ReportFormatSpec {
  /** The file a report of this format is written to, in --out and in a support bundle. */
  readonly file: string;
  /** Other names --format takes for it. */
  readonly aliases: readonly string[];
  /** What the file is, for a person (the lines of the bundle's README). */
  readonly about: readonly string[];
  /** The writer, imported when first needed. */
  readonly load: () => Promise<Renderer>;
}

/** The formats in the order they are written and listed. */
export const REPORT_FORMATS = ['json', 'junit', 'html', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const FORMATS: Readonly<Record<ReportFormat, ReportFormatSpec>> = {
  json: {
    file: 'report.json',
    aliases: [],
    about: ['the RunReport: every check result with its evidence, and the facts the checks used', '(a snapshot: `xtenant-doctor replay` re-evaluates the checks on it, offline)'],
    load: async () => (await import('./json.js')).renderWrittenJson,
  },
  junit: {
    file: 'report.junit.xml',
    aliases: ['xml'],
    about: ['the same report for a CI system (JUnit XML)'],
    load: async () => (await import('./junit.js')).renderJUnit,
  },
  html: {
    file: 'report.html',
    aliases: [],
    about: ['the same report for a person: one self-contained file, opens without network'],
    load: async () => (await import('./html.js')).renderHtml,
  },
  md: {
    file: 'report.md',
    aliases: ['markdown'],
    about: ['the same report in Markdown (a CI step summary, a ticket)'],
    load: async () => (await import('./markdown.js')).renderMarkdown,
  },
};

/** `--format all`: every format. */
const ALL = 'all';

/** The name --format takes for every format at once, and each alias, mapped to the formats it means. */
function formatNames(): Map<string, readonly ReportFormat[]> {
  const names = new Map<string, readonly ReportFormat[]>([[ALL, REPORT_FORMATS]]);
  for (const format of REPORT_FORMATS) {
    names.set(format, [format]);
    for (const alias of FORMATS[format].aliases) names.set(alias, [format]);
  }
  return names;
}

/**
 * Parses `--format json,junit,html,md` (and the aliases, and `all`) into formats, each once, in the
 * order given; throws naming the bad value.
 */
export function parseFormats(value: string | readonly string[]): ReportFormat[] {
  const names = formatNames();
  const parts = (typeof value === 'string' ? [value] : value).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  const out: ReportFormat[] = [];
  for (const part of parts) {
    const formats = names.get(part);
    if (!formats) throw new Error(`--format: unknown report format "${part}" (expected ${REPORT_FORMATS.join(', ')})`);
    for (const f of formats) if (!out.includes(f)) out.push(f);
  }
  return out;
}

/** The formats `--format` asks for: every one when the option is absent or empty. */
export function chosenFormats(values: readonly string[] | undefined): ReportFormat[] {
  return parseFormats(values?.length ? values : ALL);
}

/** The --help text of `--format`. */
export function formatHelp(): string {
  const named = REPORT_FORMATS.map((f) => (FORMATS[f].aliases.length ? `${f} (${FORMATS[f].aliases.join(', ')})` : f));
  return `Report formats: ${named.join(', ')} (default: ${ALL})`;
}

/** Writers that stand in for the built-in ones of their formats (a test's, a library user's). */
export type Renderers = Partial<Record<ReportFormat, Renderer>>;

/** The writer of each format, `given` ones first. */
export async function loadRenderers(given: Renderers = {}): Promise<Record<ReportFormat, Renderer>> {
  const loaded = await Promise.all(REPORT_FORMATS.map(async (f) => [f, given[f] ?? (await FORMATS[f].load())] as const));
  // fromEntries types its keys as string; the entries are one per format, by construction.
  return Object.fromEntries(loaded) as Record<ReportFormat, Renderer>;
}

/** A writer's output as one string. */
export function renderedText(output: string | Iterable<string | Uint8Array>): string {
  if (typeof output === 'string') return output;
  const decoder = new TextDecoder();
  let text = '';
  // Each piece decoded before the next is taken: bytes are valid only until then.
  for (const piece of output) text += typeof piece === 'string' ? piece : decoder.decode(piece);
  return text;
}

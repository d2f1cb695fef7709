// The report writers a bundle and a replay use. They live in reports/ (another part of the tree);
// they are loaded by path at run time so this module builds before they do, and a caller (a test,
// the library) may pass its own.
import type { RunReport } from '../engine/types.js';

export interface Renderers {
  /** reports/junit.ts (renderJUnit or renderJunit) */
  junit(report: RunReport): string;
  /** reports/html.ts */
  html(report: RunReport): string;
  /** reports/markdown.ts */
  markdown(report: RunReport): string;
}

/** reports/write.ts: writes the chosen formats into a directory as `run --out` does. */
export type WriteReports = (report: RunReport, dir: string, formats: string[]) => Promise<unknown>;

export class RenderersUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`the report writers are not available in this build (${what}: ${(cause as Error)?.message ?? String(cause)})`);
    this.name = 'RenderersUnavailableError';
  }
}

// Non-literal specifiers: resolved against this file at run time, not by the compiler.
const JUNIT = '../../reports/junit.js';
const HTML = '../../reports/html.js';
const MARKDOWN = '../../reports/markdown.js';
const WRITE = '../../reports/write.js';

async function load<T>(specifier: string): Promise<T> {
  try {
    return (await import(new URL(specifier, import.meta.url).href)) as T;
  } catch (error) {
    throw new RenderersUnavailableError(specifier.replace('../../', ''), error);
  }
}

export async function loadRenderers(): Promise<Renderers> {
  const [junit, html, markdown] = await Promise.all([
    load<{ renderJunit?: (r: RunReport) => string; renderJUnit?: (r: RunReport) => string }>(JUNIT),
    load<{ renderHtml: (r: RunReport) => string }>(HTML),
    load<{ renderMarkdown: (r: RunReport) => string }>(MARKDOWN),
  ]);
  const renderJunit = junit.renderJUnit ?? junit.renderJunit;
  if (!renderJunit) throw new RenderersUnavailableError('reports/junit.js', new Error('it exports neither renderJUnit nor renderJunit'));
  return { junit: (r) => renderJunit(r), html: (r) => html.renderHtml(r), markdown: (r) => markdown.renderMarkdown(r) };
}

export async function loadWriteReports(): Promise<WriteReports> {
  const write = await load<{ writeReports: WriteReports }>(WRITE);
  return write.writeReports;
}

// The report writers a bundle and a replay use (reports/), loaded when needed; a caller (a test,
// the library) may pass its own.
import type { RunReport } from '../engine/types.js';

export interface Renderers {
  junit(report: RunReport): string;
  html(report: RunReport): string;
  markdown(report: RunReport): string;
}

/** reports/write.ts: writes the chosen formats into a directory as `run --out` does. */
export type WriteReports = (report: RunReport, dir: string, formats: string[]) => Promise<unknown>;

export async function loadRenderers(): Promise<Renderers> {
  const { renderJUnit, renderHtml, renderMarkdown } = await import('../../reports/index.js');
  return { junit: (r) => renderJUnit(r), html: (r) => renderHtml(r), markdown: (r) => renderMarkdown(r) };
}

export async function loadWriteReports(): Promise<WriteReports> {
  const { parseFormats, writeReports } = await import('../../reports/index.js');
  return (report, dir, formats) => writeReports(report, dir, parseFormats(formats));
}

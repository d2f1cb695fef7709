// The report writers: pure functions of a RunReport, plus the file writer and the live terminal.
export { renderJUnit, junitCounts, JUNIT_WARN_AS, type JUnitOptions, type JUnitWarnAs } from './junit.js';
export { renderHtml, CSP, type HtmlOptions } from './html.js';
export { renderMarkdown, type MarkdownOptions } from './markdown.js';
export { formatResultLine, formatSummary, formatTerminalReport, formatVerdict, shouldColor, type TerminalOptions } from './terminal.js';
export { createLiveRenderer, isCI, type LiveOptions, type LiveRenderer, type LiveStream } from './live.js';
export { writeReports, writeAtomic, ReportWriteError } from './write.js';
export { FORMATS, REPORT_FORMATS, chosenFormats, formatHelp, parseFormats, type ReportFormat, type ReportFormatSpec, type Renderer, type WriteOptions } from './formats.js';
export { renderJson, renderJsonChunks } from './json.js';
export { verdict, rootCauses, countsLine, reportCounts, sideUnchecked, type Verdict } from './model.js';

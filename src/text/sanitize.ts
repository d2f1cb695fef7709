// The one sanitiser for text from outside (names, service messages, certificate fields, recordings)
// on its way to any sink: terminal, CI log, HTML, XML, Markdown, diff, replay. Pure functions.
// Each writer still applies its own format's escaping (HTML entities, XML, Markdown) on top.
import { scrubSecrets } from './secrets.js';

// CSI (ESC [ … final), OSC (ESC ] … BEL or ST) and two-character escapes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls but tab and newline, DEL, C1 controls, lone surrogates, U+FFFE/FFFF.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Bidirectional overrides and isolates (Trojan Source), zero-width characters, the BOM.
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// Azure Pipelines acts on `##vso[` anywhere in a line, and formats `##[group]`-style commands.
const VSO = /##(vso)?\[/gi;
// GitHub Actions acts on workflow commands at the start of a line (`::set-output …`).
const GHA = /^(\s*)::/gm;
/** What any of the above (and CR) needs to match: a character outside printable ASCII, tab and newline, or `##`, `::`. */
const NEEDS_CLEANING = /[^\t\n\x20-\x7e]|##|::/;

/**
 * Text with ANSI escapes, control characters (but tab and newline), bidi and zero-width characters
 * and lone surrogates removed, and CI log commands neutralised: safe for a terminal and a CI log,
 * legal in XML 1.0. CR LF becomes LF. Secrets are scrubbed (see secrets.ts).
 */
export function cleanText(text: string): string {
  // Printable ASCII, tab and newline, with no `##` nor `::`: none of the replacements below applies.
  if (!NEEDS_CLEANING.test(text)) return scrubSecrets(text);
  return scrubSecrets(
    text
      .replace(/\r\n?/g, '\n')
      .replace(ANSI, '')
      .replace(UNSAFE, '')
      .replace(INVISIBLE, '')
      .replace(VSO, (m) => m.replace('[', '\uff3b'))
      .replace(GHA, '$1:\u200a:'),
  );
}

/** One line: newlines and tabs become spaces, runs of whitespace collapse. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/\s+/g, ' ').trim();
}

// The tool's own terminal styling: SGR colours and the line erase of the live view.
const OWN_STYLE = /^\u001b\[(?:[0-9;]*m|2?K)$/;
// UNSAFE but for NUL (the placeholder below), tab, newline and carriage return.
const STREAM_UNSAFE = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text on its way to a stream the tool writes (stdout, stderr): the last line of defence behind
 * the writers, for every command. Secrets scrubbed, CI log commands neutralised, control, bidi and
 * zero-width characters removed. With `styles` (a terminal) the tool's own colours, the line erase
 * and the carriage returns of the live view are kept and every other escape sequence removed;
 * without (a pipe, a CI log) every escape sequence goes and a CR becomes a newline. `lineStart`
 * says whether the text begins a line (so that a `::` there is a workflow command).
 */
export function streamText(text: string, options: { styles: boolean; lineStart: boolean }): string {
  const kept: string[] = [];
  // The styles to keep wait as NUL-delimited placeholders while the rest is cleaned.
  const parked = text.replace(/\u0000/g, '').replace(ANSI, (sequence) => (options.styles && OWN_STYLE.test(sequence) ? `\u0000${kept.push(sequence) - 1}\u0000` : ''));
  const body = (options.styles ? parked.replace(/\r\n/g, '\n') : parked.replace(/\r\n?/g, '\n'))
    .replace(STREAM_UNSAFE, '')
    .replace(INVISIBLE, '')
    .replace(VSO, (m) => m.replace('[', '\uff3b'))
    .replace(options.lineStart ? /(^|[\n\r])((?:\s|\u0000\d+\u0000)*)::/g : /([\n\r])((?:\s|\u0000\d+\u0000)*)::/g, '$1$2:\u200a:');
  return scrubSecrets(body.replace(/\u0000(\d+)\u0000/g, (_m, index: string) => kept[Number(index)]!));
}

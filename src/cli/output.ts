// The CLI's output choke point: whatever any command writes to stdout or stderr (results, errors,
// diff, replay, explain, the live view) passes streamText on its way out, so text from outside never
// reaches a terminal or a CI log raw, and no secret is printed, whichever code path wrote it.
//
// The guard is line-buffered: a secret, a `##vso[` or a line-leading `::` split over two writes is
// judged as the one line it makes. An incomplete line waits for its end (or the stream's end, or
// the process's exit, which every stop signal leads to). On a terminal it waits at most
// PARTIAL_LINE_MS, so the live view's status line (a partial line redrawn after `\r`) still shows.
import { streamText } from '../text/sanitize.js';

const GUARDED = Symbol.for('xtenant-doctor.output-guarded');

/** On a terminal, an incomplete line is written after this long without its end (the live view redraws every 100 ms). */
export const PARTIAL_LINE_MS = 30;

type Write = NodeJS.WriteStream['write'];
type Done = (error?: Error | null) => void;

// A PEM block written a line at a time: after its BEGIN line (which the scrubber replaces to the end
// of what it sees), its base64 and header lines are dropped up to and including the END line.
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/;
const PEM_END = /-----END [A-Z0-9 ]+-----/;
const PEM_BODY_LINE = /^(?:[A-Za-z0-9+/=\s]*|[A-Za-z-]+:.*)$/;

/** Routes every later write of `stream` through streamText, a line at a time (once per stream). */
export function guardStream(stream: NodeJS.WriteStream, options: { partialLineMs?: number } = {}): { flush(): void } {
  const marked = stream as NodeJS.WriteStream & { [GUARDED]?: { flush(): void } };
  if (marked[GUARDED]) return marked[GUARDED];
  const write = stream.write.bind(stream) as (chunk: string, encoding?: BufferEncoding, callback?: Done) => boolean;
  const end = stream.end.bind(stream) as (callback?: () => void) => NodeJS.WriteStream;
  const partialLineMs = options.partialLineMs ?? PARTIAL_LINE_MS;
  let pending = '';
  let lineStart = true;
  let inPem = false;
  let timer: NodeJS.Timeout | undefined;

  /** Drops what belongs to a PEM block opened by an earlier write. */
  const outsidePem = (raw: string): string => {
    let text = raw;
    while (inPem && text) {
      const newline = text.search(/[\n\r]/);
      const line = newline < 0 ? text : text.slice(0, newline);
      const closing = PEM_END.exec(line);
      if (closing) {
        inPem = false;
        return text.slice(closing.index + closing[0].length);
      }
      if (!PEM_BODY_LINE.test(line)) inPem = false;
      else text = newline < 0 ? '' : text.slice(newline + 1);
    }
    return text;
  };

  const emit = (raw: string, done?: Done): boolean => {
    const text = outsidePem(raw);
    const begin = text.lastIndexOf('-----BEGIN ');
    if (begin >= 0 && PEM_BEGIN.test(text.slice(begin)) && !PEM_END.test(text.slice(begin))) inPem = true;
    const safe = streamText(text, { styles: !!stream.isTTY, lineStart });
    if (safe) lineStart = /[\n\r]$/.test(safe);
    if (!safe && done) {
      process.nextTick(done);
      return true;
    }
    return safe || done ? write(safe, 'utf8', done) : true;
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return;
    const text = pending;
    pending = '';
    emit(text);
  };

  stream.write = function guardedWrite(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const done = (typeof encoding === 'function' ? encoding : callback) as Done | undefined;
    pending += typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    const cut = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r'));
    let ok = true;
    if (cut >= 0) {
      const complete = pending.slice(0, cut + 1);
      pending = pending.slice(cut + 1);
      ok = emit(complete, done);
    } else if (done) {
      process.nextTick(done);
    }
    if (!pending && timer) {
      clearTimeout(timer);
      timer = undefined;
    } else if (pending && stream.isTTY && !timer) {
      timer = setTimeout(flush, partialLineMs);
      timer.unref?.();
    }
    return ok;
  } as Write;

  stream.end = function guardedEnd(chunk?: unknown, encoding?: unknown, callback?: unknown): NodeJS.WriteStream {
    const done = [chunk, encoding, callback].find((a) => typeof a === 'function') as (() => void) | undefined;
    if (chunk !== undefined && typeof chunk !== 'function') stream.write(chunk as string);
    flush();
    return end(done);
  } as NodeJS.WriteStream['end'];

  // Every way out (a command's end, an error, a stop signal's exit code) passes 'exit'; stdout and
  // stderr write synchronously there (files, terminals, and pipes on Linux and macOS).
  process.once('exit', flush);
  marked[GUARDED] = { flush };
  return marked[GUARDED];
}

/** Guards the process's stdout and stderr. */
export function guardProcessOutput(): void {
  guardStream(process.stdout);
  guardStream(process.stderr);
}

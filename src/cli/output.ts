// The CLI's output choke point: whatever any command writes to stdout or stderr (results, errors,
// diff, replay, explain, the live view) passes streamText on its way out, so text from outside never
// reaches a terminal or a CI log raw, and no secret is printed, whichever code path wrote it.
import { streamText } from '../text/sanitize.js';

const GUARDED = Symbol.for('xtenant-doctor.output-guarded');

type Write = NodeJS.WriteStream['write'];

/** Routes every later write of `stream` through streamText (once per stream). */
export function guardStream(stream: NodeJS.WriteStream): void {
  const marked = stream as NodeJS.WriteStream & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  marked[GUARDED] = true;
  const write = stream.write.bind(stream) as (chunk: string, encoding?: BufferEncoding, callback?: (error?: Error | null) => void) => boolean;
  let lineStart = true;
  stream.write = function guardedWrite(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const done = (typeof encoding === 'function' ? encoding : callback) as ((error?: Error | null) => void) | undefined;
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    const safe = streamText(text, { styles: !!stream.isTTY, lineStart });
    if (safe) lineStart = /[\n\r]$/.test(safe);
    return write(safe, 'utf8', done);
  } as Write;
}

/** Guards the process's stdout and stderr. */
export function guardProcessOutput(): void {
  guardStream(process.stdout);
  guardStream(process.stderr);
}

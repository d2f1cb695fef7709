// The live terminal view of a run, fed by the engine's events. On an interactive terminal one status
// line shows the checks still running; when the run ends it gives way to the grouped view
// (terminal.ts): results are shown by hop, not in the order they happened to finish (--verbose also
// logs each result as it lands). When the output is not a TTY or CI is set, nothing is rewritten: a
// fleet says "targets N/M done" every tenth of the fleet, and the grouped view follows at the end.
import pc from 'picocolors';
import type { EngineEvent } from '../src/engine/run.js';
import type { RunReport } from '../src/engine/types.js';
import { oneLine } from './model.js';
import { formatResultLine, formatSummary, formatVerdict, shouldColor, shouldUseAscii } from './terminal.js';

export interface LiveStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface LiveOptions {
  stream: LiveStream;
  env?: NodeJS.ProcessEnv;
  /** `--color` / `--no-color`; default from NO_COLOR, FORCE_COLOR and the TTY. */
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  /** `--ascii`; default: ASCII on the Windows console host (see shouldUseAscii). */
  ascii?: boolean;
  /** The platform, for the ASCII decision (tests). Default process.platform. */
  platform?: NodeJS.Platform;
  /** Number of targets: with more than one, each line names its target. */
  targets?: number;
  /** Checks expected in all (targets × selected checks), for the progress count. */
  totalChecks?: number;
  /** Redraw period of the spinner (ms); 0 disables the timer (tests). Default 100. */
  tickMs?: number;
}

export interface LiveRenderer {
  /** Pass as the engine's `onEvent`. */
  onEvent(event: EngineEvent): void;
  /** Clears the status line and prints the closing summary (or only the verdict with quiet). */
  finish(report: RunReport): void;
  /** Clears the status line and stops the timer without a summary (an aborted run). */
  stop(): void;
  /** true when rewriting a status line (TTY and not CI). */
  readonly interactive: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ASCII_SPINNER = ['|', '/', '-', '\\'];
const CLEAR_LINE = '\r\u001b[2K';

/** CI is set to something other than empty, 0 or false. */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

export function createLiveRenderer(options: LiveOptions): LiveRenderer {
  const env = options.env ?? process.env;
  const { stream } = options;
  const color = shouldColor(stream, env, options.color);
  const c = pc.createColors(color);
  const ascii = shouldUseAscii(env, options.platform ?? process.platform, options.ascii);
  const spinner = ascii ? ASCII_SPINNER : SPINNER;
  const interactive = stream.isTTY === true && !isCI(env) && !options.quiet;
  const fleet = (options.targets ?? 1) > 1;
  const running = new Map<string, { target: string; checkId: string }>();
  let done = 0;
  let targetsDone = 0;
  let targetsTotal = options.targets ?? 1;
  let frame = 0;
  let statusShown = false;
  let timer: NodeJS.Timeout | undefined;

  const statusLine = (): string => {
    const names = [...running.values()].map((r) => (fleet ? `${r.checkId} [${oneLine(r.target)}]` : r.checkId));
    const checks = options.totalChecks ? `${done}/${options.totalChecks}` : `${done} done`;
    const progress = fleet ? `targets ${targetsDone}/${targetsTotal} · checks ${checks}` : checks;
    const head = `${c.cyan(spinner[frame % spinner.length]!)} ${c.dim(progress)} running ${names.length}: `;
    const width = Math.max(40, (stream.columns ?? 80) - 1);
    // Plain-text width budget: the visible head is about 25 characters.
    let list = names.join(', ');
    const room = width - 25 - progress.length;
    if (list.length > room) list = `${list.slice(0, Math.max(0, room - 1))}…`;
    return head + c.dim(list);
  };
  const clearStatus = () => {
    if (statusShown) stream.write(CLEAR_LINE);
    statusShown = false;
  };
  const drawStatus = () => {
    if (!interactive) return;
    if (running.size === 0) return clearStatus();
    stream.write(`${CLEAR_LINE}${statusLine()}`);
    statusShown = true;
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  if (interactive && (options.tickMs ?? 100) > 0) {
    timer = setInterval(() => {
      frame++;
      drawStatus();
    }, options.tickMs ?? 100);
    timer.unref?.();
  }

  return {
    interactive,
    onEvent(event) {
      if (event.type === 'check-start') {
        running.set(`${event.target}\u0000${event.checkId}`, { target: event.target, checkId: event.checkId });
        drawStatus();
      } else if (event.type === 'check-end') {
        running.delete(`${event.target}\u0000${event.result.checkId}`);
        done++;
        // --verbose is a log: each result as it lands (evidence under those that did not pass), the grouped view after.
        if (options.verbose && !options.quiet) {
          clearStatus();
          stream.write(`${formatResultLine(event.result, { color, ascii, verbose: true, ...(fleet ? { target: event.target } : {}) })}\n`);
        }
        drawStatus();
      } else if (event.type === 'target-end') {
        targetsDone = event.done;
        targetsTotal = event.total;
        if (fleet && !interactive && !options.quiet && isProgressStep(event.done, event.total)) {
          stream.write(`${c.dim(`targets ${event.done}/${event.total} done`)}\n`);
        }
      }
    },
    finish(report) {
      stopTimer();
      clearStatus();
      const text = options.quiet ? formatVerdict(report, { color, ascii }) : formatSummary(report, { color, ascii, verbose: options.verbose });
      stream.write(`${text}\n`);
    },
    stop() {
      stopTimer();
      clearStatus();
    },
  };
}

/** Plain output's fleet progress: every target up to ten, else each tenth of the fleet, and the last. */
export function isProgressStep(done: number, total: number): boolean {
  if (done >= total || total <= 10) return true;
  return Math.floor((done * 10) / total) > Math.floor(((done - 1) * 10) / total);
}

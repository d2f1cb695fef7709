// The signals that mean "stop" and how the CLI exits on each. Ctrl+C is SIGINT everywhere. On
// Windows SIGTERM never comes: Ctrl+Break is SIGBREAK and closing the console window is SIGHUP
// (Windows then ends the process after about ten seconds), so those stop a run, and the lab, as
// Ctrl+C does. On Linux and macOS SIGTERM (a service manager, `kill`) and SIGHUP (the terminal
// closed) do. The exit code is the shell convention, 128 + the signal's number.
import { EventEmitter } from 'node:events';

const NUMBER: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15, SIGBREAK: 21 };

export function stopSignals(platform: NodeJS.Platform = process.platform): NodeJS.Signals[] {
  return platform === 'win32' ? ['SIGINT', 'SIGBREAK', 'SIGHUP'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
}

export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (NUMBER[signal] ?? NUMBER.SIGINT!);
}

/**
 * Calls `onStop` on every stop signal until the returned function is called. While it listens, the
 * signals do not kill the process: the caller finishes what it must (reports, cleanup), and a second
 * Ctrl+C during that does not cut it short.
 */
export function onStopSignal(onStop: (signal: NodeJS.Signals) => void, options: { platform?: NodeJS.Platform; emitter?: EventEmitter } = {}): () => void {
  const emitter = options.emitter ?? process;
  const signals = stopSignals(options.platform);
  const handler = (signal: NodeJS.Signals) => onStop(signal);
  for (const signal of signals) emitter.on(signal, handler);
  return () => {
    for (const signal of signals) emitter.off(signal, handler);
  };
}

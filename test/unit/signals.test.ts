// The stop signals per platform (src/cli/signals.ts), with the platform and the emitter injected:
// on Windows Ctrl+Break (SIGBREAK) and a closed console (SIGHUP) stop like Ctrl+C; SIGTERM never comes there.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/engine/status.js';
import { onStopSignal, signalExitCode, stopSignals } from '../../src/cli/signals.js';

describe('stop signals', () => {
  it('on Windows: Ctrl+C, Ctrl+Break and closing the console', () => {
    expect(stopSignals('win32')).toEqual(['SIGINT', 'SIGBREAK', 'SIGHUP']);
  });
  it('elsewhere: Ctrl+C, SIGTERM and the terminal closing', () => {
    expect(stopSignals('linux')).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    expect(stopSignals('darwin')).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
  });

  it.each(['SIGINT', 'SIGBREAK', 'SIGHUP'] as const)('on Windows, %s calls the handler, and so does a second signal, until it stops listening', (signal) => {
    const emitter = new EventEmitter();
    const seen: string[] = [];
    const off = onStopSignal((s) => seen.push(s), { platform: 'win32', emitter });
    for (const s of stopSignals('win32')) expect(emitter.listenerCount(s)).toBe(1);
    expect(emitter.listenerCount('SIGTERM')).toBe(0);
    emitter.emit(signal, signal);
    emitter.emit('SIGINT', 'SIGINT');
    expect(seen).toEqual([signal, 'SIGINT']);
    off();
    for (const s of stopSignals('win32')) expect(emitter.listenerCount(s)).toBe(0);
  });

  it('the returned function stops listening before any signal', () => {
    const emitter = new EventEmitter();
    const off = onStopSignal(() => expect.fail('no signal was sent'), { platform: 'linux', emitter });
    off();
    emitter.emit('SIGTERM', 'SIGTERM');
    expect(stopSignals('linux').map((s) => emitter.listenerCount(s))).toEqual([0, 0, 0]);
  });

  it('exit codes: 128 + the signal number, the same as the status model for SIGINT and SIGTERM', () => {
    expect(signalExitCode('SIGINT')).toBe(EXIT.sigint);
    expect(signalExitCode('SIGTERM')).toBe(EXIT.sigterm);
    expect(signalExitCode('SIGHUP')).toBe(129);
    expect(signalExitCode('SIGBREAK')).toBe(149);
  });
});

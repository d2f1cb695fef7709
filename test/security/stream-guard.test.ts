// The CLI's stream guard (src/cli/output.ts) judges whole lines: a secret, a `##vso[`, a line-leading
// `::` or a PEM block split over several writes never reaches stdout or stderr raw. An incomplete
// line waits for its end, the stream's end or the process's exit; on a terminal at most
// PARTIAL_LINE_MS, so the live view's status line still shows.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLiveRenderer } from '../../reports/live.js';
import { guardStream, PARTIAL_LINE_MS } from '../../src/cli/output.js';
import { clearRegisteredSecrets, registerSecret } from '../../src/text/secrets.js';
import { ROOT } from '../helpers/cli.js';
import { makeReport } from '../helpers/sample-report.js';

/** A stream that records what reaches it, guarded. */
function captured(isTTY = false) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 100 });
  guardStream(stream);
  /** Each piece as its own write. */
  const writeEach = (...pieces: string[]) => pieces.forEach((piece) => stream.write(piece));
  return { stream, writeEach, text: () => chunks.join('') };
}

const JWT_SIGNATURE = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

afterEach(() => {
  clearRegisteredSecrets();
  vi.useRealTimers();
});

describe('the stream guard across writes', () => {
  it('a token written in two halves never reaches the stream, whichever half carries what', () => {
    const out = captured();
    registerSecret('Xk9-pasted-client-secret-value');
    out.writeEach(
      'the secret is Xk9-pasted-',
      'client-secret-value, then\n',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
      `.${JWT_SIGNATURE}\n`,
      'Authorization: Bea',
      'rer abcdefghijklmnopqrstuvwxyz0123\n',
      'DefaultEndpointsProtocol=https;AccountKey=',
      'c2VjcmV0a2V5dmFsdWU=;EndpointSuffix=core.windows.net\n',
    );
    const text = out.text();
    for (const leak of ['Xk9-pasted-', 'client-secret-value', JWT_SIGNATURE, 'abcdefghijklmnopqrstuvwxyz0123', 'c2VjcmV0a2V5dmFsdWU']) expect(text).not.toContain(leak);
    expect(text).toContain('the secret is [redacted], then\n');
    expect(text).toContain('AccountKey=[redacted]');
  });

  it('`##vso[` and a line-leading `::` split across writes are neutralised', () => {
    const out = captured();
    out.writeEach('name: ##v', 'so[task.setvariable variable=PATH]/tmp/evil\n', ':', ':add-mask::x\n', '##[group]x\n');
    const text = out.text();
    expect(text).not.toMatch(/##vso\[|##\[/i);
    expect(text).not.toMatch(/^\s*::/m);
  });

  it('a PEM block written a line at a time is dropped to its END line; the text after it is kept', () => {
    const out = captured();
    out.writeEach(
      'error body:\n',
      '-----BEGIN PRIVATE KEY-----\n',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n',
      'Proc-Type: 4,ENCRYPTED\n',
      'q2VjcmV0a2V5dmFsdWU=\n',
      '-----END PRIVATE KEY----- trailing\n',
      'next line\n',
    );
    const text = out.text();
    expect(text).not.toContain('MIIEvQ');
    expect(text).not.toContain('q2VjcmV0');
    expect(text).toContain('[redacted PEM block]');
    expect(text).toContain(' trailing\nnext line\n');
  });

  it('an unterminated PEM block ends at the first line that is not base64', () => {
    const out = captured();
    out.stream.write('-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n');
    out.stream.write('check consumer.zone-linked: fail\n');
    expect(out.text()).toBe('[redacted PEM block]check consumer.zone-linked: fail\n');
  });

  it('an incomplete line in a pipe waits for its newline or the end of the stream; callbacks still come', async () => {
    const out = captured();
    const called = vi.fn();
    out.stream.write('no newline yet', called);
    expect(out.text()).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(called).toHaveBeenCalled();
    out.stream.write(' and the rest\npartial');
    expect(out.text()).toBe('no newline yet and the rest\n');
    await new Promise<void>((resolve) => out.stream.end(resolve));
    expect(out.text()).toBe('no newline yet and the rest\npartial');
  });

  it('on a terminal an incomplete line (the live view status) is written after PARTIAL_LINE_MS; a split secret within that is still caught', () => {
    vi.useFakeTimers();
    const out = captured(true);
    registerSecret('Xk9-pasted-client-secret-value');
    out.stream.write('\r\u001b[2K\u001b[36m⠋\u001b[0m running 1: consumer.zone-linked');
    // The carriage return ends the line before it at once; the status waits for its line's end.
    expect(out.text()).toBe('\r');
    vi.advanceTimersByTime(PARTIAL_LINE_MS);
    expect(out.text()).toBe('\r\u001b[2K\u001b[36m⠋\u001b[0m running 1: consumer.zone-linked');
    out.stream.write('\r\u001b[2Ksecret Xk9-pasted-');
    out.stream.write('client-secret-value');
    vi.advanceTimersByTime(PARTIAL_LINE_MS);
    expect(out.text()).not.toContain('Xk9-pasted-');
    expect(out.text()).toContain('secret [redacted]');
  });

  it('the live view on a guarded terminal: the status line shows while checks run, and the summary ends clean', () => {
    vi.useFakeTimers();
    const out = captured(true);
    const view = createLiveRenderer({ stream: out.stream, env: {}, color: true, ascii: true, tickMs: 0, totalChecks: 2 });
    expect(view.interactive).toBe(true);
    view.onEvent({ type: 'check-start', target: 't', checkId: 'consumer.zone-linked' });
    vi.advanceTimersByTime(PARTIAL_LINE_MS);
    expect(out.text()).toContain('running 1: ');
    expect(out.text()).toContain('consumer.zone-linked');
    view.finish(makeReport());
    expect(out.text()).toMatch(/\n$/);
  });

  it('what is left of a line is written when the process exits', () => {
    const output = pathToFileURL(join(ROOT, 'dist', 'src', 'cli', 'output.js')).href;
    const script = `import { guardProcessOutput } from ${JSON.stringify(output)}; guardProcessOutput(); process.stdout.write('line\\ntail without newline'); process.exitCode = 0;`;
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(stdout).toBe('line\ntail without newline');
  });
});

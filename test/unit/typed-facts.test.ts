// Typed facts are a compile-time contract (docs/design.md, Typed facts): a check that reads a fact
// it did not declare, or reads one as another shape, does not compile. Compiles the fixture
// test/fixtures/types/facts.ts with the TypeScript compiler: as written (every expect-error line is
// an error, everything else compiles), then with the directives removed (each marked line fails
// with the error its marker names).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FIXTURE = resolve(ROOT, 'test/fixtures/types/facts.ts');
const DIRECTIVE = /^\s*\/\/ @ts-expect-error (UNDECLARED|SHAPE|UNKNOWN):/;

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2023,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  types: ['node'],
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
};

/** Diagnostics of the fixture, with its text replaced by `text`; `old` reuses an earlier program. */
function compile(text: string, old?: ts.Program): { program: ts.Program; errors: Array<{ line: number; code: number; message: string }> } {
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => (resolve(file) === FIXTURE ? text : read(file));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, create) =>
    resolve(file) === FIXTURE ? ts.createSourceFile(file, text, language) : getSourceFile(file, language, onError, create);
  const program = ts.createProgram({ rootNames: [FIXTURE], options, host, ...(old ? { oldProgram: old } : {}) });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  return { program, errors };
}

describe('typed facts', () => {
  it('compiles correct reads, and every marked misuse is a compile error (built-in facts and a plugin’s)', { timeout: 300_000 }, () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const lines = text.split('\n');
    const marked = lines.flatMap((line, i) => (DIRECTIVE.test(line) ? [{ line: i + 2, kind: DIRECTIVE.exec(line)![1]! }] : []));
    expect(marked.map((m) => m.kind).sort()).toEqual(['SHAPE', 'SHAPE', 'SHAPE', 'UNDECLARED', 'UNDECLARED', 'UNDECLARED', 'UNKNOWN']);

    // As written: no error at all (an unused expect-error directive would be TS2578).
    const asWritten = compile(text);
    expect(asWritten.errors).toEqual([]);

    // Without the directives (line numbers kept): each marked line, and only those, fails.
    const stripped = lines.map((line) => (DIRECTIVE.test(line) ? '' : line)).join('\n');
    const { errors } = compile(stripped, asWritten.program);
    expect([...new Set(errors.map((e) => e.line))].sort((a, b) => a - b)).toEqual(marked.map((m) => m.line));
    for (const { line, kind } of marked) {
      const messages = errors.filter((e) => e.line === line).map((e) => e.message).join('\n');
      if (kind === 'UNDECLARED') expect(messages).toMatch(/is not assignable to parameter of type '"consumer\.|is not assignable to parameter of type '"acme\./);
      if (kind === 'SHAPE') expect(messages).toMatch(/does not exist on type|is not assignable to type 'number'/);
      if (kind === 'UNKNOWN') expect(messages).toMatch(/"consumer\.privateEndpont"/);
    }
  });
});

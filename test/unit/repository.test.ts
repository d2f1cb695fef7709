// The repository explains itself: no file in it refers to a path outside it (the project's shared
// folder is not part of a clone), and every upper-case Markdown file name it cites is one of its own files. Its fixtures
// keep LF on every checkout (.gitattributes), so a Windows clone serves the same DNS zones and examples.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

/** Tracked files and new ones not ignored: what a commit would hold. */
function repositoryFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean)
    .filter((file) => {
      try {
        readFileSync(join(ROOT, file));
        return true;
      } catch {
        return false; // deleted in the work tree
      }
    });
}

function textOf(file: string): string | undefined {
  const bytes = readFileSync(join(ROOT, file));
  return bytes.includes(0) ? undefined : bytes.toString('utf8');
}

// Written in pieces so this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\./', 'shared\\b', '|/work/', 'shared\\b'].join(''));

describe('the repository explains itself', () => {
  const files = repositoryFiles();

  it('no file refers to a path outside the repository', () => {
    const outside = files.flatMap((file) =>
      (textOf(file) ?? '')
        .split('\n')
        .map((line, i) => (OUTSIDE.test(line) ? `${file}:${i + 1}: ${line.trim()}` : undefined))
        .filter((hit): hit is string => hit !== undefined),
    );
    expect(outside).toEqual([]);
  });

  it('every upper-case Markdown file it cites (README, SECURITY, SOURCES) is a file of the repository', () => {
    const own = new Set(files.map((f) => basename(f)));
    const missing = files.flatMap((file) => [...(textOf(file) ?? '').matchAll(/\b[A-Z][A-Z0-9_-]*\.md\b/g)].map((m) => m[0]).filter((name) => !own.has(name)).map((name) => `${file}: ${name}`));
    expect(missing).toEqual([]);
  });

  it('the design, the check catalogue and the reference facts are in docs/', () => {
    for (const doc of ['docs/design.md', 'docs/checks.md', 'docs/reference.md', 'test/fixtures/reference/SOURCES.md']) expect(files, doc).toContain(doc);
  });
});

describe('line endings', () => {
  it('every fixture, script and source file is checked out with LF, also on Windows', () => {
    const sample = repositoryFiles().filter((f) => /^test\/fixtures\/|\.(zone|json|xsd|tsv|conf|ts|mjs|js|md)$|^\.ci\//.test(f));
    const out = execFileSync('git', ['check-attr', 'eol', '--', ...sample], { cwd: ROOT, encoding: 'utf8' });
    const notLf = out.split('\n').filter((line) => line && !line.endsWith(': eol: lf'));
    expect(notLf).toEqual([]);
    expect(sample.some((f) => f.endsWith('.zone'))).toBe(true);
  });
});

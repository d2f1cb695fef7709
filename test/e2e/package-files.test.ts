// The published package ships what it needs and nothing else: the launcher, the built code (with the
// config schema tsc emits beside it), the published schemas, README and SECURITY.md; no tests, no
// TypeScript sources, no fixtures, no source maps. Every relative import in the shipped code resolves
// to a shipped file, so the installed CLI can start.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

interface PackFile {
  path: string;
  size: number;
}

function packedFiles(): string[] {
  // --ignore-scripts: `prepare` would rebuild; `npm test` has just built dist/.
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const [pack] = JSON.parse(run.stdout) as Array<{ files: PackFile[] }>;
  return pack!.files.map((f) => f.path).sort();
}

describe('npm pack', () => {
  const files = packedFiles();
  const shipped = new Set(files);

  it('ships the launcher, the built code, the schemas and the docs', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; main: string; types: string };
    for (const needed of [
      'package.json',
      'README.md',
      'SECURITY.md',
      ...Object.values(pkg.bin).map((p) => normalize(p)),
      normalize(pkg.main),
      normalize(pkg.types),
      'dist/src/cli/main.js',
      'dist/src/lab/server.js',
      'dist/checks/index.js',
      'dist/reports/index.js',
      // The config schema compiled at build time (scripts/compile-schemas.mjs); load.js imports it.
      'dist/src/config/schema-validator.generated.js',
      'schema/config.schema.json',
      'schema/report.schema.json',
    ]) {
      expect(shipped.has(needed), needed).toBe(true);
    }
  });

  it('ships no tests, TypeScript sources, fixtures, source maps or CI files', () => {
    const unwanted = files.filter(
      (f) =>
        /^(test|src|checks|reports|bench|\.ci|docs)\//.test(f) ||
        /(^|\/)fixtures\//.test(f) ||
        (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
        /\.map$/.test(f) ||
        /\.test\./.test(f) ||
        /(^|\/)(tsconfig|vitest\.config)/.test(f),
    );
    expect(unwanted).toEqual([]);
    expect(files.every((f) => /^(bin|dist|schema)\/|^(package\.json|README\.md|SECURITY\.md|LICENSE)$/.test(f)), files.join('\n')).toBe(true);
  });

  it('every relative import of the shipped code resolves to a shipped file', () => {
    const missing: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)].map((m) => m[2]!);
      for (const spec of specifiers) {
        const target = normalize(join(dirname(file), spec));
        if (!shipped.has(target)) missing.push(`${file} → ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

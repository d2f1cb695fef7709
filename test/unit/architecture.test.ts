// The layers point one way: no import cycle in product code (src, checks, reports), type-only
// imports included, since a type cycle is a layer that reaches back too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]/gm;

function productFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const root of ['src', 'checks', 'reports']) walk(join(ROOT, root));
  return files;
}

/** Every cycle in the graph of relative imports, each as `a -> b -> a`. */
export function importCycles(files: string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): string[] {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps: string[] = [];
    for (const match of read(file).matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1]!).replace(/\.js$/, '.ts');
      if (files.includes(target) || existsSync(target)) deps.push(target);
    }
    graph.set(file, deps);
  }
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(ROOT, f)).join(' -> '));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

describe('architecture', () => {
  it('finds a cycle when there is one (the detector works)', () => {
    const a = join(ROOT, 'src', 'a.ts');
    const b = join(ROOT, 'src', 'b.ts');
    const text: Record<string, string> = { [a]: "import type { B } from './b.js';", [b]: "export { A } from './a.js';" };
    expect(importCycles([a, b], (f) => text[f]!)).toEqual(['src/a.ts -> src/b.ts -> src/a.ts']);
  });

  it('has no import cycle in product code, type-only imports included', () => {
    expect(importCycles(productFiles())).toEqual([]);
  });

  it('has layers that point one way: a lower layer imports nothing from the layers above it', () => {
    expect(layerViolations(productFiles())).toEqual([]);
  });

  it('finds an import that reaches up a layer (the rule works)', () => {
    const file = join(ROOT, 'src', 'config', 'x.ts');
    expect(layerViolations([file], () => "import { a } from '../engine/run.js';\nimport type { Target } from '../engine/types.js';")).toEqual(['src/config/x.ts -> src/engine/run.ts']);
  });

  it('has at most three casts through unknown or any in product code, each under a comment saying why', () => {
    const found = castsIn(productFiles().filter((f) => !f.endsWith('.generated.ts')));
    expect(found.length, found.map((c) => c.at).join('\n')).toBeLessThanOrEqual(3);
    expect(found.filter((c) => !c.explained).map((c) => c.at)).toEqual([]);
  });

  it('finds a cast and whether a comment explains it (the counter works)', () => {
    const file = join(ROOT, 'src', 'c.ts');
    const text = 'const a = b as any;\n// why: the types lie\nconst c = d as unknown as E;\n';
    expect(castsIn([file], () => text)).toEqual([
      { at: 'src/c.ts:1', explained: false },
      { at: 'src/c.ts:3', explained: true },
    ]);
  });
});

/** Each `as unknown as` / `as any` in `files`, and whether a comment line stands right above it (or a run of comments). */
function castsIn(files: string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): Array<{ at: string; explained: boolean }> {
  return files.flatMap((file) => {
    const lines = read(file).split('\n');
    return lines.flatMap((line, i) => {
      if (!/\bas (unknown as|any\b)/.test(line.replace(/\/\/.*$/, ''))) return [];
      return [{ at: `${relative(ROOT, file)}:${i + 1}`, explained: /^\s*(\/\/|\*|\/\*)/.test(lines[i - 1] ?? '') || /\/\/\s*\S/.test(line) }];
    });
  });
}

// What each layer may not import (folders above it). The pipeline reads config → engine → gather →
// checks → reports; src/text, src/net, src/dns and src/fabric are the shared ground every layer
// stands on. One file is everyone's: src/engine/types.ts, the vocabulary (Target, Unavailable,
// FactUnavailableError) that a failure anywhere is reported in.
const ABOVE = ['src/cli', 'src/snapshot', 'src/discover', 'src/lab'];
const LAYERS: Record<string, string[]> = {
  'src/text': ['src/config', 'src/engine', 'src/azure', 'src/gather', 'src/fix', 'checks', 'reports', ...ABOVE],
  'src/net': ['src/engine', 'src/azure', 'src/gather', 'src/fix', 'checks', 'reports', ...ABOVE],
  'src/dns': ['src/engine', 'src/azure', 'src/gather', 'src/fix', 'checks', 'reports', ...ABOVE],
  'src/fabric': ['src/engine', 'src/azure', 'src/gather', 'src/fix', 'checks', 'reports', ...ABOVE],
  'src/config': ['src/engine', 'src/gather', 'src/fix', 'checks', 'reports', ...ABOVE],
  'src/engine': ['src/gather', 'checks', 'reports', ...ABOVE],
  'src/azure': ['src/gather', 'checks', 'reports', ...ABOVE],
  'src/gather': ['checks', 'reports', ...ABOVE],
  checks: ['reports', ...ABOVE],
  reports: ['src/gather', ...ABOVE],
};
const VOCABULARY = join(ROOT, 'src', 'engine', 'types.ts');

function layerViolations(files: string[], read: (file: string) => string = (f) => readFileSync(f, 'utf8')): string[] {
  return files.flatMap((file) => {
    const from = relative(ROOT, file).split('\\').join('/');
    const layer = Object.keys(LAYERS).find((l) => from.startsWith(`${l}/`));
    if (!layer) return [];
    return [...read(file).matchAll(IMPORT)].flatMap((match) => {
      const target = resolve(dirname(file), match[1]!).replace(/\.js$/, '.ts');
      if (target === VOCABULARY) return [];
      const to = relative(ROOT, target).split('\\').join('/');
      return LAYERS[layer]!.some((up) => to.startsWith(`${up}/`)) ? [`${from} -> ${to}`] : [];
    });
  });
}

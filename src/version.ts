// The tool's own name and version, read from its package.json, and where the package sits.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMBEDDED, embeddedText } from './embedded.js';

const NAME = 'xtenant-doctor';

let cached: { name: string; version: string } | undefined;
let root: string | undefined;

export function toolInfo(): { name: string; version: string } {
  if (!cached) {
    // The single executable has no package.json beside it: it carries one.
    const text = embeddedText(EMBEDDED.packageJson) ?? readFileSync(join(packageRoot(), 'package.json'), 'utf8');
    const pkg = JSON.parse(text) as { name: string; version: string };
    cached = { name: pkg.name, version: pkg.version };
  }
  return cached;
}

/**
 * The package's root directory. This module runs from src/ (tests), dist/src/ (the library) or a
 * chunk of the CLI bundle (dist/bundle/…): the first parent whose package.json is ours.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name === NAME) return (root = dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`${NAME}: cannot find its own package.json above ${fileURLToPath(import.meta.url)}`);
}

// The tool's own name and version, read from package.json (two levels up from src/ and dist/src/).
import { readFileSync } from 'node:fs';

let cached: { name: string; version: string } | undefined;

export function toolInfo(): { name: string; version: string } {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(packageJsonUrl(), 'utf8')) as { name: string; version: string };
    cached = { name: pkg.name, version: pkg.version };
  }
  return cached;
}

/** src/version.ts (tests) and dist/src/version.js (built) sit at different depths below the package root. */
function packageJsonUrl(): URL {
  const depth = import.meta.url.includes('/dist/src/') ? '../../package.json' : '../package.json';
  return new URL(depth, import.meta.url);
}

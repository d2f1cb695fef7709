// External tools the report tests drive. Missing tools fail the test with the fix, never skip it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const JUNIT_XSDS = ['jenkins-xunit-junit-10.xsd', 'windyroad-JUnit.xsd'].map((name) => join(import.meta.dirname, '..', 'fixtures', 'reference', 'junit', name));

export function requireTool(binary: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${binary}`]).status !== 0) {
    throw new Error(`${binary} is missing: run \`node test/setup/ensure-system-deps.mjs\` (installs Debian ${pkg})`);
  }
}

/** xmllint --schema; returns its stderr on failure, '' when valid. */
export function xmllintSchema(xmlFile: string, xsd: string): { ok: boolean; output: string } {
  requireTool('xmllint', 'libxml2-utils');
  const run = spawnSync('xmllint', ['--noout', '--schema', xsd, xmlFile], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

// Every report a test produces is validated against the published schema.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { expect } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'report.schema.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

export function expectValidReport(report: unknown): void {
  const ok = validate(report);
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
}

// Shared by the provider and consumer check tests: one check through the engine on the official
// example shapes (test/fixtures/control.ts), and a scratch folder for running the fix commands.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { SignInFact } from '../../src/azure/signin.js';
import type { CheckDef } from '../../src/engine/define.js';
import * as fx from '../fixtures/control.js';
import { evaluate, type FactValue } from '../fixtures/engine.js';

export { fx };
export const scratch = mkdtempSync(join(tmpdir(), 'check-fix-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

export async function one(check: CheckDef, patch: Record<string, FactValue> = {}, target = fx.target()) {
  const results = await evaluate([check], { ...fx.healthyFacts(), ...patch }, target);
  return results[check.id]!;
}

/** The `<side>.signIn` fact of an app whose client secret has expired (AADSTS7000222) in `tenantId`. */
export function expiredSecretSignIn(side: SignInFact['side'], tenantId: string, clientId: string): SignInFact {
  return {
    side,
    credentialType: 'client-secret',
    tenantId,
    clientId,
    checkedAt: Date.now(),
    tokens: [{ audience: 'arm', scope: 'https://management.azure.com/.default', ok: false, error: { name: 'AuthenticationError', aadsts: 'AADSTS7000222', description: 'The provided client secret keys are expired.' } }],
  };
}

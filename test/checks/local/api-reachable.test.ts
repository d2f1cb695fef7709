import { describe, expect, it } from 'vitest';
import { apiFinding } from '../../../checks/local/api-reachable.js';
import type { HttpsProbeResult } from '../../../src/gather/net/https.js';

const denied: HttpsProbeResult = { method: 'GET', host: 'x.fabric.microsoft.com', path: '/v1/workspaces/x', address: '10.0.0.4', port: 443, outcome: 'response', status: 403, bodyKind: 'fabric-error', errorCode: 'RequestDeniedByInboundPolicy', auth: 'none', durationMs: 5 };

describe('local.api-reachable fix', () => {
  it('denied by the inbound policy: the three places a request leaves the private path', () => {
    const finding = apiFinding(denied);
    expect(finding.status).toBe('fail');
    expect(finding.fix!.summary).toMatch(/local\.dns-endpoint-ip[\s\S]*NO_PROXY[\s\S]*consumer\.pe-approved/);
  });
});

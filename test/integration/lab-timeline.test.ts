// The lab's request log carries each HTTP request's arrival and answer times: the bench's request
// timeline (its depth) is read from them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../src/lab/server.js';
import { requestDepth } from '../../src/lab/timeline.js';
import { call, closeAgent } from './lab-helpers.js';

describe('the lab request timeline', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ seed: 'timeline', latencyMs: 20 });
  });
  afterAll(async () => {
    await closeAgent(lab);
    await lab.stop();
  });

  it('times every request, and reads two in a row as depth 2 and two at once as depth 1', async () => {
    const metadata = `/${lab.state.consumer.tenantId}/v2.0/.well-known/openid-configuration`;
    const before = lab.requestLog().length;
    await call(lab, 'GET', metadata);
    await call(lab, 'GET', metadata);
    const inRow = lab.requestLog().slice(before);
    expect(inRow).toHaveLength(2);
    for (const entry of inRow) expect(entry.endMs! - entry.startMs!).toBeGreaterThanOrEqual(0);
    expect(requestDepth(inRow)).toBe(2);

    const middle = lab.requestLog().length;
    await Promise.all([call(lab, 'GET', metadata), call(lab, 'GET', metadata)]);
    expect(requestDepth(lab.requestLog().slice(middle))).toBe(1);
  });
});

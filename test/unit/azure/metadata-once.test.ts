// The identity transport asks the authority's metadata once per credential: the identity library
// fetched it for each token request that started before the first answer (issue 19).
import { createHttpHeaders, createPipelineRequest, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { metadataOnce } from '../../../src/azure/credentials.js';

function counting(status = 200) {
  const sent: string[] = [];
  const client: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { request, status, headers: createHttpHeaders(), bodyAsText: '{}' };
    },
  };
  return { client, sent };
}

const AUTHORITY = 'https://login.example.test/tenant-1';

describe('metadataOnce', () => {
  it('sends one OpenID configuration GET for callers that ask at once, and every token request', async () => {
    const { client, sent } = counting();
    const once = metadataOnce(client);
    const metadata = () => once.sendRequest(createPipelineRequest({ url: `${AUTHORITY}/v2.0/.well-known/openid-configuration`, method: 'GET' }));
    const token = () => once.sendRequest(createPipelineRequest({ url: `${AUTHORITY}/oauth2/v2.0/token`, method: 'POST' }));
    await Promise.all([metadata(), metadata(), token(), token()]);
    await metadata();
    expect(sent.sort()).toEqual(['GET /tenant-1/v2.0/.well-known/openid-configuration', 'POST /tenant-1/oauth2/v2.0/token', 'POST /tenant-1/oauth2/v2.0/token']);
  });

  it('asks again after an answer that is an error', async () => {
    const { client, sent } = counting(503);
    const once = metadataOnce(client);
    const metadata = () => once.sendRequest(createPipelineRequest({ url: `${AUTHORITY}/v2.0/.well-known/openid-configuration`, method: 'GET' }));
    await metadata();
    await metadata();
    expect(sent).toHaveLength(2);
  });
});

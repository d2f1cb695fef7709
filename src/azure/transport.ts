// The Azure SDK's (and identity's) transport, wrapped: timeout, retry of 429/503, request log and a
// body-size cap happen here, right above the guarded socket client.
import type { Agent } from 'node:https';
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { REMAINING_READS_HEADER } from './budget.js';
import { HttpStatusError, MAX_BODY_BYTES, sendWithPolicy, type RequestPolicy } from './http.js';

export function instrumentedHttpClient(inner: HttpClient, policy: RequestPolicy): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const outer = request.abortSignal as AbortSignal | undefined;
      try {
        const result = await sendWithPolicy(request.method, request.url, policy, outer, async (signal) => {
          request.abortSignal = signal;
          const response = await inner.sendRequest(request);
          const length = Number(response.headers.get('content-length') ?? 0);
          const requestId = response.headers.get('x-ms-request-id') ?? response.headers.get('requestid') ?? undefined;
          if (length > MAX_BODY_BYTES) {
            throw new HttpStatusError(response.status, request.url, 'ResponseTooLarge', `the body is ${length} bytes, over the ${MAX_BODY_BYTES}-byte cap`, requestId);
          }
          return { status: response.status, retryAfter: response.headers.get('retry-after'), remainingReads: response.headers.get(REMAINING_READS_HEADER), requestId, response };
        });
        return result.response;
      } finally {
        request.abortSignal = outer;
      }
    },
  };
}

/** Sends every request through `agent` (the trusted roots' shared agent) unless one is set already. */
export function withAgent(inner: HttpClient, agent: Agent | undefined): HttpClient {
  if (!agent) return inner;
  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      request.agent ??= agent;
      return inner.sendRequest(request);
    },
  };
}

// The Azure SDK's (and identity's) transport, wrapped: timeout, retry of 429/503, request log, the
// body-size cap and the run's read budget (readBody) happen here, right above the guarded socket client.
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { DestinationAgents } from './agents.js';
import { REMAINING_READS_HEADER } from './budget.js';
import { MAX_BODY_BYTES, readBody, sendWithPolicy, type RequestPolicy } from './http.js';

export function instrumentedHttpClient(inner: HttpClient, policy: RequestPolicy, maxBodyBytes = MAX_BODY_BYTES): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const outer = request.abortSignal as AbortSignal | undefined;
      const callerStreams = request.streamResponseStatusCodes;
      try {
        const result = await sendWithPolicy(request.method, request.url, policy, outer, async (signal) => {
          request.abortSignal = signal;
          // Every body comes to us as a stream (POSITIVE_INFINITY: any status), so it is read here
          // with a cap and within this attempt's timeout; the client would otherwise buffer it all.
          request.streamResponseStatusCodes = new Set([Number.POSITIVE_INFINITY]);
          const response = await inner.sendRequest(request);
          const length = response.headers.get('content-length');
          const requestId = response.headers.get('x-ms-request-id') ?? response.headers.get('requestid') ?? undefined;
          if (response.readableStreamBody && !(callerStreams?.has(response.status) || callerStreams?.has(Number.POSITIVE_INFINITY))) {
            response.bodyAsText = await readBody(response.readableStreamBody as AsyncIterable<Buffer> & { destroy?(): unknown }, request.url, policy, {
              cap: maxBodyBytes,
              ...(length ? { length: Number(length) } : {}),
              ...(requestId ? { requestId } : {}),
            });
            response.readableStreamBody = undefined;
          }
          return { status: response.status, retryAfter: response.headers.get('retry-after'), remainingReads: response.headers.get(REMAINING_READS_HEADER), requestId, response };
        });
        return result.response;
      } finally {
        request.abortSignal = outer;
        request.streamResponseStatusCodes = callerStreams;
      }
    },
  };
}

/**
 * Sends every request through the destination agents (connect-to and the sandbox at the socket,
 * the trusted roots), the one for the request's protocol, unless one is set already.
 */
export function withAgents(inner: HttpClient, agents: DestinationAgents): HttpClient {
  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      request.agent ??= request.url.startsWith('http:') ? agents.http : agents.https;
      return inner.sendRequest(request);
    },
  };
}

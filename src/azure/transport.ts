// The Azure SDK's (and identity's) transport, wrapped: timeout, retry of 429/503, request log and a
// body-size cap happen here, right above the guarded socket client.
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { DestinationAgents } from './agents.js';
import { REMAINING_READS_HEADER } from './budget.js';
import { stripQuery } from './guard.js';
import { HttpStatusError, InvalidResponseError, MAX_BODY_BYTES, sendWithPolicy, type RequestPolicy } from './http.js';

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
          const length = Number(response.headers.get('content-length') ?? 0);
          const requestId = response.headers.get('x-ms-request-id') ?? response.headers.get('requestid') ?? undefined;
          if (length > maxBodyBytes) {
            (response.readableStreamBody as { destroy?: () => void } | undefined)?.destroy?.();
            throw new HttpStatusError(response.status, request.url, 'ResponseTooLarge', `the body is ${length} bytes, over the ${maxBodyBytes}-byte cap`, requestId);
          }
          if (response.readableStreamBody && !(callerStreams?.has(response.status) || callerStreams?.has(Number.POSITIVE_INFINITY))) {
            response.bodyAsText = await readCapped(response.readableStreamBody, request.url, maxBodyBytes, requestId);
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

/** Reads a body up to `cap` bytes; past it, the stream is destroyed and the answer refused. */
async function readCapped(stream: NodeJS.ReadableStream, url: string, cap: number, requestId?: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > cap) {
      (stream as { destroy?: () => void }).destroy?.();
      throw new InvalidResponseError(`the answer from ${stripQuery(url)} is over the ${cap}-byte cap`, requestId);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

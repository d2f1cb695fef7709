// The read-only guard: the one rule every HTTP client of the tool passes through before a request
// leaves the process. Only GET (and HEAD) go out; the identity library may also POST to a token
// endpoint. It sits under the Azure SDK and identity as their HttpClient (the transport itself, so
// no policy order can bypass it) and under undici as a dispatcher interceptor.
import type { HttpClient, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import type { Dispatcher } from 'undici';

export class ReadOnlyViolationError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
  ) {
    super(`read-only guard: refused ${method} ${url} (xtenant-doctor only reads: GET, and token requests to the identity endpoint)`);
    this.name = 'ReadOnlyViolationError';
  }
}

export interface GuardOptions {
  /** The identity pipeline may POST to token endpoints (authority host, managed identity endpoint). */
  allowTokenRequests?: boolean;
  /**
   * `discover` may POST its query to Azure Resource Graph: a read in RBAC terms
   * (`Microsoft.ResourceGraph/resources/read`), and that exact path only.
   */
  allowResourceGraphQuery?: boolean;
}

/** The Resource Graph query endpoint, the one non-token POST the tool may send. */
export const RESOURCE_GRAPH_PATH = '/providers/Microsoft.ResourceGraph/resources';

/** Token endpoints: `/{tenant}/oauth2/v2.0/token` on an authority, `/oauth2/token` or `/token` on a managed identity endpoint. */
const TOKEN_PATH = /\/oauth2(\/v2\.0)?\/token\/?$|\/msi\/token\/?$|\/token\/?$/i;

/** Throws ReadOnlyViolationError unless the request is a read (or, when allowed, a token request). */
export function assertReadOnly(method: string, url: string, options: GuardOptions = {}): void {
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') return;
  if (verb === 'POST' && (options.allowTokenRequests || options.allowResourceGraphQuery)) {
    let path = '';
    try {
      path = new URL(url).pathname;
    } catch {
      // an unparsable URL is refused below
    }
    if (options.allowTokenRequests && TOKEN_PATH.test(path)) return;
    if (options.allowResourceGraphQuery && path.toLowerCase() === RESOURCE_GRAPH_PATH.toLowerCase()) return;
  }
  throw new ReadOnlyViolationError(verb, stripQuery(url));
}

/** The URL without its query (a query may hold a skip token or a signature). */
export function stripQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : url.slice(0, at);
}

/** Wraps the Azure SDK / identity transport: the check runs right before the socket. */
export function guardedHttpClient(inner: HttpClient, options: GuardOptions = {}): HttpClient {
  return {
    sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      try {
        assertReadOnly(request.method, request.url, options);
      } catch (error) {
        return Promise.reject(error);
      }
      return inner.sendRequest(request);
    },
  };
}

/** undici interceptor: `new Agent(...).compose(readOnlyInterceptor())`. */
export function readOnlyInterceptor(options: GuardOptions = {}): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const url = `${String(opts.origin ?? '')}${opts.path}`;
    assertReadOnly(opts.method, url, options);
    return dispatch(opts, handler);
  };
}

// The one place a URL that carries a bearer token is composed from data (an id read from a list
// answer, a nextLink, a continuationUri): it must be a plain resource path on the service's own
// origin. An id like `@evil.example/…`, `/subscriptions/../../x`, an encoded slash or an absolute
// URL would otherwise send the token elsewhere or to another path than the one the check meant.
import { InvalidResponseError } from './http.js';

export type TokenService = 'arm' | 'fabric';

const PREFIX: Record<TokenService, { pattern: RegExp; expected: string }> = {
  arm: { pattern: /^\/subscriptions(\/|$)/i, expected: 'an ARM resource path (/subscriptions…)' },
  fabric: { pattern: /^\/v1\//, expected: 'a Fabric API path (/v1/…)' },
};

// What no ARM id or Fabric path holds: userinfo, backslashes, a query or fragment, percent-encoding
// (an encoded slash or dot), whitespace and control characters.
const UNSAFE = /[@\\?#%\s\u0000-\u001f\u007f]/;

/** Why `path` is not a plain resource path of `service`, or undefined when it is. */
export function resourcePathProblem(path: string, service: TokenService): string | undefined {
  if (!PREFIX[service].pattern.test(path)) return `it is not ${PREFIX[service].expected}`;
  const unsafe = UNSAFE.exec(path);
  if (unsafe) return `it holds ${JSON.stringify(unsafe[0])}, which no resource path has`;
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '')) return 'it has an empty segment (//)';
  if (segments.some((s) => s === '.' || s === '..')) return 'it has a . or .. segment';
  return undefined;
}

/**
 * The URL for a token-bearing GET: `base` + `pathOrLink` (a resource path), or `pathOrLink` itself
 * when it is an absolute link a list answer gave (nextLink). Throws InvalidResponseError naming
 * `field` when it is not a plain resource path on `base`'s origin; nothing is sent then.
 */
export function tokenUrl(base: string, pathOrLink: string, service: TokenService, field = 'id', requestId?: string): string {
  const origin = new URL(base);
  const basePath = origin.pathname.replace(/\/+$/, '');
  const refuse = (why: string): never => {
    throw new InvalidResponseError(`${field} ${JSON.stringify(pathOrLink.slice(0, 300))} from an answer is not followed: ${why}; the token is sent only to ${origin.origin}`, requestId, field);
  };
  let path: string;
  let query = '';
  if (pathOrLink.startsWith('/')) {
    path = pathOrLink;
  } else {
    let link: URL;
    try {
      link = new URL(pathOrLink);
    } catch {
      return refuse('it is neither a path nor an absolute URL');
    }
    if (link.origin !== origin.origin) refuse(`it points to another origin (${link.origin})`);
    if (link.username || link.password) refuse('it carries a user name or password');
    // The path as written, before the URL parser resolved any `..` or decoded anything.
    const afterOrigin = pathOrLink.slice(pathOrLink.indexOf('/', pathOrLink.indexOf('//') + 2));
    const end = afterOrigin.search(/[?#]/);
    path = end < 0 ? afterOrigin : afterOrigin.slice(0, end);
    query = end < 0 ? '' : afterOrigin.slice(end);
    if (query.includes('#')) refuse('it has a fragment');
    if (basePath && !path.startsWith(`${basePath}/`)) refuse(`its path is outside ${basePath}`);
    path = path.slice(basePath.length);
  }
  const problem = resourcePathProblem(path, service);
  if (problem) refuse(problem);
  const url = new URL(`${origin.origin}${basePath}${path}${query}`);
  // The parser changed nothing that matters: same origin, same path.
  if (url.origin !== origin.origin || decodeURIComponent(url.pathname) !== `${basePath}${path}`) refuse('it does not stay the same path once parsed');
  return url.toString();
}

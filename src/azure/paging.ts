// Every list the tool reads is paged here, and only here: ARM's `nextLink` and Fabric's
// `continuationUri` / `continuationToken`. A list is judged only when it was read to its end: a list
// cut by the page cap, a `nextLink` that repeats, or the list's size cap ends in
// a named `error` fact (ListTruncated), never in a half list that a check would read as "missing".
// The run's budget over every body (lists and single reads alike) is charged where bodies are read
// (readBody in http.ts): a list that crosses it ends in that named error.
import { FactUnavailableError } from '../engine/types.js';
import { InvalidResponseError } from './http.js';
import { tokenUrl } from './url.js';

export type PagingStyle = 'arm' | 'fabric';

/** How far one list may go: pages, items, and the bytes of its bodies. */
export interface ListLimits {
  maxPages: number;
  maxItems: number;
  maxBytes: number;
}

/**
 * A list of a diagnosis is small (a subscription's zones, a zone's records, a tenant's settings):
 * a zone holds at most 25,000 record sets, about 9 MB of JSON. 200 pages, 100,000 items or 32 MB of
 * bodies are far past any real list and still well inside the heap once parsed.
 */
export const DEFAULT_LIST_LIMITS: ListLimits = { maxPages: 200, maxItems: 100_000, maxBytes: 32 * 1024 * 1024 };
export type TruncationReason = 'page-cap' | 'repeated-link' | 'size-cap';

export interface Truncation {
  reason: TruncationReason;
  pages: number;
  items: number;
  bytes: number;
}

/** One page as the client read it. */
export interface Page {
  body: unknown;
  /** The body's size in bytes, as received. */
  bytes: number;
  requestId?: string;
}

export interface ListResult {
  value: unknown[];
  requestId?: string;
  pages: number;
}

export interface CollectOptions {
  /** What is listed, for messages: "the A record sets of /subscriptions/…". */
  what: string;
  style: PagingStyle;
  firstUrl: string;
  fetchPage(url: string): Promise<Page>;
  /** A page's items; default: its `value` (some Fabric clients see tenant settings under another name). */
  items?: (body: unknown) => unknown[] | undefined;
  limits?: ListLimits;
}

/** The message of a truncation, naming why, where and how far the list got. */
export function describeTruncation(what: string, t: Truncation): string {
  const why: Record<TruncationReason, string> = {
    'page-cap': `stopped at the page cap (${t.pages} pages)`,
    'repeated-link': `its next-page link repeats an earlier page after ${t.pages} pages (a paging loop on the service side)`,
    'size-cap': `stopped at the size cap of one list (${t.items} items, ${t.bytes} bytes in ${t.pages} pages)`,
  };
  return `${what} was not read to its end: ${why[t.reason]}; nothing is concluded from a partial list`;
}

/** The named error fact for a list that was cut. */
export function truncatedError(what: string, truncation: Truncation, requestId?: string): FactUnavailableError {
  return new FactUnavailableError({
    kind: 'error',
    code: 'ListTruncated',
    message: describeTruncation(what, truncation),
    ...(requestId ? { requestId } : {}),
    details: { truncation: { ...truncation } },
  });
}

/** The URL of the next page, or undefined at the end. Fabric may give only a token: it goes on the first URL. */
export function nextPageUrl(style: PagingStyle, body: { nextLink?: unknown; continuationUri?: unknown; continuationToken?: unknown }, firstUrl: string): string | undefined {
  if (style === 'arm') return typeof body.nextLink === 'string' && body.nextLink ? body.nextLink : undefined;
  if (typeof body.continuationUri === 'string' && body.continuationUri) return body.continuationUri;
  if (typeof body.continuationToken === 'string' && body.continuationToken) {
    const url = new URL(firstUrl);
    url.searchParams.set('continuationToken', body.continuationToken);
    return url.toString();
  }
  return undefined;
}

/** One page as a cursor-paged source gives it: its items (undefined: not a list), the next cursor, its size. */
export interface CursorPage<C> {
  items: unknown[] | undefined;
  next?: C;
  bytes: number;
  requestId?: string;
}

export interface CursorOptions<C> {
  what: string;
  first: C;
  fetchPage(cursor: C): Promise<CursorPage<C>>;
  /** Two cursors with the same key name the same page (a loop). */
  key(cursor: C): string;
  limits?: ListLimits;
}

/**
 * Reads every page of any paged source (URLs, or a token sent in a body as Resource Graph does).
 * Throws ListTruncated (an `error` fact) when the list cannot be read to its end, InvalidResponseError
 * when a page is not a list.
 */
export async function collectCursor<C>(options: CursorOptions<C>): Promise<ListResult> {
  const { what } = options;
  const limits = options.limits ?? DEFAULT_LIST_LIMITS;
  const seen = new Set<string>();
  const value: unknown[] = [];
  let requestId: string | undefined;
  let bytes = 0;
  let pages = 0;
  let cursor: C | undefined = options.first;
  const cut = (reason: TruncationReason) => truncatedError(what, { reason, pages, items: value.length, bytes }, requestId);
  while (cursor !== undefined) {
    if (pages >= limits.maxPages) throw cut('page-cap');
    seen.add(options.key(cursor));
    const page: CursorPage<C> = await options.fetchPage(cursor);
    pages++;
    requestId ??= page.requestId;
    bytes += page.bytes;
    if (!page.items) throw new InvalidResponseError(`${what}: the answer has no list \`value\``, page.requestId, 'value');
    if (value.length + page.items.length > limits.maxItems || bytes > limits.maxBytes) throw cut('size-cap');
    for (const item of page.items) value.push(item);
    cursor = page.next;
    if (cursor !== undefined && seen.has(options.key(cursor))) throw cut('repeated-link');
  }
  return { value, pages, ...(requestId ? { requestId } : {}) };
}

/**
 * Reads every page of a URL-paged list (ARM, Fabric). As collectCursor, and the next page is followed
 * only as a resource path on the first URL's origin (src/azure/url.ts: the token goes nowhere else).
 */
export function collectPages(options: CollectOptions): Promise<ListResult> {
  const { what, style, firstUrl, fetchPage } = options;
  const origin = new URL(firstUrl).origin;
  const field = style === 'arm' ? 'nextLink' : 'continuationUri';
  return collectCursor<string>({
    what,
    first: firstUrl,
    key: canonical,
    ...(options.limits ? { limits: options.limits } : {}),
    async fetchPage(url) {
      const page = await fetchPage(url);
      const body = page.body as Record<string, unknown> | undefined;
      const items = body ? (options.items ? options.items(body) : Array.isArray(body.value) ? body.value : undefined) : undefined;
      const link = items && body ? nextPageUrl(style, body, firstUrl) : undefined;
      // The token goes only to the first URL's origin, and only for a resource path there.
      const next = link === undefined ? undefined : tokenUrl(origin, link, style, field, page.requestId);
      return { items, bytes: page.bytes, ...(next !== undefined ? { next } : {}), ...(page.requestId ? { requestId: page.requestId } : {}) };
    },
  });
}

/** A URL compared as the service would serve it: the host's case and the query's order do not matter. */
function canonical(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.searchParams.sort();
    return `${parsed.origin.toLowerCase()}${parsed.pathname.toLowerCase()}?${parsed.searchParams.toString()}`;
  } catch {
    return url;
  }
}

// The one paging module on the official list examples: ARM `nextLink` (RecordSetAList, the zone
// list), Fabric `continuationUri` and `continuationToken` (ListCapacitiesWithContinuation): every page
// is read, and a list that cannot be read to its end is a named error, never a shorter list.
import { describe, expect, it } from 'vitest';
import { collectCursor, collectPages, nextPageUrl, type Page } from '../../../src/azure/paging.js';
import { FactUnavailableError } from '../../../src/engine/types.js';
import { example } from '../../fixtures/control.js';

const ARM_FIRST = 'https://management.azure.com/subscriptions/subscriptionId/resourceGroups/resourceGroup1/providers/Microsoft.Network/privateDnsZones/privatezone1.com/A?api-version=2024-06-01&%24top=1000';

/** Serves pages by URL; the last page is `last` (no link). Records every URL asked for. */
function pages(byUrl: Record<string, unknown>) {
  const asked: string[] = [];
  const fetchPage = async (url: string): Promise<Page> => {
    asked.push(url);
    const body = byUrl[url];
    if (body === undefined) throw new Error(`no page at ${url}`);
    return { body, bytes: JSON.stringify(body).length, requestId: `rid-${asked.length}` };
  };
  return { asked, fetchPage };
}

async function truncation(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FactUnavailableError);
  return (error as FactUnavailableError).unavailable;
}

describe('ARM nextLink (RecordSetAList.json)', () => {
  it('follows the official nextLink to the end and keeps every item in order', async () => {
    const first = example('arm-privatedns/RecordSetAList.json');
    const last = { value: [{ ...first.value[0], name: 'recorda3' }] };
    const { asked, fetchPage } = pages({ [ARM_FIRST]: first, [first.nextLink]: last });
    const list = await collectPages({ what: 'the A record sets', style: 'arm', firstUrl: ARM_FIRST, fetchPage });
    expect(list.value.map((r) => (r as { name: string }).name)).toEqual(['recorda1', 'recorda2', 'recorda3']);
    expect(list).toMatchObject({ pages: 2, requestId: 'rid-1' });
    expect(asked).toEqual([ARM_FIRST, first.nextLink]);
  });

  it('a nextLink that repeats an earlier page is a named error (repeated-link), not a short list', async () => {
    const first = example('arm-privatedns/RecordSetAList.json');
    const again = { value: [], nextLink: first.nextLink };
    const { fetchPage } = pages({ [ARM_FIRST]: first, [first.nextLink]: again });
    const u = await truncation(collectPages({ what: 'the A record sets of the zone', style: 'arm', firstUrl: ARM_FIRST, fetchPage }));
    expect(u).toMatchObject({ kind: 'error', code: 'ListTruncated', details: { truncation: { reason: 'repeated-link', pages: 2, items: 2 } } });
    expect(u.message).toMatch(/^the A record sets of the zone was not read to its end: its next-page link repeats an earlier page/);
  });

  it('the same page asked again with its query in another order is still a loop', async () => {
    const first = example('arm-privatedns/RecordSetAList.json');
    const reordered = 'https://management.azure.com/subscriptions/subscriptionId/resourceGroups/resourceGroup1/providers/Microsoft.Network/privateDnsZones/privatezone1.com/A?%24top=1000&api-version=2024-06-01';
    const { fetchPage } = pages({ [ARM_FIRST]: { ...first, nextLink: reordered } });
    expect(await truncation(collectPages({ what: 'x', style: 'arm', firstUrl: ARM_FIRST, fetchPage }))).toMatchObject({ details: { truncation: { reason: 'repeated-link', pages: 1 } } });
  });

  it('the page cap and the size cap (items or bytes) each end in their own named error', async () => {
    const first = example('arm-privatedns/RecordSetAList.json');
    const { fetchPage } = pages({ [ARM_FIRST]: first, [first.nextLink]: { value: [] } });
    const capped = await truncation(collectPages({ what: 'x', style: 'arm', firstUrl: ARM_FIRST, fetchPage, limits: { maxPages: 1, maxItems: 100, maxBytes: 1e6 } }));
    expect(capped).toMatchObject({ details: { truncation: { reason: 'page-cap', pages: 1, items: 2 } } });
    const sized = await truncation(collectPages({ what: 'x', style: 'arm', firstUrl: ARM_FIRST, fetchPage, limits: { maxPages: 10, maxItems: 1, maxBytes: 1e6 } }));
    expect(sized).toMatchObject({ details: { truncation: { reason: 'size-cap', pages: 1 } } });
    const heavy = await truncation(collectPages({ what: 'x', style: 'arm', firstUrl: ARM_FIRST, fetchPage, limits: { maxPages: 10, maxItems: 100, maxBytes: 100 } }));
    expect(heavy).toMatchObject({ details: { truncation: { reason: 'size-cap', pages: 1 } } });
    // The run's budget over every body, lists included, is charged where bodies are read: test/security/read-budget.test.ts.
  });

  it('a nextLink to another host is refused before the token could go there', async () => {
    const first = { ...example('arm-privatedns/RecordSetAList.json'), nextLink: 'https://evil.example/page2' };
    const { asked, fetchPage } = pages({ [ARM_FIRST]: first });
    await expect(collectPages({ what: 'x', style: 'arm', firstUrl: ARM_FIRST, fetchPage })).rejects.toMatchObject({ name: 'InvalidResponseError', field: 'nextLink' });
    expect(asked).toEqual([ARM_FIRST]);
  });

  it('a page without `value` is an invalid response naming the field', async () => {
    const { fetchPage } = pages({ [ARM_FIRST]: { items: [] } });
    await expect(collectPages({ what: 'the zones', style: 'arm', firstUrl: ARM_FIRST, fetchPage })).rejects.toMatchObject({ name: 'InvalidResponseError', field: 'value' });
  });
});

describe('Fabric continuation (ListCapacitiesWithContinuation.json)', () => {
  const FIRST = 'https://api.fabric.microsoft.com/v1/capacities';

  it('follows continuationUri', async () => {
    const first = example('fabric-rest/platform/examples/platform/ListCapacitiesWithContinuation.json');
    const { asked, fetchPage } = pages({ [FIRST]: first, [first.continuationUri]: { value: [{ id: 'last' }] } });
    const list = await collectPages({ what: 'Fabric: the capacities', style: 'fabric', firstUrl: FIRST, fetchPage });
    expect(list.value).toHaveLength(4);
    expect(asked).toEqual([FIRST, first.continuationUri]);
  });

  it('with only a continuationToken, asks the same path with it', () => {
    expect(nextPageUrl('fabric', { continuationToken: 'LDEsMTAwMDAwLDA=' }, FIRST)).toBe(`${FIRST}?continuationToken=LDEsMTAwMDAwLDA%3D`);
    expect(nextPageUrl('fabric', { continuationToken: null, continuationUri: null }, FIRST)).toBeUndefined();
    // ARM lists never continue on a Fabric field, and the reverse.
    expect(nextPageUrl('arm', { continuationUri: `${FIRST}?x=1` }, FIRST)).toBeUndefined();
    expect(nextPageUrl('fabric', { nextLink: `${FIRST}?x=1` }, FIRST)).toBeUndefined();
  });

  it('tenant settings under `tenantSettings` are read through the items hook', async () => {
    const settings = example('fabric-rest/admin/examples/tenantSettings/ListTenantSettings.json').value;
    const { fetchPage } = pages({ [FIRST]: { tenantSettings: settings } });
    const items = (body: unknown) => (body as { tenantSettings?: unknown[] }).tenantSettings;
    expect((await collectPages({ what: 'x', style: 'fabric', firstUrl: FIRST, fetchPage, items })).value).toHaveLength(settings.length);
  });
});

describe('a token in the request body (Resource Graph $skipToken)', () => {
  const source = (pages: Record<string, { rows: unknown[]; next?: string }>) => {
    const asked: string[] = [];
    return {
      asked,
      fetchPage: async (token: string) => {
        asked.push(token);
        const page = pages[token]!;
        return { items: page.rows, bytes: 10, ...(page.next ? { next: page.next } : {}) };
      },
    };
  };

  it('follows the token to the end', async () => {
    const { asked, fetchPage } = source({ '': { rows: [1, 2], next: 'a' }, a: { rows: [3] } });
    const list = await collectCursor({ what: 'the query rows', first: '', key: (t) => t, fetchPage });
    expect(list).toMatchObject({ value: [1, 2, 3], pages: 2 });
    expect(asked).toEqual(['', 'a']);
  });

  it('a token that repeats is a named cut', async () => {
    const { fetchPage } = source({ '': { rows: [1], next: 'a' }, a: { rows: [2], next: 'a' } });
    expect(await truncation(collectCursor({ what: 'the query rows', first: '', key: (t) => t, fetchPage }))).toMatchObject({ code: 'ListTruncated', details: { truncation: { reason: 'repeated-link', pages: 2, items: 2 } } });
  });
});

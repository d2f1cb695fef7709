// A fleet in a shared zone: each target finds its record sets in the zone's list through an index
// built once per list; the answer is the one a search of every name for the label gives.
import { describe, expect, it } from 'vitest';
import { setsOfWorkspace } from '../../../src/gather/arm/dnsZone.js';
import type { ARecordSetJson } from '../../../src/gather/arm/shapes.js';

const WS = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const LABEL = WS.replace(/-/g, '');
const OTHER = 'ffffffff-0000-4000-8000-000000000001';
const OTHER_LABEL = OTHER.replace(/-/g, '');

const set = (name: unknown): ARecordSetJson => ({ name }) as ARecordSetJson;

/** What each target did before the index: every name searched for the label. */
const naive = (sets: ARecordSetJson[], label: string) => sets.filter((s) => typeof s?.name === 'string' && s.name.toLowerCase().includes(label));

describe('setsOfWorkspace', () => {
  const sets = [
    set(`${LABEL}.z0a.w.api`),
    set(`${OTHER_LABEL}.zff.w.api`),
    set(`old-${LABEL.toUpperCase()}.z0a.c`),
    set(`ab${LABEL}cd.z0a.dfs`),
    set(`${OTHER_LABEL}${LABEL}.both`),
    set(42),
    null as unknown as ARecordSetJson,
    set(`${LABEL.slice(0, 31)}.z0a.blob`),
    set(`${LABEL}.z0a.onelake`),
  ];

  it('finds the sets whose name holds the label anywhere, in any case, in list order', () => {
    const mine = setsOfWorkspace(sets, WS);
    expect(mine.map((s) => s.name)).toEqual([`${LABEL}.z0a.w.api`, `old-${LABEL.toUpperCase()}.z0a.c`, `ab${LABEL}cd.z0a.dfs`, `${OTHER_LABEL}${LABEL}.both`, `${LABEL}.z0a.onelake`]);
    expect(mine).toEqual(naive(sets, LABEL));
    expect(setsOfWorkspace(sets, OTHER)).toEqual(naive(sets, OTHER_LABEL));
    expect(setsOfWorkspace(sets, WS.toUpperCase())).toEqual(naive(sets, LABEL));
  });

  it('a workspace with no set gets none, and a second list gets its own index', () => {
    expect(setsOfWorkspace(sets, '12345678-1234-4234-8234-123456789012')).toEqual([]);
    const later = [set(`${LABEL}.z0a.w.api`)];
    expect(setsOfWorkspace(later, WS)).toEqual(later);
  });
});

// ARM resource ids (src/azure/resourceId.ts): parsing, and the memo that a fleet's repeated ids hit.
import { describe, expect, it } from 'vitest';
import { nameOf, parseResourceId, sameId } from '../../../src/azure/resourceId.js';

const SUBNET = '/subscriptions/sub-1/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet%20a/';

describe('parseResourceId', () => {
  it('parses the parts, child types appended and names decoded, without the trailing slash', () => {
    expect(parseResourceId(SUBNET)).toEqual({
      id: SUBNET.slice(0, -1),
      subscriptionId: 'sub-1',
      resourceGroup: 'rg-net',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      name: 'snet a',
      names: ['vnet-hub', 'snet a'],
    });
  });

  it('is undefined for what is not an id, every time it is asked', () => {
    for (let i = 0; i < 2; i++) {
      expect(parseResourceId('/subscriptions/sub-1/resourceGroups/rg')).toBeUndefined();
      expect(parseResourceId('/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks')).toBeUndefined();
      expect(parseResourceId('')).toBeUndefined();
    }
  });

  it('gives each caller its own copy: a change to one answer is not in the next', () => {
    const first = parseResourceId(SUBNET)!;
    first.name = 'changed';
    first.names.push('extra');
    const second = parseResourceId(SUBNET)!;
    expect(second.name).toBe('snet a');
    expect(second.names).toEqual(['vnet-hub', 'snet a']);
  });

  it('nameOf and sameId read it as ARM does (case-insensitive ids)', () => {
    expect(nameOf(SUBNET)).toBe('snet a');
    expect(nameOf('not an id')).toBe('not an id');
    expect(sameId(SUBNET, SUBNET.toUpperCase())).toBe(true);
  });
});

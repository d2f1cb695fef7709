// The one trust store: Node's roots, the operating system's and the config's, de-duplicated, built
// once per configured trust and handed to every client as the same context.
import { describe, expect, it } from 'vitest';
import { loadTrust, machineRoots, trustStore } from '../../../src/net/trust.js';
import { createCertificateAuthority } from '../../../src/lab/certs.js';

describe('machineRoots', () => {
  it("adds the system store's roots to Node's, counting the ones only the system has", async () => {
    const node = await createCertificateAuthority('Node Bundled Test Root');
    const system = await createCertificateAuthority('Corporate Inspection Root');
    // The system store repeats Node's root, formatted differently.
    const sources = (kind: 'default' | 'system') => (kind === 'default' ? [node.cert] : [node.cert.replace(/\n/g, '\r\n'), system.cert]);
    const roots = machineRoots(sources);
    expect(roots.roots).toEqual([node.cert, system.cert]);
    expect(roots.systemOnly).toBe(1);
  });

  it("keeps Node's roots when the system store cannot be read", () => {
    const roots = machineRoots((kind) => {
      if (kind === 'system') throw new Error('no store');
      return ['-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----'];
    });
    expect(roots).toEqual({ roots: ['-----BEGIN CERTIFICATE-----\nA\n-----END CERTIFICATE-----'], systemOnly: 0 });
  });
});

describe('loadTrust', () => {
  it('a root only in the system store is in the context every client uses', async () => {
    const system = await createCertificateAuthority('Corporate Inspection Root');
    const store = loadTrust({ tls: {} }, { ca: (kind) => (kind === 'system' ? [system.cert] : []) });
    expect(store.ca).toEqual([system.cert]);
    expect(store.systemOnly).toBe(1);
    expect(store.extra).toEqual([]);
    // One context: built once, shared by every client.
    expect(store.secureContext()).toBe(store.secureContext());
  });

  it('adds tls.ca after the machine roots and names it in the evidence', async () => {
    const extra = await createCertificateAuthority('Lab Extra CA');
    const store = loadTrust({ tls: { ca: extra.cert } }, { ca: () => [] });
    expect(store.ca).toEqual([extra.cert.trim()]);
    expect(store.extra).toEqual([expect.objectContaining({ source: 'tls.ca', subject: expect.stringContaining('Lab Extra CA') })]);
  });

  it('trustStore is one per configured trust', () => {
    const tls = {};
    expect(trustStore({ tls })).toBe(trustStore({ tls }));
    expect(trustStore({ tls })).not.toBe(trustStore({ tls: {} }));
  });
});

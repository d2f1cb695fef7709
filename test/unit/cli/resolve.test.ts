import { describe, expect, it } from 'vitest';
import { formatResolveJson, formatResolveText, formatVerdictText, namesFor, planResolve, resolveVerdict, ResolveUsageError, type ResolveResult } from '../../../src/cli/commands/resolve.js';

const WS = 'cfafbeb1-8037-4d0c-896e-a46fb27ff227';

describe('planResolve', () => {
  it('a workspace id gives the five FQDNs', () => {
    expect(namesFor(WS)).toEqual([
      'cfafbeb180374d0c896ea46fb27ff227.zcf.w.api.fabric.microsoft.com',
      'cfafbeb180374d0c896ea46fb27ff227.zcf.c.fabric.microsoft.com',
      'cfafbeb180374d0c896ea46fb27ff227.zcf.onelake.fabric.microsoft.com',
      'cfafbeb180374d0c896ea46fb27ff227.zcf.dfs.fabric.microsoft.com',
      'cfafbeb180374d0c896ea46fb27ff227.zcf.blob.fabric.microsoft.com',
    ]);
  });

  it('an FQDN is asked as given, normalised', () => {
    expect(namesFor('X.Example.COM.')).toEqual(['x.example.com']);
  });

  it.each(['not a name', 'nodots', '', 'a..b'])('rejects %j', (input) => {
    expect(() => namesFor(input)).toThrow(ResolveUsageError);
  });

  it.each([
    ['--server alone asks only those servers, no system resolver', ['127.0.0.1:5353', '[::1]:53'], ['127.0.0.1:5353', '::1'], 'flag', false],
    ["without --server: the system's servers, shown as such, and the system resolver", undefined, ['10.0.0.4', '[fd00::1]:5353'], 'system', true],
  ] as const)('%s', (_title, server, servers, source, system) => {
    const systemServers = () => ['10.0.0.4', '10.0.0.4', '[fd00::1]:5353'];
    expect(planResolve({ target: 'x.example.com', ...(server ? { server: [...server] } : {}) }, systemServers)).toEqual({
      names: ['x.example.com'],
      servers: servers.map((s) => ({ server: s, source })),
      system,
    });
  });

  it('--system adds the system resolver to --server', () => {
    expect(planResolve({ target: 'x.example.com', server: ['127.0.0.1'], system: true }).system).toBe(true);
  });

  it('a bad --server is a usage error naming the flag', () => {
    expect(() => planResolve({ target: 'x.example.com', server: ['127.0.0.1:99999'] })).toThrow(/resolve --server: DNS server "127.0.0.1:99999": port/);
  });
});

const result: ResolveResult = {
  plan: { names: ['x.example.com'], servers: [{ server: '127.0.0.1:5353', source: 'flag' }], system: true },
  queries: [
    {
      name: 'x.example.com',
      server: '127.0.0.1:5353',
      type: 'A',
      rcode: 'NOERROR',
      chain: ['x.example.com', 'x.privatelink.example.com'],
      addresses: [{ address: '10.0.0.5', class: 'private' }],
      ms: 3,
      truncatedRetriedOverTcp: true,
    },
    { name: 'x.example.com', server: '127.0.0.1:5353', type: 'AAAA', rcode: 'TIMEOUT', chain: ['x.example.com'], addresses: [], ms: 900, error: 'no answer' },
  ],
  system: [{ name: 'x.example.com', via: 'os', addresses: [{ address: '20.1.2.3', class: 'public' }], ms: 1 }],
};

describe('formatters', () => {
  it('JSON has exactly the contract keys', () => {
    const doc = JSON.parse(formatResolveJson(result));
    expect(Object.keys(doc)).toEqual(['queries', 'system']);
    // The query as resolved, less how it was retried (not part of the contract).
    const { truncatedRetriedOverTcp, ...contract } = result.queries[0]!;
    expect(truncatedRetriedOverTcp).toBe(true);
    expect(doc.queries[0]).toEqual(contract);
    expect(Object.keys(doc.queries[1])).toEqual(['name', 'server', 'type', 'rcode', 'chain', 'addresses', 'ms']);
    expect(doc.system).toEqual([{ name: 'x.example.com', addresses: [{ address: '20.1.2.3', class: 'public' }] }]);
  });

  it('text shows the chain, classes, server, time and the system resolver beside', () => {
    const text = formatResolveText(result);
    expect(text).toContain('Name: x.example.com');
    expect(text).toContain('A    @ 127.0.0.1:5353: NOERROR in 3 ms (truncated over UDP, retried over TCP)');
    expect(text).toContain('chain: x.example.com → x.privatelink.example.com');
    expect(text).toMatch(/10\.0\.0\.5 +private/);
    expect(text).toContain('AAAA @ 127.0.0.1:5353: TIMEOUT in 900 ms');
    expect(text).toContain('error: no answer');
    expect(text).toContain('system resolver (dns.lookup: hosts file, OS cache) in 1 ms');
    expect(text).toMatch(/20\.1\.2\.3 +public/);
  });
});

describe('the verdict', () => {
  const names = namesFor(WS);
  const server = '127.0.0.1:5353';
  const answer = (name: string, rcode: string, addresses: Array<[string, 'private' | 'public']>) => ({
    name,
    server,
    type: 'A' as const,
    rcode,
    chain: [name],
    addresses: addresses.map(([address, cls]) => ({ address, class: cls })),
    ms: 1,
  });
  const run = (queries: ReturnType<typeof answer>[]): ResolveResult => ({ plan: { names, servers: [{ server, source: 'flag' }], system: false }, queries, system: [] });

  it('private when every name answers private addresses only; exit 0', () => {
    const v = resolveVerdict(run(names.map((n, i) => answer(n, 'NOERROR', [[`10.0.0.${i + 4}`, 'private']]))));
    expect(v).toMatchObject({ verdict: 'private', allPrivate: true });
    expect(formatVerdictText(v).trimEnd().split('\n').at(-1)).toBe('Verdict: private: all 5 names: resolves to private addresses only');
  });

  it('public: five public answers end with a public verdict and exit 1', () => {
    const v = resolveVerdict(run(names.map((n) => answer(n, 'NOERROR', [['20.94.123.229', 'public']]))));
    expect(v).toMatchObject({ verdict: 'public', allPrivate: false });
    expect(formatVerdictText(v)).toMatch(/^ {2}public {4}cfafbeb180374d0c896ea46fb27ff227\.zcf\.w\.api\.fabric\.microsoft\.com {2}20\.94\.123\.229$/m);
    expect(formatVerdictText(v)).toMatch(/Verdict: public: .*\(exit 1\)\n$/);
  });

  it('NXDOMAIN, no answer, and mixed (names disagree, or one name gets both)', () => {
    expect(resolveVerdict(run(names.map((n) => answer(n, 'NXDOMAIN', []))))).toMatchObject({ verdict: 'NXDOMAIN', allPrivate: false });
    expect(resolveVerdict(run(names.map((n) => answer(n, 'TIMEOUT', []))))).toMatchObject({ verdict: 'no answer', allPrivate: false });
    const disagree = resolveVerdict(run([answer(names[0]!, 'NOERROR', [['10.0.0.4', 'private']]), ...names.slice(1).map((n) => answer(n, 'NXDOMAIN', []))]));
    expect(disagree.verdict).toBe('mixed');
    expect(disagree.names.map((n) => n.verdict)).toEqual(['private', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN']);
    const both = resolveVerdict(run([answer(names[0]!, 'NOERROR', [['10.0.0.4', 'private'], ['20.1.2.3', 'public']])]));
    expect(both.names[0]!.verdict).toBe('mixed');
  });
});

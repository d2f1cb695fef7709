// The engine on test-only checks and facts: concurrency, memoisation, blocking, waivers, timeouts,
// a throwing check, unavailable facts, exit codes and replay.
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config/defaults.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { defineFact, type CheckDef, type FactDef } from '../../src/engine/define.js';
import { runDiagnosis, type EngineEvent } from '../../src/engine/run.js';
import { computeSummary } from '../../src/engine/status.js';
import { matchesPattern } from '../../src/text/glob.js';
import { unavailable, type Status } from '../../src/engine/types.js';
import { expectValidReport } from '../helpers/report-schema.js';
import { fixText } from '../helpers/fix-text.js';

/** Every report the engine makes here must match the published schema. */
async function run(options: Parameters<typeof runDiagnosis>[0]): Promise<Awaited<ReturnType<typeof runDiagnosis>>> {
  const report = await runDiagnosis(options);
  expectValidReport(report);
  return report;
}

const WS1 = '11111111-1111-1111-1111-111111111111';
const WS2 = '22222222-2222-2222-2222-222222222222';

function config(overrides: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return testConfig({ targets: [{ name: 't1', workspaceId: WS1 }], ...overrides });
}

function check(id: string, status: Status | (() => Status), extra: Partial<CheckDef> = {}): CheckDef {
  const [side] = id.split('.') as [CheckDef['side']];
  // Test-only fact ids (f.*): a plain CheckDef, whose facts read as unknown.
  return {
    id,
    title: id,
    side,
    severity: 'high',
    needs: [],
    after: [],
    docStep: '1',
    explain: 'test',
    fix: { summary: `fix ${id}`, steps: [] },
    run: () => ({ status: typeof status === 'function' ? status() : status, message: `${id} said ${typeof status === 'function' ? status() : status}` }),
    ...extra,
  };
}

function statuses(report: Awaited<ReturnType<typeof runDiagnosis>>, target = 0): Record<string, string> {
  return Object.fromEntries(report.targets[target]!.results.map((r) => [r.checkId, r.skipReason ? `${r.status}:${r.skipReason}` : r.status]));
}

describe('blocking rule', () => {
  it('a failed prerequisite blocks, transitively, naming the root cause', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [
        check('provider.root', 'fail'),
        check('provider.child', 'pass', { after: ['root'] }),
        check('local.grandchild', 'pass', { after: ['provider.child'] }),
        check('local.independent', 'pass'),
      ],
    });
    expect(statuses(report)).toEqual({
      'provider.root': 'fail',
      'provider.child': 'skip:blocked',
      'local.grandchild': 'skip:blocked',
      'local.independent': 'pass',
    });
    const grandchild = report.targets[0]!.results.find((r) => r.checkId === 'local.grandchild')!;
    expect(grandchild.blockedBy).toBe('provider.root');
    expect(grandchild.message).toContain('provider.root');
    expect(fixText(grandchild.fix)).toBe('');
  });

  it('an errored prerequisite blocks like a failed one: the tool did not learn what the dependant needs', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [check('local.errors', 'error'), check('local.child', 'pass', { after: ['errors'] })],
    });
    expect(statuses(report)).toEqual({ 'local.errors': 'error', 'local.child': 'skip:blocked' });
    expect(report.targets[0]!.results[1]!.blockedBy).toBe('local.errors');
  });

  it('warn, not-selected and no-access prerequisites block nothing', async () => {
    const noAccess = defineFact({ id: 'f.provider', version: 1, description: 'provider thing', side: 'provider', gather: async () => 1 });
    const report = await run({
      config: config({ checks: { skip: ['local.skipped'], only: [], waivers: [] } }),
      facts: [noAccess],
      checks: [
        check('local.warns', 'warn'),
        check('local.skipped', 'fail'),
        check('provider.noaccess', 'pass', { needs: ['f.provider'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.provider')) }) }),
        check('local.child', 'pass', { after: ['warns', 'skipped', 'provider.noaccess'] }),
      ],
    });
    expect(statuses(report)).toEqual({
      'local.warns': 'warn',
      'local.skipped': 'skip:not-selected',
      'provider.noaccess': 'skip:no-access',
      'local.child': 'pass',
    });
  });

  it('runs a check as soon as its prerequisites settle, even when declared before them', async () => {
    const order: string[] = [];
    const report = await run({
      config: config(),
      facts: [],
      checks: [
        check('local.b', 'pass', { after: ['a'], run: () => (order.push('b'), { status: 'pass', message: '' }) }),
        check('local.a', 'pass', { run: () => (order.push('a'), { status: 'pass', message: '' }) }),
      ],
    });
    expect(order).toEqual(['a', 'b']);
    expect(report.targets[0]!.results.map((r) => r.checkId)).toEqual(['local.b', 'local.a']);
  });
});

describe('facts', () => {
  it('gathers a fact once per key, shared across checks and targets, and records it', async () => {
    let calls = 0;
    const shared = defineFact({
      id: 'f.zone',
      version: 2,
      description: 'the zone',
      key: () => 'zone-1',
      gather: async () => {
        calls++;
        return { records: 5 };
      },
    });
    const report = await run({
      config: config({ targets: [{ name: 't1', workspaceId: WS1 }, { name: 't2', workspaceId: WS2 }] }),
      facts: [shared],
      checks: [
        check('consumer.a', 'pass', { needs: ['f.zone'] }),
        check('consumer.b', 'pass', { needs: ['f.zone'] }),
      ],
    });
    expect(calls).toBe(1);
    expect(report.facts['f.zone@zone-1']).toMatchObject({ id: 'f.zone', version: 2, key: 'zone-1', result: { ok: true, value: { records: 5 } } });
    expect(report.targets[1]!.factRefs['f.zone']).toBe('f.zone@zone-1');
    expect(report.targets[0]!.results[0]!.facts).toEqual(['f.zone@zone-1']);
  });

  it('starts independent gathers at once (wall time is the longest chain, not the sum)', async () => {
    let active = 0;
    let peak = 0;
    const slow = (id: string): FactDef =>
      defineFact({
        id,
        version: 1,
        description: id,
        gather: async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 20));
          active--;
          return id;
        },
      });
    await run({
      config: config(),
      facts: [slow('f.a'), slow('f.b'), slow('f.c')],
      checks: [check('local.a', 'pass', { needs: ['f.a'] }), check('local.b', 'pass', { needs: ['f.b'] }), check('local.c', 'pass', { needs: ['f.c'], after: ['a'] })],
    });
    expect(peak).toBe(3);
  });

  it('starts a fact at once, before its check may run; a fact only blocked checks wanted is cancelled and left off the report', async () => {
    let started = false;
    let aborted = false;
    let failDns!: () => void;
    const dnsDone = new Promise<void>((resolve) => (failDns = resolve));
    const probe = defineFact({
      id: 'f.probe',
      version: 1,
      description: 'probe',
      gather: (ctx) =>
        new Promise((_, reject) => {
          started = true;
          failDns();
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          });
        }),
    });
    const report = await run({
      config: config(),
      facts: [probe],
      // local.dns fails only once the probe is in flight: the probe did not wait for it.
      checks: [check('local.dns', 'fail', { run: async () => (await dnsDone, { status: 'fail', message: 'no' }) }), check('local.tcp', 'pass', { needs: ['f.probe'], after: ['dns'] })],
    });
    expect(statuses(report)['local.tcp']).toBe('skip:blocked');
    expect(started).toBe(true);
    expect(aborted).toBe(true);
    expect(Object.keys(report.facts).filter((k) => k.startsWith('f.probe'))).toEqual([]);
    expect(report.targets[0]!.results.find((r) => r.checkId === 'local.tcp')!.facts).toEqual([]);
    expect(report.targets[0]!.factRefs['f.probe']).toBeUndefined();
  });

  it('keeps a blocked check\'s fact that another check judged or another fact asked for', async () => {
    const probe = defineFact({ id: 'f.probe', version: 1, description: 'probe', gather: async () => 'open' });
    const shared = defineFact({ id: 'f.shared', version: 1, description: 'shared', gather: async () => 'x' });
    const dependant = defineFact({ id: 'f.dependant', version: 1, description: 'dependant', gather: async (ctx) => `${String(await ctx.require('f.shared'))}!` });
    const report = await run({
      config: config(),
      facts: [probe, shared, dependant],
      checks: [
        check('local.dns', 'fail'),
        check('local.tcp', 'pass', { needs: ['f.probe', 'f.shared'], after: ['dns'] }),
        check('local.other', 'pass', { needs: ['f.probe'] }),
        check('local.uses', 'pass', { needs: ['f.dependant'] }),
      ],
    });
    expect(statuses(report)['local.tcp']).toBe('skip:blocked');
    expect(Object.keys(report.facts).sort()).toEqual(['f.dependant@t1', 'f.probe@t1', 'f.shared@t1'].sort());
  });

  it('turns typed unavailable facts into error or skip, with the evidence a person needs', async () => {
    const forbidden = defineFact({
      id: 'f.forbidden',
      version: 1,
      description: 'x',
      gather: async () => unavailable('forbidden', 'AuthorizationFailed on /subscriptions/s', { httpStatus: 403, requestId: 'req-1', neededRole: 'Reader' }),
    });
    const notConfigured = defineFact({ id: 'f.nc', version: 1, description: 'x', gather: async () => unavailable('not-configured', 'no endpoint id') });
    const throws = defineFact({ id: 'f.throws', version: 1, description: 'x', gather: async () => { throw new Error('socket hang up'); } });
    const report = await run({
      config: config(),
      facts: [forbidden, notConfigured, throws],
      checks: [
        check('provider.a', 'pass', { needs: ['f.forbidden'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.forbidden')) }) }),
        check('provider.b', 'pass', { needs: ['f.nc'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.nc')) }) }),
        check('provider.c', 'pass', { needs: ['f.throws'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.throws')) }) }),
        check('provider.d', 'pass', {
          needs: ['f.forbidden'],
          run: ({ facts }) => {
            const fact = facts.get('f.forbidden');
            return fact.ok ? { status: 'pass', message: 'ok' } : { status: 'warn', message: `cannot see: ${fact.unavailable.kind}` };
          },
        }),
      ],
    });
    const [a, b, c, d] = report.targets[0]!.results;
    expect(a).toMatchObject({ status: 'error', evidence: { fact: 'f.forbidden', kind: 'forbidden', httpStatus: 403, requestId: 'req-1', neededRole: 'Reader' } });
    expect(fixText(a!.fix)).toContain('Reader');
    expect(b).toMatchObject({ status: 'skip', skipReason: 'not-applicable' });
    expect(c).toMatchObject({ status: 'error' });
    expect(c!.message).toContain('socket hang up');
    expect(d).toMatchObject({ status: 'warn', message: 'cannot see: forbidden' });
    expect(report.summary.exitCode).toBe(3);
  });

  it('times a fact out as a typed unavailable fact, and aborts its signal', async () => {
    let aborted = false;
    const hangs = defineFact({
      id: 'f.hangs',
      version: 1,
      description: 'the hanging thing',
      timeoutMs: 30,
      gather: (ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve('late');
          });
        }),
    });
    const report = await run({ config: config(), facts: [hangs], checks: [check('local.a', 'pass', { needs: ['f.hangs'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.hangs')) }) })] });
    expect(report.targets[0]!.results[0]).toMatchObject({ status: 'error', evidence: { kind: 'timeout' } });
    expect(aborted).toBe(true);
  });

  it('lets a fact depend on another, and propagates unavailability with require()', async () => {
    const base = defineFact({ id: 'f.base', version: 1, description: 'base', gather: async () => unavailable('not-found', 'no such endpoint', { httpStatus: 404 }) });
    const derived = defineFact({ id: 'f.derived', version: 1, description: 'derived', gather: async (ctx) => Number(await ctx.require('f.base')) + 1 });
    const report = await run({
      config: config(),
      facts: [base, derived],
      checks: [check('consumer.a', 'pass', { needs: ['f.derived'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.derived')) }) })],
    });
    expect(report.targets[0]!.results[0]).toMatchObject({ status: 'error', evidence: { kind: 'not-found', httpStatus: 404 } });
  });
});

describe('recorded facts are plain JSON', () => {
  it('keeps a plain value as gathered (no copy) and records a non-plain one as JSON would write it', async () => {
    class Box {
      constructor(readonly inside: string) {}
    }
    const plain = { names: ['a', 'b'], nested: { n: 1, ok: true, none: null } };
    const seen: unknown[] = [];
    const plainFact = defineFact({ id: 'f.plain', version: 1, description: 'plain', gather: async () => plain });
    const mixedFact = defineFact({
      id: 'f.mixed',
      version: 1,
      description: 'mixed',
      gather: async () => ({ at: new Date('2026-01-02T03:04:05Z'), gone: undefined, box: new Box('x'), list: [1, undefined, Number.NaN], text: 'y' }),
    });
    const report = await run({
      config: config(),
      facts: [plainFact, mixedFact],
      checks: [
        check('local.reads', 'pass', {
          needs: ['f.plain', 'f.mixed'],
          run: ({ facts }) => {
            seen.push(facts.value('f.plain'), facts.value('f.mixed'));
            return { status: 'pass', message: 'read' };
          },
        }),
      ],
    });
    expect(seen[0]).toBe(plain);
    expect(report.facts['f.plain@t1']!.result).toEqual({ ok: true, value: { names: ['a', 'b'], nested: { n: 1, ok: true, none: null } } });
    expect(seen[1]).toEqual({ at: '2026-01-02T03:04:05.000Z', box: { inside: 'x' }, list: [1, null, null], text: 'y' });
    expect(report.facts['f.mixed@t1']!.result).toEqual({ ok: true, value: seen[1] });
  });
});

describe('checks that misbehave', () => {
  it('a throwing check is an error with the message; the run goes on (its dependants blocked by it)', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [
        check('local.boom', 'pass', { run: () => { throw new TypeError('cannot read x of undefined'); } }),
        check('local.after-boom', 'pass', { after: ['boom'] }),
        check('local.independent', 'pass'),
      ],
    });
    expect(statuses(report)).toEqual({ 'local.boom': 'error', 'local.after-boom': 'skip:blocked', 'local.independent': 'pass' });
    expect(report.targets[0]!.results[0]!.message).toContain('cannot read x of undefined');
  });

  it('reading a fact the check did not declare is an error, not a crash', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [check('local.sloppy', 'pass', { run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.undeclared')) }) })],
    });
    expect(report.targets[0]!.results[0]).toMatchObject({ status: 'error' });
    expect(report.targets[0]!.results[0]!.message).toContain('does not list in needs');
  });

  it('a check that does not apply is skipped as not-applicable with its reason', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [check('public.probe', 'fail', { applies: ({ config }) => (config.probes.public ? true : 'probes.public is off') })],
    });
    expect(report.targets[0]!.results[0]).toMatchObject({ status: 'skip', skipReason: 'not-applicable', message: 'probes.public is off' });
  });
});

describe('waivers', () => {
  const now = () => new Date('2026-06-15T12:00:00Z');
  it('an active waiver turns a failure into a waived skip that still blocks dependants', async () => {
    const report = await run({
      config: config({ checks: { skip: [], only: [], waivers: [{ check: 'consumer.zone-*', target: 't1', reason: 'zone moves next week', expires: '2026-06-30' }] } }),
      facts: [],
      now,
      checks: [check('consumer.zone-found', 'fail'), check('consumer.zone-linked', 'pass', { after: ['zone-found'] })],
    });
    const [waived, child] = report.targets[0]!.results;
    expect(waived).toMatchObject({ status: 'skip', skipReason: 'waived', waiver: { expired: false, originalStatus: 'fail', reason: 'zone moves next week' } });
    expect(child).toMatchObject({ status: 'skip', skipReason: 'blocked', blockedBy: 'consumer.zone-found' });
    expect(report.summary).toMatchObject({ fail: 0, skip: 2, exitCode: 0 });
  });

  it('an expired waiver no longer applies and says so', async () => {
    const report = await run({
      config: config({ checks: { skip: [], only: [], waivers: [{ check: 'consumer.zone-found', reason: 'old', expires: '2026-06-01' }] } }),
      facts: [],
      now,
      checks: [check('consumer.zone-found', 'fail')],
    });
    expect(report.targets[0]!.results[0]).toMatchObject({ status: 'fail', waiver: { expired: true } });
    expect(report.targets[0]!.results[0]!.message).toContain('waiver expired on 2026-06-01');
    expect(report.summary.exitCode).toBe(1);
  });

  it('a waiver for another target does not apply', async () => {
    const report = await run({
      config: config({ checks: { skip: [], only: [], waivers: [{ check: 'consumer.zone-found', target: 'other', reason: 'x', expires: '2099-01-01' }] } }),
      facts: [],
      now,
      checks: [check('consumer.zone-found', 'fail')],
    });
    expect(report.targets[0]!.results[0]!.status).toBe('fail');
  });
});

describe('selection, events, exit codes', () => {
  it('--checks selects by id, glob or side; skip lists are reported as not-selected', async () => {
    const checks = [check('local.a', 'pass'), check('local.b', 'pass'), check('provider.c', 'pass'), check('consumer.d', 'pass')];
    const report = await run({ config: config({ checks: { only: ['local.*', 'consumer'], skip: ['local.b'], waivers: [] } }), facts: [], checks });
    expect(statuses(report)).toEqual({ 'local.a': 'pass', 'local.b': 'skip:not-selected', 'consumer.d': 'pass' });
  });

  it('emits start and end events for each check and progress per target', async () => {
    const events: EngineEvent[] = [];
    await run({
      config: config({ targets: [{ name: 't1', workspaceId: WS1 }, { name: 't2', workspaceId: WS2 }] }),
      facts: [],
      checks: [check('local.a', 'pass')],
      onEvent: (e) => events.push(e),
    });
    expect(events.filter((e) => e.type === 'check-start')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'check-end')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'target-end').map((e) => (e as { done: number }).done).sort()).toEqual([1, 2]);
  });

  it('computes the exit code from the gate: 0, 1 on fail, 3 on error, --fail-on warn/error/severity', () => {
    const r = (status: Status, severity: 'critical' | 'low' = 'critical') => ({ status, severity });
    expect(computeSummary([r('pass'), r('skip')], 'fail').exitCode).toBe(0);
    expect(computeSummary([r('pass'), r('fail')], 'fail').exitCode).toBe(1);
    expect(computeSummary([r('error'), r('warn')], 'fail').exitCode).toBe(3);
    expect(computeSummary([r('fail'), r('error')], 'fail').exitCode).toBe(1);
    expect(computeSummary([r('warn')], 'warn').exitCode).toBe(1);
    expect(computeSummary([r('error')], 'error').exitCode).toBe(1);
    expect(computeSummary([r('fail', 'low')], 'high').exitCode).toBe(0);
    expect(computeSummary([r('fail', 'critical')], 'high').exitCode).toBe(1);
    expect(computeSummary([r('fail', 'low'), r('error')], 'high').exitCode).toBe(3);
  });

  it('matches globs literally except for *', () => {
    expect(matchesPattern('local.dns-private', 'local.*')).toBe(true);
    expect(matchesPattern('localXdns', 'local.*')).toBe(false);
    expect(matchesPattern('prod-eu', 'prod-*')).toBe(true);
    expect(matchesPattern('a+b', 'a+b')).toBe(true);
  });
});

describe('interruption and replay', () => {
  it('an interrupted run marks unfinished checks and the report', async () => {
    const abort = new AbortController();
    const hangs = defineFact({ id: 'f.hang', version: 1, description: 'hang', gather: () => new Promise(() => {}) });
    const running = runDiagnosis({
      config: config(),
      facts: [hangs],
      signal: abort.signal,
      checks: [check('local.fast', 'pass'), check('local.slow', 'pass', { needs: ['f.hang'] })],
    });
    setTimeout(() => abort.abort('SIGINT'), 20);
    const report = await running;
    expectValidReport(report);
    expect(report.interrupted).toBe(true);
    expect(statuses(report)).toEqual({ 'local.fast': 'pass', 'local.slow': 'skip:interrupted' });
  });

  it("an interruption aborts the signal of every fact still gathering, with the run's reason; one done gathering is not aborted", async () => {
    const abort = new AbortController();
    const seen: Record<string, unknown> = {};
    const signals: Record<string, AbortSignal> = {};
    const hang = (id: string) =>
      defineFact({
        id,
        version: 1,
        description: id,
        gather: (ctx) =>
          new Promise((_, reject) => {
            signals[id] = ctx.signal;
            ctx.signal.addEventListener('abort', () => {
              seen[id] = ctx.signal.reason;
              reject(new Error('aborted'));
            });
          }),
      });
    const quick = defineFact({ id: 'f.quick', version: 1, description: 'quick', gather: async (ctx) => ((signals['f.quick'] = ctx.signal), 'done') });
    const running = runDiagnosis({
      config: config(),
      facts: [hang('f.one'), hang('f.two'), quick],
      signal: abort.signal,
      checks: [check('local.one', 'pass', { needs: ['f.one'] }), check('local.two', 'pass', { needs: ['f.two'] }), check('local.quick', 'pass', { needs: ['f.quick'] })],
    });
    setTimeout(() => abort.abort('SIGINT'), 20);
    const report = await running;
    expect(report.interrupted).toBe(true);
    expect(seen).toEqual({ 'f.one': 'SIGINT', 'f.two': 'SIGINT' });
    expect(signals['f.quick']!.aborted).toBe(false);
  });

  it('replays recorded facts without gathering; a fact the recording lacks is skip (missing-fact)', async () => {
    let gathered = 0;
    const facts = [
      defineFact({ id: 'f.ip', version: 1, description: 'ip', gather: async () => (gathered++, '10.0.0.4') }),
      defineFact({ id: 'f.new', version: 1, description: 'new', gather: async () => (gathered++, 'x') }),
    ];
    const ipCheck = check('local.ip', 'pass', { needs: ['f.ip'], run: ({ facts }) => ({ status: String(facts.value('f.ip')).startsWith('10.') ? 'pass' : 'fail', message: String(facts.value('f.ip')) }) });
    const live = await run({ config: config(), facts, checks: [ipCheck] });
    expect(gathered).toBe(1);
    const newCheck = check('local.new', 'pass', { needs: ['f.new'], run: ({ facts }) => ({ status: 'pass', message: String(facts.value('f.new')) }) });
    const replayed = await run({ config: config(), facts, checks: [ipCheck, newCheck], recording: live });
    expect(gathered).toBe(1);
    expect(replayed.mode).toBe('replay');
    expect(statuses(replayed)).toEqual({ 'local.ip': 'pass', 'local.new': 'skip:missing-fact' });
  });
});

describe('the side credential check', () => {
  it('every other check of its side depends on it without naming it; other sides do not', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [
        check('provider.credential', 'error'),
        check('provider.workspace', 'pass'),
        check('provider.child', 'pass', { after: ['workspace'] }),
        check('consumer.credential', 'pass'),
        check('consumer.endpoint', 'fail'),
        check('local.dns', 'pass'),
        check('local.api', 'pass', { after: ['provider.child'] }),
      ],
    });
    expect(statuses(report)).toEqual({
      'provider.credential': 'error',
      'provider.workspace': 'skip:blocked',
      'provider.child': 'skip:blocked',
      'consumer.credential': 'pass',
      'consumer.endpoint': 'fail',
      'local.dns': 'pass',
      'local.api': 'skip:blocked',
    });
    const results = report.targets[0]!.results;
    for (const id of ['provider.workspace', 'provider.child', 'local.api']) expect(results.find((r) => r.checkId === id)!.blockedBy).toBe('provider.credential');
    expect(report.targets[0]!.rootCauses).toEqual([
      { checkId: 'provider.credential', status: 'error', explains: [] },
      { checkId: 'consumer.endpoint', status: 'fail', explains: [] },
    ]);
  });
});

describe('causality', () => {
  const explained = (by: string[]) => (input: { results: { get(id: string): { evidence: Record<string, unknown> } | undefined } }) =>
    by.filter((id) => input.results.get(id)?.evidence.cause === true);
  const failing = (id: string, cause: boolean, extra: Partial<CheckDef> = {}) =>
    check(id, 'fail', { run: () => ({ status: 'fail', message: id, evidence: { cause } }), ...extra });

  it('a symptom names its cause from evidence; rootCauses lists what nothing explains, with what it explains', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [
        failing('consumer.zone', true),
        failing('local.dns', false, { explainedBy: explained(['consumer.zone']) }),
        failing('local.endpoint-ip', false, { explainedBy: () => ['local.dns'] }),
        check('local.warned', 'warn', { explainedBy: () => ['consumer.zone'] }),
        failing('provider.other', false),
      ],
    });
    const target = report.targets[0]!;
    const byId = new Map(target.results.map((r) => [r.checkId, r]));
    expect(byId.get('local.dns')!.explainedBy).toEqual(['consumer.zone']);
    expect(byId.get('local.dns')!.status, 'a symptom keeps its status').toBe('fail');
    expect(byId.get('local.endpoint-ip')!.explainedBy).toEqual(['local.dns']);
    expect(byId.get('consumer.zone')!.explainedBy).toBeUndefined();
    expect(target.rootCauses).toEqual([
      { checkId: 'consumer.zone', status: 'fail', explains: ['local.dns', 'local.endpoint-ip', 'local.warned'] },
      { checkId: 'provider.other', status: 'fail', explains: [] },
    ]);
  });

  it('the evidence decides: the same hook links nothing when the other result does not show the cause', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [failing('consumer.zone', false), failing('local.dns', false, { explainedBy: explained(['consumer.zone']) })],
    });
    expect(report.targets[0]!.results.every((r) => r.explainedBy === undefined)).toBe(true);
    expect(report.targets[0]!.rootCauses.map((c) => c.checkId)).toEqual(['consumer.zone', 'local.dns']);
  });

  it('only a problem explains: a hook naming a passing, skipped, unknown or its own result links nothing', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [
        check('consumer.ok', 'pass'),
        check('consumer.off', 'skip', { run: () => ({ status: 'skip', skipReason: 'not-applicable', message: 'off' }) }),
        check('local.dns', 'fail', { explainedBy: () => ['consumer.ok', 'consumer.off', 'consumer.nope', 'local.dns'] }),
        check('local.throws', 'fail', { explainedBy: () => { throw new Error('hook bug'); } }),
      ],
    });
    expect(report.targets[0]!.results.every((r) => r.explainedBy === undefined)).toBe(true);
    expect(report.targets[0]!.rootCauses.map((c) => c.checkId)).toEqual(['local.dns', 'local.throws']);
  });

  it('mutual explanations (a hook mistake) keep both as root causes instead of losing them', async () => {
    const report = await run({
      config: config(),
      facts: [],
      checks: [check('local.a', 'fail', { explainedBy: () => ['local.b'] }), check('local.b', 'fail', { explainedBy: () => ['local.a'] })],
    });
    expect(report.targets[0]!.rootCauses.map((c) => c.checkId).sort()).toEqual(['local.a', 'local.b']);
  });

  it('a healthy target has an empty rootCauses list, and a warning alone is no root cause', async () => {
    const report = await run({ config: config(), facts: [], checks: [check('local.a', 'pass'), check('local.w', 'warn')] });
    expect(report.targets[0]!.rootCauses).toEqual([]);
  });
});

describe('head start (startsFirst)', () => {
  const order: string[] = [];
  const fact = (id: string, extra: Partial<FactDef> = {}): FactDef =>
    defineFact({ id, version: 1, description: id, gather: async () => (order.push(id), id), ...extra });
  const checks = [check('provider.a', 'pass', { needs: ['f.rest'] }), check('provider.b', 'pass', { needs: ['f.signIn'] })];

  it('starts the sign-in first and the rest once its request is on the wire', async () => {
    order.length = 0;
    let onWire!: () => void;
    const headStart = new Promise<void>((resolve) => (onWire = resolve));
    const signIn = fact('f.signIn', { startsFirst: true, gather: async () => (order.push('f.signIn'), await new Promise<void>((r) => setTimeout(r, 20)), 'token') });
    const pending = run({ config: config(), facts: [signIn, fact('f.rest')], checks, headStart: () => headStart });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['f.signIn']);
    onWire();
    const report = await pending;
    expect(order).toEqual(['f.signIn', 'f.rest']);
    expect(report.summary.pass).toBe(2);
  });

  it('does not wait for a head start that never comes once the sign-in has settled', async () => {
    order.length = 0;
    const report = await run({ config: config(), facts: [fact('f.signIn', { startsFirst: true }), fact('f.rest')], checks, headStart: () => new Promise<void>(() => {}) });
    expect(order).toEqual(['f.signIn', 'f.rest']);
    expect(report.summary.pass).toBe(2);
  });
});

// Recorded facts in a replayed report, damaged: the replay never crashes, and a check never turns a
// recorded problem into a `pass` because data went missing or changed type. Reports come from the
// lab, healthy and with faults (so there are fails to protect). A damaged report *file* (any part of
// the JSON) is either refused with a message naming the file and the place, or replayed.
// Replay: FC_SEED=<seed> npx vitest run test/fuzz/replay.fuzz.test.ts
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInCatalogue, diagnose } from '../../src/diagnose.js';
import type { Catalogue } from '../../src/engine/catalogue.js';
import type { RunReport } from '../../src/engine/types.js';
import { startLab } from '../../src/lab/server.js';
import { runReplayCommand } from '../../src/cli/commands/replay.js';
import { toolInfo } from '../../src/version.js';
import { replayReport } from '../../src/snapshot/replay.js';
import { expectValidReport } from '../helpers/report-schema.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
console.log(`replay fuzz seed: ${seed}`);

// Faults that make checks of every side fail (docs/checks.md), and the healthy world.
const FAULT_SETS: string[][] = [
  [],
  ...['capacity-trial', 'capacity-paused', 'tenant-setting-off', 'pls-wrong-workspace', 'connection-pending', 'connection-rejected', 'pe-wrong-subresource', 'pe-other-vnet'].map((f) => [f]),
  ...['zone-unlinked', 'record-missing', 'record-wrong-ip', 'record-stale', 'other-endpoints-missing', 'dns-forwarder-public', 'stale-client-cache', 'tcp-blocked', 'tls-intercepted', 'public-access-allowed'].map((f) => [f]),
];

let catalogue: Catalogue;
const reports: RunReport[] = [];

beforeAll(async () => {
  catalogue = await builtInCatalogue();
  for (const faults of FAULT_SETS) {
    const lab = await startLab({ faults, seed: 'replay-fuzz' });
    try {
      Object.assign(process.env, lab.secretEnv());
      reports.push(await diagnose(lab.resolvedConfig()));
    } finally {
      await lab.stop();
    }
  }
  expect(reports.some((r) => r.summary.fail > 0)).toBe(true);
}, 120_000);

type Path = Array<string | number>;

/** Every path into a JSON value (objects and arrays), for picking a place to damage. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      pathsOf(child, path, out);
    }
  }
  return out;
}

type Damage = 'delete' | 'null' | 'retype' | 'empty';

/** Junk as text: fast-check's objects may have no prototype, or a `toString` that is not a function. */
function asText(junk: unknown): string {
  try {
    return String(junk);
  } catch {
    return JSON.stringify(junk) ?? 'junk';
  }
}

/** Damage that removes or garbles information, never adds a plausible value. Arrays keep their elements. */
function damage(root: unknown, path: Path, how: Damage, junk: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  const before = parent[last];
  if (how === 'delete' && !Array.isArray(parent)) delete parent[last];
  else if (how === 'null') parent[last] = null;
  else if (how === 'empty' && !Array.isArray(before)) parent[last] = before && typeof before === 'object' ? {} : '';
  else {
    // Another type than it had: strings become numbers or objects, objects become strings...
    const retyped = typeof before === 'string' ? (typeof junk === 'string' ? 42 : junk) : typeof junk === typeof before ? asText(junk) : junk;
    parent[last] = retyped === undefined ? null : retyped;
  }
  return copy;
}

function statuses(report: RunReport): Map<string, { status: string; message: string }> {
  return new Map(report.targets.flatMap((t) => t.results.map((r) => [`${t.name}/${r.checkId}`, { status: r.status, message: r.message }] as const)));
}

async function replay(report: RunReport): Promise<RunReport> {
  const outcome = await replayReport({ report, checks: catalogue.checks, facts: catalogue.facts, now: () => NOW });
  expect(outcome.refused).toEqual([]);
  return outcome.report;
}

describe('replay fuzz', () => {
  it('a damaged fact value never crashes the replay nor turns a recorded problem into a pass', async () => {
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.nat(),
        fc.nat(),
        fc.constantFrom<Damage>('delete', 'null', 'retype', 'empty'),
        fc.oneof(fc.integer(), fc.boolean(), fc.constant({}), fc.constant([]), fc.string({ maxLength: 5 })),
        async (whichReport, whichFact, whichPath, how, junk) => {
          const original = reports[whichReport % reports.length]!;
          const keys = Object.keys(original.facts).filter((k) => original.facts[k]!.result.ok);
          const key = keys[whichFact % keys.length]!;
          const value = (original.facts[key]!.result as { value: unknown }).value;
          const paths = pathsOf(value);
          fc.pre(paths.length > 0);
          const path = paths[whichPath % paths.length]!;
          const damaged = structuredClone(original);
          damaged.facts[key] = { ...damaged.facts[key]!, result: { ok: true, value: damage(value, path, how, junk) } };

          const before = statuses(await replay(original));
          const after = await replay(damaged);
          expectValidReport(after);
          const flips: string[] = [];
          const afterStatuses = statuses(after);
          if ([...afterStatuses].some(([id, now]) => before.get(id)?.status !== now.status)) changed++;
          for (const [id, now] of afterStatuses) {
            const was = before.get(id)!;
            if (now.status === 'pass' && was.status !== 'pass' && was.status !== 'skip') flips.push(`${id}: ${was.status} → pass (${now.message})`);
          }
          expect(flips, `fact ${key}, ${how} at ${JSON.stringify(path)} (junk ${JSON.stringify(junk)})`).toEqual([]);
        },
      ),
      { seed, numRuns: 400 },
    );
    // The damage reaches the checks (the property is not vacuous): many runs change some status.
    console.log(`replay fuzz: ${changed} of 400 damaged facts changed a status`);
    expect(changed).toBeGreaterThan(40);
  }, 240_000);

  it('a damaged report file is refused naming the file and the place, or replayed', async () => {
    const text = JSON.stringify(reports[1] ?? reports[0], null, 2);
    const dir = await mkdtemp(join(tmpdir(), 'xtd-replay-fuzz-'));
    const file = join(dir, 'damaged.json');
    const outDir = join(dir, 'out');
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
          fc.tuple(fc.nat({ max: text.length }), fc.string({ maxLength: 8 })).map(([n, s]) => text.slice(0, n) + s + text.slice(n + s.length)),
          fc.tuple(fc.nat(), fc.constantFrom<Damage>('delete', 'null', 'retype', 'empty'), fc.jsonValue({ maxDepth: 2 })).map(([n, how, junk]) => {
            const data = JSON.parse(text) as unknown;
            const paths = pathsOf(data).filter((p) => p[0] !== 'facts');
            return JSON.stringify(damage(data, paths[n % paths.length]!, how, junk));
          }),
        ),
        async (input) => {
          // Through the replay command as the CLI runs it: load, replay, print (and write a report).
          await writeFile(file, input);
          let stdout = '';
          let stderr = '';
          const code = await runReplayCommand({ input: file, out: outDir, format: ['json', 'md'] }, { tool: toolInfo() }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
          if (code === 2) {
            expect(stderr).toMatch(/^xtenant-doctor replay: \S*damaged\.json: /);
            return;
          }
          expect([0, 1, 3], stderr).toContain(code);
          expect(stdout).toMatch(/^replay of /);
          expectValidReport(JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')));
        },
      ),
      { seed, numRuns: 300 },
    );
  }, 240_000);
});

// Secrets never reach an output: a lab run of the built CLI with client secrets and bearer tokens in
// the environment and in files the config names, with every report format, --json, --verbose and
// --debug, a support bundle (plain and redacted), and runs whose credentials fail (a planted wrong
// secret and token, so error paths and --debug stack traces are exercised too). No secret, no token
// the lab ever issued, no planted value appears in stdout, stderr, a report, the request log or the
// bundle.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_ENV } from '../../src/lab/config.js';
import { startLab, type Lab } from '../../src/lab/server.js';
import { readBundleBytes } from '../../src/snapshot/load.js';
import { runCli, type CliResult } from '../helpers/cli.js';

const PLANTED_SECRET = 'PLANTED-client-secret-5f1d9c7e-do-not-print';
const PLANTED_TOKEN = 'PLANTED.bearer-token.8c2e41aa-do-not-print';
/** Any token the lab issues (static ones for access-token, dynamic ones from its token endpoint). */
const LAB_TOKEN = /lab\.(arm|fabric)\.[A-Za-z0-9_-]{16,}/;

let lab: Lab;
let dir: string;
const outputs: Array<{ where: string; text: string }> = [];

async function collect(label: string, result: CliResult, outDirs: string[] = [], bundles: string[] = []): Promise<void> {
  outputs.push({ where: `${label}: stdout`, text: result.stdout }, { where: `${label}: stderr`, text: result.stderr });
  for (const out of outDirs) {
    for (const name of await readdir(out)) outputs.push({ where: `${label}: ${name}`, text: await readFile(join(out, name), 'utf8') });
  }
  for (const file of bundles) {
    for (const [name, text] of Object.entries(await readBundleBytes(file, await readFile(file)))) outputs.push({ where: `${label}: bundle ${name}`, text });
  }
}

beforeAll(async () => {
  lab = await startLab({ seed: 'secrets' });
  dir = await mkdtemp(join(tmpdir(), 'xtd-secrets-'));
}, 60_000);

afterAll(async () => {
  await lab?.stop();
});

describe('secrets in the environment and in files', () => {
  it('appear in no output of any command, format or verbosity', { timeout: 120_000 }, async () => {
    const env = lab.secretEnv();
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, lab.caPem);
    const configFile = (options: Parameters<Lab['configJson']>[0] = {}) => ({ ...lab.configJson(options), tls: { caFile } });
    const envConfig = join(dir, 'env.json');
    await writeFile(envConfig, JSON.stringify(configFile()));
    const tokenConfig = join(dir, 'token.json');
    await writeFile(tokenConfig, JSON.stringify(configFile({ credentials: 'access-token' })));
    const fileConfig = await lab.writeConfig(join(dir, 'files'));
    const fileTokenConfig = await lab.writeConfig(join(dir, 'files-token'), { credentials: 'access-token' });
    // Wrong credentials: the planted values are sent, refused, and must not be echoed anywhere.
    const plantedEnv = { ...env, [LAB_ENV.providerClientSecret]: PLANTED_SECRET, [LAB_ENV.consumerArmToken]: PLANTED_TOKEN, [LAB_ENV.providerFabricToken]: PLANTED_TOKEN };
    const mixedConfig = join(dir, 'mixed.json');
    const mixed = configFile();
    mixed.credentials.consumer = { type: 'access-token', armTokenEnv: LAB_ENV.consumerArmToken };
    await writeFile(mixedConfig, JSON.stringify(mixed));

    const runs: Array<{ label: string; args: string[]; env?: Record<string, string>; out?: string; bundle?: string }> = [];
    for (const [name, config, runEnv] of [
      ['env secrets', envConfig, env],
      ['env tokens', tokenConfig, env],
      ['file secrets', fileConfig, {}],
      ['file tokens', fileTokenConfig, {}],
      ['planted wrong secret and token', mixedConfig, plantedEnv],
    ] as const) {
      const slug = name.replace(/\W+/g, '-');
      runs.push({ label: `${name}, run --verbose --debug`, args: ['run', '-c', config, '--out', join(dir, `${slug}-out`), '--format', 'json,junit,html,md', '--verbose', '--debug'], env: runEnv, out: join(dir, `${slug}-out`) });
      runs.push({ label: `${name}, run --json --debug`, args: ['run', '-c', config, '--json', '--debug', '--out', join(dir, `${slug}-json`)], env: runEnv, out: join(dir, `${slug}-json`) });
      runs.push({ label: `${name}, bundle`, args: ['bundle', '-c', config, '--out', join(dir, `${slug}.tar.gz`), '--verbose', '--debug'], env: runEnv, bundle: join(dir, `${slug}.tar.gz`) });
    }
    runs.push({ label: 'bundle --redact', args: ['bundle', '-c', envConfig, '--out', join(dir, 'redacted.tar.gz'), '--redact'], env, bundle: join(dir, 'redacted.tar.gz') });

    const results = await Promise.all(runs.map((r) => runCli(r.args, { env: r.env ?? {} })));
    for (const [i, run] of runs.entries()) {
      const result = results[i]!;
      // Healthy runs pass; the planted ones cannot authenticate and say so (exit 3), without a crash.
      expect([0, 3], `${run.label}: exit ${result.code}\n${result.stderr}`).toContain(result.code);
      await collect(run.label, result, run.out ? [run.out] : [], run.bundle ? [run.bundle] : []);
    }
    // The planted runs really did fail on their credentials (so their error paths were printed).
    const planted = results[runs.findIndex((r) => r.label.startsWith('planted') && r.args.includes('--verbose'))]!;
    expect(planted.stdout + planted.stderr).toMatch(/could not read/);

    const secrets = [...Object.values(env), PLANTED_SECRET, PLANTED_TOKEN];
    expect(secrets.every((s) => s.length >= 16)).toBe(true);
    expect(outputs.length).toBeGreaterThan(60);
    const leaks: string[] = [];
    for (const { where, text } of outputs) {
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${where}: ${secret.slice(0, 12)}…`);
      const token = LAB_TOKEN.exec(text);
      if (token) leaks.push(`${where}: a lab token ${token[0].slice(0, 12)}…`);
    }
    expect(leaks).toEqual([]);
  });
});

// The resolve command end to end (its yargs handler) against a real BIND on loopback.
import yargs from 'yargs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import command from '../../src/cli/commands/resolve.js';
import { startNamed, type NamedServer } from '../helpers/named.js';

let named: NamedServer;
beforeAll(async () => {
  named = await startNamed();
});
afterAll(async () => named?.stop());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  await yargs(args).command(command).strict().exitProcess(false).parseAsync();
  vi.restoreAllMocks();
  return { stdout, stderr };
}

describe('xtenant-doctor resolve', () => {
  it('--json for a workspace id asks all five FQDNs, A and AAAA', async () => {
    const { stdout } = await run(['resolve', '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d', '--server', `127.0.0.1:${named.port}`, '--json']);
    const doc = JSON.parse(stdout);
    expect(doc.system).toEqual([]);
    expect(doc.queries).toHaveLength(10);
    const api = doc.queries.find((q: { name: string; type: string }) => q.type === 'A' && q.name.includes('.w.api.'));
    expect(api).toMatchObject({
      name: '1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d.z1b.w.api.fabric.microsoft.com',
      server: `127.0.0.1:${named.port}`,
      rcode: 'NOERROR',
      chain: ['1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d.z1b.w.api.fabric.microsoft.com', '1b2c3d4e5f604a7b8c9d0e1f2a3b4c5d.z1b.w.api.privatelink.fabric.microsoft.com'],
      addresses: [{ address: '10.0.0.5', class: 'private' }],
    });
    // The other four names are not in the harness zone: NXDOMAIN, said as such.
    expect(doc.queries.filter((q: { rcode: string }) => q.rcode === 'NXDOMAIN')).toHaveLength(8);
    // The API name is private, the other four do not exist: not all private, exit 1 (the JSON keeps its keys).
    expect(Object.keys(doc)).toEqual(['queries', 'system']);
    expect(process.exitCode).toBe(1);
  });

  it('text output for a public answer, with the system resolver beside (localhost from the hosts file)', async () => {
    const { stdout } = await run(['resolve', '2a3b4c5d6e7f40818a9b0c1d2e3f4a5b.z2a.w.api.fabric.microsoft.com', '--server', `127.0.0.1:${named.port}`]);
    expect(stdout).toContain('chain: 2a3b4c5d6e7f40818a9b0c1d2e3f4a5b.z2a.w.api.fabric.microsoft.com → ');
    expect(stdout).toMatch(/20\.42\.0\.10 +public/);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^Verdict: public: .* \(exit 1\)$/);
    expect(process.exitCode).toBe(1);
    const local = await run(['resolve', 'localhost.', '--server', `127.0.0.1:${named.port}`, '--system']);
    expect(local.stdout).toContain('system resolver (dns.lookup: hosts file, OS cache)');
  });

  it('a bad argument exits 2 with a clear message', async () => {
    const { stdout, stderr } = await run(['resolve', 'not a name']);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/neither a workspace id \(a GUID\) nor a fully qualified domain name/);
    expect(process.exitCode).toBe(2);
  });
});

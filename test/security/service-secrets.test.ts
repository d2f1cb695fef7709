// A service that echoes secrets into its error bodies (the Authorization header, a storage
// connection string, a SAS URL, a private key, a JWT) and a token the run obtained: through the real
// ARM and Fabric clients and the engine, none of it reaches the report files or the terminal view.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../checks/index.js';
import { formatTerminalReport } from '../../reports/index.js';
import { writeReports } from '../../reports/write.js';
import { testConfig } from '../../src/config/defaults.js';
import { runDiagnosis } from '../../src/engine/run.js';
import { createServices } from '../../src/engine/services.js';
import { ALL_FACTS } from '../../src/gather/index.js';
import { reset, serve, type Reply } from '../fixtures/azure-mock.js';
import * as fx from '../fixtures/control.js';

const TOKEN = 'PLANTEDobtainedTOKEN-0123456789abcdef';
const ECHO = [
  `Authorization: Bearer ${TOKEN}`,
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJQTEFOVEVEand0In0.PLANTEDjwtSIGNATURE0123',
  'AccountKey=PLANTEDaccountKEY0123456789abc==;EndpointSuffix=core.windows.net',
  'https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=PLANTEDsasSIG0123456789abc%3D',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEPLANTEDpemBODY0123456789\n-----END RSA PRIVATE KEY-----',
].join(' ');
const MARKERS = [TOKEN, 'PLANTEDjwt', 'eyJzdWIiOiJQTEFOVEVEand0In0', 'PLANTEDaccountKEY', 'PLANTEDsasSIG', 'PLANTEDpemBODY'];

afterEach(() => reset());

describe('secrets a service echoes', () => {
  it('appear in no report file and not in the terminal view', async () => {
    process.env.XTD_SVC_TOKEN = TOKEN;
    const credential = { type: 'access-token' as const, armTokenEnv: 'XTD_SVC_TOKEN', fabricTokenEnv: 'XTD_SVC_TOKEN' };
    const config = testConfig({ targets: [fx.target()], credentials: { provider: credential, consumer: credential }, timeouts: { requestMs: 2000, factMs: 20000 } });
    const refuse: Reply[] = [[403, { error: { code: 'AuthorizationFailed', message: `denied; request was: ${ECHO}` } }]];
    serve(undefined, {
      [fx.PE_ID]: refuse,
      [fx.PLS_ID]: refuse,
      [`/v1/workspaces/${fx.WORKSPACE_ID}`]: [[401, { errorCode: 'Unauthorized', message: `bad token ${ECHO}` }]],
    });
    const checks = CATALOGUE.filter((c) => c.side === 'provider' || c.side === 'consumer');
    const report = await runDiagnosis({ config, checks, facts: ALL_FACTS, services: createServices(config, new AbortController().signal) });
    // The echo reached the run (Fabric's 401 message is quoted in the error); only the outputs are clean.
    expect(JSON.stringify(report)).toContain(`bad token Authorization: Bearer ${TOKEN}`);
    const dir = await mkdtemp(join(tmpdir(), 'xtd-service-secrets-'));
    await writeReports(report, dir);
    const outputs: Array<[string, string]> = [['terminal', formatTerminalReport(report, { color: false, verbose: true })]];
    for (const name of await readdir(dir)) outputs.push([name, await readFile(join(dir, name), 'utf8')]);
    const leaks = outputs.flatMap(([where, text]) => MARKERS.filter((m) => text.includes(m)).map((m) => `${where}: ${m}`));
    expect(leaks).toEqual([]);
    JSON.parse(outputs.find(([n]) => n === 'report.json')![1]);
  });
});

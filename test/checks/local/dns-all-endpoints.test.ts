import { describe, expect, it } from 'vitest';
import check from '../../../checks/local/dns-all-endpoints.js';
import { HEALTHY_IPS, NAMES, ok, privateEndpoint, runChecks, systemFact } from '../../helpers/dns-facts.js';
import { pastableCommands } from '../../helpers/shells.js';
import { scratch } from '../fixture.js';

const run = async (compute: string[]) =>
  (
    await runChecks([check], {
      'local.systemResolve': ok(systemFact({ api: [HEALTHY_IPS.api], compute, onelake: [HEALTHY_IPS.onelake], dfs: [HEALTHY_IPS.dfs], blob: [HEALTHY_IPS.blob] })),
      'consumer.privateEndpoint': ok(privateEndpoint()),
    })
  )['local.dns-all-endpoints']!;

describe('local.dns-all-endpoints fix', () => {
  it('a name that does not resolve: add its record with the endpoint\'s IP, then clear the cache', async () => {
    const r = await run([]);
    expect(r.status).toBe('fail');
    const commands = pastableCommands(r.fix, scratch);
    expect(commands.find((c) => c.includes('add-record'))).toMatch(new RegExp(`--record-set-name ${NAMES.records.compute.replace(/\./g, '\\.')} --ipv4-address ${HEALTHY_IPS.compute.replace(/\./g, '\\.')}$`));
    expect(commands.at(-1)).toBe('resolvectl flush-caches');
  });

  it('a public answer: no record command (the zone is not answering: linking fixes it), the general advice', async () => {
    const r = await run(['20.42.0.10']);
    expect(JSON.stringify(r.fix)).not.toContain('add-record');
    expect(r.fix!.summary).toMatch(/setup step 7/);
  });
});

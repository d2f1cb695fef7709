import { describe, expect, it } from 'vitest';
import check from '../../../checks/local/dns-consistent.js';
import { API, directFact, ok, runChecks, systemFact } from '../../helpers/dns-facts.js';
import { pastableCommands } from '../../helpers/shells.js';
import { scratch } from '../fixture.js';

describe('local.dns-consistent fix', () => {
  it('only this machine differs: show the hosts-file entry for the API name, clear the cache', async () => {
    const r = (
      await runChecks([check], { 'local.systemResolve': ok(systemFact({ api: ['10.0.0.99'] })), 'local.directResolve': ok(directFact({ '10.1.0.4': { addresses: ['10.0.0.5'] } })) })
    )['local.dns-consistent']!;
    expect(r.status).toBe('fail');
    expect(pastableCommands(r.fix, scratch)).toEqual([`grep -in ${API} /etc/hosts`, 'resolvectl flush-caches']);
    expect(r.fix!.steps.map((s) => s.commands?.powershell)).toEqual([expect.stringContaining(`-Pattern ${API}`), 'Clear-DnsClientCache']);
  });
});

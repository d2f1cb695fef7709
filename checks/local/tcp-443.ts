// local.tcp-443: a TCP connection to the API FQDN's address on 443 opens.
import { defineCheck } from '../../src/engine/define.js';
import type { FactResult, Finding } from '../../src/engine/types.js';
import type { ApiAddress } from '../../src/gather/net/address.js';
import type { TcpProbeResult } from '../../src/gather/net/tcp.js';
import { evidenceStrings, failedResult } from '../helpers.js';
import { advice, step } from '../../src/fix/steps.js';
import type { FixStep } from '../../src/engine/types.js';
import { isIP } from 'node:net';

const FIREWALL_FIX =
  'Allow outbound TCP 443 from the jump VM to the private endpoint: check the NSG on the VM\'s subnet and NIC, ' +
  'the NSG on the endpoint\'s subnet (private endpoint network policies), any Azure Firewall or NVA a route table ' +
  'sends the traffic through, and the VM\'s own firewall (Windows Defender Firewall, iptables/nftables).';

/** Test the connection again from this machine, as the check did (only for an address that is an IP). */
function testStep(address: string): FixStep[] {
  if (!isIP(address)) return [];
  return [
    step(`After the change, test TCP 443 to ${address} from this machine.`, undefined, {
      bash: `timeout 5 bash -c '</dev/tcp/${address}/443' && echo open`,
      powershell: `Test-NetConnection -ComputerName ${address} -Port 443`,
    }),
  ];
}

export function tcpFinding(probe: TcpProbeResult): Finding {
  const target = `${probe.address}:${probe.port}`;
  const via = probe.destination?.mapped ? ` (connect-to: ${probe.destination.host}:${probe.destination.port})` : '';
  const evidence: Record<string, unknown> = {
    fqdn: probe.names[0],
    address: probe.address,
    port: probe.port,
    outcome: probe.outcome,
    ...(probe.destination ? { destination: `${probe.destination.host}:${probe.destination.port}`, mapped: probe.destination.mapped } : {}),
    ...(probe.connectMs !== undefined ? { connectMs: probe.connectMs } : {}),
    ...(probe.error ? { error: probe.error } : {}),
  };
  switch (probe.outcome) {
    case 'open':
      return { status: 'pass', message: `TCP ${target}${via} opens (${probe.connectMs} ms)`, evidence };
    case 'refused':
      return {
        status: 'fail',
        message: `TCP ${target}${via}: connection refused: a firewall rejects 443, or nothing at that address serves 443`,
        evidence,
        fix: advice(`${FIREWALL_FIX} If ${probe.address} is not the private endpoint's IP, fix DNS first (local.dns-endpoint-ip).`, ...testStep(probe.address)),
      };
    case 'timeout':
      return {
        status: 'fail',
        message: `TCP ${target}${via}: no answer within the timeout: an NSG or firewall drops 443, or no route leads to the endpoint`,
        evidence,
        fix: advice(`${FIREWALL_FIX} Check effective routes on the VM's NIC for a route that sends the endpoint's address elsewhere.`, ...testStep(probe.address)),
      };
    case 'reset':
      return { status: 'fail', message: `TCP ${target}${via}: the connection was reset: a firewall or proxy on the path kills it`, evidence, fix: advice(FIREWALL_FIX, ...testStep(probe.address)) };
    case 'unreachable':
      return {
        status: 'fail',
        message: `TCP ${target}${via}: no route to the address (${probe.error?.code ?? 'unreachable'})`,
        evidence,
        fix: advice('The VM has no route to the endpoint\'s address: check that the endpoint\'s VNet is this VNet or peered with it, and the route tables on the VM\'s subnet.', ...testStep(probe.address)),
      };
    case 'sandbox-refused':
      return {
        status: 'fail',
        message: `TCP ${target}: unreachable in sandbox mode (${probe.error?.message ?? 'not mapped'})`,
        evidence,
        fix: advice('In sandbox mode only addresses mapped to loopback by connect-to are reached: add a network.connectTo rule for this address, or turn the sandbox off outside the lab.'),
      };
    default:
      return { status: 'error', message: `TCP ${target}${via}: the probe did not learn the answer: ${probe.error?.message ?? 'unknown error'}`, evidence };
  }
}

/** Says so when the probe went to the endpoint's IP from ARM because DNS did not give it. */
export function withAddressSource(finding: Finding, address: FactResult<ApiAddress>): Finding {
  if (!address.ok || !address.value.reason) return finding;
  return { ...finding, message: `${finding.message} (${address.value.reason})`, evidence: { ...finding.evidence, addressSource: address.value.source, addressReason: address.value.reason } };
}

export default defineCheck({
  id: 'local.tcp-443',
  title: 'TCP 443 to the workspace API address opens',
  side: 'local',
  severity: 'critical',
  needs: ['local.tcp443', 'local.apiAddress'],
  // Not after the DNS checks nor consumer.pe-in-vnet: the probe is the ground truth they are judged by.
  after: ['consumer.pe-approved'],
  docStep: '9',
  tags: ['network'],
  explain:
    'Opens a TCP connection from this machine to the address the system resolver gives for the workspace API FQDN, ' +
    'on port 443, and reports the connect time and where the connection really went (after connect-to). ' +
    'DNS can be right and the endpoint approved while an NSG, a firewall or a route still stops the traffic; ' +
    'refused, timeout (dropped), reset and unreachable point at different devices. When DNS does not give the ' +
    "endpoint's IP (public, stale or no answer), the probe connects to the endpoint's IP from ARM instead, so one run " +
    'shows DNS and network problems together; it never waits for the topology checks.',
  fix: advice(FIREWALL_FIX),
  applies: ({ config }) => config.probes.tcp || 'the TCP probe is off (probes.tcp)',
  run: ({ facts }) => withAddressSource(tcpFinding(facts.value('local.tcp443')), facts.get('local.apiAddress')),
  explainedBy({ result, results }) {
    const outcome = result.evidence.outcome;
    if (outcome === 'open') return [];
    const causes: string[] = [];
    // No path to the endpoint, proven by ARM (another VNet, a peering down): whatever answers instead
    // (a timeout, no route, a firewall's refusal or reset) follows from it.
    if (['timeout', 'unreachable', 'refused', 'reset'].includes(String(outcome)) && failedResult(results, 'consumer.pe-in-vnet')) causes.push('consumer.pe-in-vnet');
    // A connection that is not Approved carries no traffic.
    const approval = failedResult(results, 'consumer.pe-approved');
    if (approval && approval.evidence.status !== 'Approved') causes.push('consumer.pe-approved');
    // The probe went to the wrong address because DNS gave it.
    const dns = failedResult(results, 'local.dns-endpoint-ip');
    if (dns && evidenceStrings(dns.evidence, 'found').includes(String(result.evidence.address)) && !evidenceStrings(dns.evidence, 'expected').includes(String(result.evidence.address))) {
      causes.push('local.dns-endpoint-ip');
    }
    return causes;
  },
});

// Tenant 1: the jump VM and its primary NIC. The VM is named by consumer.vmId, or else by the Azure
// instance metadata service when the doctor runs on the VM (asked only when the sandbox allows it,
// with a short timeout, and never required): its NIC's DNS servers start the DNS path.
import http from 'node:http';
import { armSide } from '../../azure/arm.js';
import { isType, NETWORK_API_VERSION, parseResourceId, sameId, vnetOfSubnet } from '../../azure/resourceId.js';
import type { ResolvedConfig } from '../../config/types.js';
import { defineFact, type GatherContext } from '../../engine/define.js';
import { unavailable } from '../../engine/types.js';
import { destinationFor } from '../../net/destination.js';
import { armService, expectFields, memoKey, readAs } from './common.js';
import type { NetworkInterfaceJson } from './shapes.js';
import { serviceKey, type RequestLogEntry } from '../../engine/services.js';

export const COMPUTE_API_VERSION = '2024-11-01';
const VM_TYPE = 'Microsoft.Compute/virtualMachines';
export const IMDS_HOST = '169.254.169.254';
export const IMDS_PORT = 80;
export const IMDS_PATH = '/metadata/instance?api-version=2021-02-01';
const IMDS_TIMEOUT_MS = 1500;
const IMDS_MAX_BYTES = 256 * 1024;

export const VM_READER = 'Reader on the jump VM and its NIC (or their resource group) in tenant 1';

export interface VmFact {
  vmId: string;
  /** `config`: consumer.vmId; `imds`: the instance metadata service of the machine the doctor runs on. */
  source: 'config' | 'imds';
  nicId: string;
  nic: NetworkInterfaceJson;
  /** The VNet and subnet of the NIC's primary IP configuration. */
  vnetId: string;
  subnetId: string;
  privateIp?: string;
}

export type ImdsAnswer = { ok: true; vmId: string } | { ok: false; reason: string };

/** The metadata service is asked once per run. */
const IMDS_VM = serviceKey<Promise<ImdsAnswer>>('imds:vm');

/**
 * Asks the instance metadata service for this machine's VM resource id. No connection is attempted
 * when the sandbox refuses the address (connect-to must map it, as the lab does). The request is
 * logged (`log`, the run's request log) like every other request the run sends.
 */
export function askImds(config: Pick<ResolvedConfig, 'network'>, signal: AbortSignal, log?: RequestLogEntry[]): Promise<ImdsAnswer> {
  const destination = destinationFor(IMDS_HOST, IMDS_PORT, config);
  if (!destination.ok) return Promise.resolve({ ok: false, reason: destination.reason });
  const started = performance.now();
  return new Promise<ImdsAnswer>((resolve) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    let timer: NodeJS.Timeout | undefined;
    let status: number | undefined;
    const done = (answer: ImdsAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request?.destroy();
      log?.push({ service: 'imds', method: 'GET', host: IMDS_HOST, path: IMDS_PATH, ...(status !== undefined ? { status } : {}), durationMs: Math.round(performance.now() - started), ...(answer.ok || status !== undefined ? {} : { error: answer.reason }) });
      resolve(answer);
    };
    try {
      request = http.get(
        { host: destination.host, port: destination.port, path: IMDS_PATH, headers: { Metadata: 'true', Host: IMDS_HOST }, signal },
        (response) => {
          status = response.statusCode;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > IMDS_MAX_BYTES) return done({ ok: false, reason: `the metadata service's answer is over ${IMDS_MAX_BYTES} bytes` });
            chunks.push(chunk);
          });
          response.on('end', () => {
            if (response.statusCode !== 200) return done({ ok: false, reason: `the metadata service answered HTTP ${response.statusCode}` });
            try {
              const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { compute?: { resourceId?: unknown } })?.compute?.resourceId;
              if (typeof id === 'string' && isType(id, VM_TYPE)) return done({ ok: true, vmId: id });
              return done({ ok: false, reason: 'the metadata service gives no compute.resourceId naming a virtual machine' });
            } catch {
              return done({ ok: false, reason: 'the metadata service answered something that is not JSON' });
            }
          });
          response.on('error', (error) => done({ ok: false, reason: error.message }));
        },
      );
      request.on('error', (error) => done({ ok: false, reason: error.message }));
    } catch (error) {
      return done({ ok: false, reason: (error as Error).message });
    }
    timer = setTimeout(() => done({ ok: false, reason: `no answer from the metadata service within ${IMDS_TIMEOUT_MS} ms` }), IMDS_TIMEOUT_MS);
  });
}

/** The VM id this target is about: configured, else the metadata service's (asked once per run). */
async function locateVm(ctx: GatherContext): Promise<{ vmId: string; source: VmFact['source'] }> {
  const configured = ctx.target.consumer?.vmId;
  if (configured) {
    if (!isType(configured, VM_TYPE)) {
      unavailable('error', `targets[${ctx.target.name}].consumer.vmId is not a Microsoft.Compute/virtualMachines resource id: ${JSON.stringify(configured)}`);
    }
    return { vmId: configured, source: 'config' };
  }
  const answer = await ctx.services.shared(IMDS_VM, () => askImds(ctx.config, ctx.services.signal, ctx.services.requestLog));
  if (!answer.ok) unavailable('not-configured', `the jump VM is not known: consumer.vmId is not set and the instance metadata service did not name it (${answer.reason})`);
  return { vmId: answer.vmId, source: 'imds' };
}

/** The jump VM's id for keys: configured or from the metadata service; undefined when neither names it. */
export async function jumpVmId(ctx: GatherContext): Promise<string | undefined> {
  try {
    return (await locateVm(ctx)).vmId;
  } catch {
    return undefined;
  }
}

/** A VM's primary NIC (the one marked primary, else the first), as ARM lists it. */
export function primaryNicId(vm: { properties?: { networkProfile?: { networkInterfaces?: Array<{ id?: string; properties?: { primary?: boolean } }> } } }): string | undefined {
  const nics = (vm.properties?.networkProfile?.networkInterfaces ?? []).filter((n) => typeof n?.id === 'string');
  return (nics.find((n) => n.properties?.primary) ?? nics[0])?.id;
}

/** A NIC's primary IP configuration (the one marked primary, else the first). */
export function primaryIpConfig(nic: NetworkInterfaceJson): NonNullable<NonNullable<NetworkInterfaceJson['properties']>['ipConfigurations']>[number] | undefined {
  const configs = nic.properties?.ipConfigurations ?? [];
  return configs.find((c) => c.properties?.primary) ?? configs[0];
}

/**
 * The NICs of the VM's resource group (one page), listed beside the VM's own read, so the VM's NIC
 * does not wait a round trip for the VM to name it. Undefined when that list fails or is longer
 * than a page (a Reader on the VM alone may not list the group): the NIC is then read by its id.
 */
function nicsBesideVm(ctx: GatherContext, vmId: string): Promise<NetworkInterfaceJson[] | undefined> {
  const parsed = parseResourceId(vmId);
  if (!parsed) return Promise.resolve(undefined);
  const path = `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}/providers/Microsoft.Network/networkInterfaces`;
  return ctx.services.shared(serviceKey<Promise<NetworkInterfaceJson[] | undefined>>(`vm-group-nics:${path.toLowerCase()}`), () =>
    ctx.services
      .limit(armService(vmId), () => armSide(ctx.services, ctx.config, 'consumer', ctx.target).listJson(path, NETWORK_API_VERSION, ctx.services.signal, { maxPages: 1 }))
      .then(
        (list) => list.value as NetworkInterfaceJson[],
        () => undefined,
      ),
  );
}

export const vmFact = defineFact({
  id: 'consumer.jumpVm',
  version: 1,
  description: 'the jump VM (consumer.vmId or the instance metadata service) and its primary NIC (ARM wire JSON)',
  side: 'consumer',
  key: async (ctx): Promise<string> => memoKey('jumpvm', (await locateVm(ctx)).vmId),
  async gather(ctx): Promise<VmFact> {
    const { vmId, source } = await locateVm(ctx);
    const arm = () => armSide(ctx.services, ctx.config, 'consumer', ctx.target);
    const spec = { side: 'consumer' as const, what: `the virtual machine ${vmId}`, neededRole: VM_READER, service: armService(vmId), scope: vmId };
    const grouped = nicsBesideVm(ctx, vmId);
    const vm = await readAs(ctx, spec, async () => {
      const { body, requestId } = await arm().getJson(parseResourceId(vmId)!.id, COMPUTE_API_VERSION, ctx.signal);
      expectFields(body, spec.what, requestId, 'properties.networkProfile.networkInterfaces');
      return body as { properties: { networkProfile: { networkInterfaces: Array<{ id?: string; properties?: { primary?: boolean } }> } } };
    });
    const nicId = primaryNicId(vm);
    if (!nicId) unavailable('invalid-response', `the virtual machine ${vmId} lists no network interface`, { details: { missingField: 'properties.networkProfile.networkInterfaces[].id' } });
    const listed = (await grouped)?.find((n) => sameId(n.id, nicId) && Array.isArray(n.properties?.ipConfigurations));
    const nic = listed ?? await readAs(ctx, { ...spec, what: `the network interface ${nicId}`, service: armService(nicId), scope: nicId }, async () => {
      const { body, requestId } = await arm().getJson(parseResourceId(nicId)?.id ?? nicId, NETWORK_API_VERSION, ctx.signal);
      expectFields(body, `the network interface ${nicId}`, requestId, 'properties.ipConfigurations');
      return body as NetworkInterfaceJson;
    });
    const ipConfig = primaryIpConfig(nic);
    const subnetId = ipConfig?.properties?.subnet?.id;
    const vnetId = vnetOfSubnet(subnetId);
    if (!subnetId || !vnetId) unavailable('invalid-response', `the network interface ${nicId} has no IP configuration in a VNet subnet`, { details: { missingField: 'properties.ipConfigurations[].properties.subnet.id' } });
    const privateIp = ipConfig?.properties?.privateIPAddress;
    return { vmId, source, nicId, nic, vnetId, subnetId, ...(privateIp ? { privateIp } : {}) };
  },
});

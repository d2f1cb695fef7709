// The lab's faults (docs/checks.md, "Lab faults"): each changes the state the way the real fault would,
// everywhere it shows, so ARM, Fabric, DNS and the listeners all agree. `applyFaults` is pure: it
// returns a new state and leaves its input alone. Faults combine; they apply in the order given.
import { workspaceNames } from '../fabric/workspace.js';
import { Random } from './random.js';
import { resolvingVnetIds } from './resolution.js';
import {
  addressAt,
  endpointById,
  type LabState,
  type LabTarget,
  plsById,
  recordNameFor,
  recordNamed,
  sameId,
  type TopologyName,
  vnetById,
  vnetIdOfSubnet,
  workspaceById,
} from './state.js';

type Scope = 'target' | 'global';

interface FaultDefinition {
  scope: Scope;
  /** The real-world cause, as docs/checks.md says it. */
  description: string;
  /** The topologies the fault exists in (default: every one). */
  topologies?: readonly TopologyName[];
  /** Mutates `state` (a private copy made by applyFault). `target` is set for target-scoped faults. */
  apply(state: LabState, target: LabTarget): void;
}

export interface FaultSpec {
  name: string;
  /** 1-based target index (target-scoped faults; default 1). */
  target?: number;
}

function endpointOf(state: LabState, target: LabTarget) {
  const pe = endpointById(state, target.privateEndpointId);
  if (!pe) throw new Error(`the private endpoint of target ${target.name} is already gone (combine pe-missing last)`);
  return pe;
}

function workspaceOf(state: LabState, target: LabTarget) {
  const ws = workspaceById(state, target.workspaceId);
  if (!ws) throw new Error(`the workspace of target ${target.name} is missing from the lab state`);
  return ws;
}

function setConnectionState(state: LabState, target: LabTarget, status: 'Pending' | 'Rejected', description: string): void {
  const pe = endpointOf(state, target);
  pe.connection.state = { status, description, actionsRequired: 'None' };
  const pls = plsById(state, pe.connection.privateLinkServiceId);
  for (const connection of pls?.connections ?? []) {
    if (sameId(connection.privateEndpointId, pe.id)) connection.state = { status, description, actionsRequired: 'None' };
  }
}

/** A private address in the endpoint subnet that no endpoint uses (an old endpoint's, a typo's). */
function deadAddress(state: LabState, target: LabTarget, slot: number): string {
  const pe = endpointById(state, target.privateEndpointId);
  const vnet = vnetById(state, pe ? vnetIdOfSubnet(pe.subnetId) : state.vmVnetId);
  const peSubnet = vnet?.subnets.find((s) => s.name === 'snet-private-endpoints') ?? vnet?.subnets[0];
  if (!peSubnet) throw new Error(`target ${target.name} has no endpoint subnet to take an address from`);
  const base = peSubnet.addressPrefix.split('/')[0]!;
  const ip = addressAt(base, 30000 + ((target.index * 4 + slot) % 2500));
  if (!state.deadAddresses.includes(ip)) state.deadAddresses.push(ip);
  return ip;
}

/** Gives the target's workspace a capacity of its own (so a fleet fault touches one target only). */
function ownCapacity(state: LabState, target: LabTarget, sku: string, displayName: string) {
  const ws = workspaceOf(state, target);
  const rnd = new Random(`${state.seed}:capacity:${target.index}:${sku}`);
  const capacity = { id: rnd.guid(), displayName, sku, region: state.region, state: 'Active' as const };
  state.capacities.push(capacity);
  ws.capacityId = capacity.id;
  return state.capacities[state.capacities.length - 1]!;
}

function removeRecord(state: LabState, name: string): void {
  for (const zone of state.zones) zone.aRecords = zone.aRecords.filter((r) => r.name !== name);
}

function findRecord(state: LabState, name: string) {
  for (const zone of state.zones) {
    const record = recordNamed(zone, name);
    if (record) return record;
  }
  return undefined;
}

export const FAULTS: Record<string, FaultDefinition> = {
  'capacity-unassigned': {
    scope: 'target',
    description: 'workspace on no capacity',
    apply(state, target) {
      const ws = workspaceOf(state, target);
      delete ws.capacityId;
    },
  },
  'capacity-trial': {
    scope: 'target',
    description: 'trial capacity (FT1)',
    apply(state, target) {
      ownCapacity(state, target, 'FT1', `Trial-${target.index}`);
    },
  },
  'capacity-paused': {
    scope: 'target',
    description: 'F capacity paused (Inactive)',
    apply(state, target) {
      ownCapacity(state, target, 'F8', `fabric-paused-${target.index}`).state = 'Inactive';
    },
  },
  'tenant-setting-off': {
    scope: 'global',
    description: 'inbound rules tenant setting disabled',
    apply(state) {
      for (const setting of state.tenantSettings) if (setting.settingName === 'WorkspaceBlockInboundAccess') setting.enabled = false;
    },
  },
  'pls-missing': {
    scope: 'target',
    description: "private link service deleted; the endpoint's connection turns Disconnected",
    apply(state, target) {
      state.privateLinkServices = state.privateLinkServices.filter((pls) => !sameId(pls.id, target.privateLinkServiceId));
      const pe = endpointById(state, target.privateEndpointId);
      if (pe) pe.connection.state = { status: 'Disconnected', description: 'The private link service was deleted', actionsRequired: 'Recreate' };
    },
  },
  'pls-wrong-workspace': {
    scope: 'target',
    description: 'service created for another workspace',
    apply(state, target) {
      const pls = plsById(state, target.privateLinkServiceId);
      if (!pls) throw new Error(`the private link service of target ${target.name} is already gone`);
      const other = new Random(`${state.seed}:other-workspace:${target.index}`).guid();
      state.workspaces.push({
        ...workspaceOf(state, target),
        id: other,
        displayName: `${workspaceOf(state, target).displayName} (old copy)`,
        policyEtag: other,
      });
      pls.workspaceId = other;
    },
  },
  'connection-pending': {
    scope: 'target',
    description: 'tenant 2 has not approved; no traffic flows',
    apply(state, target) {
      setConnectionState(state, target, 'Pending', 'Awaiting approval');
    },
  },
  'connection-rejected': {
    scope: 'target',
    description: 'tenant 2 rejected',
    apply(state, target) {
      setConnectionState(state, target, 'Rejected', 'Rejected by the workspace admin');
    },
  },
  'pe-missing': {
    scope: 'target',
    description: 'endpoint deleted; its records left behind',
    apply(state, target) {
      state.endpoints = state.endpoints.filter((pe) => !sameId(pe.id, target.privateEndpointId));
      // The service drops the connection of a deleted endpoint; the zone's records stay.
      for (const pls of state.privateLinkServices) pls.connections = pls.connections.filter((c) => !sameId(c.privateEndpointId, target.privateEndpointId));
    },
  },
  'pe-wrong-subresource': {
    scope: 'target',
    description: 'endpoint created with another group id',
    apply(state, target) {
      endpointOf(state, target).connection.groupIds = ['tenant'];
    },
  },
  'pe-other-vnet': {
    scope: 'target',
    description: 'endpoint in a VNet the VM is not in and not peered with',
    apply(state, target) {
      const pe = endpointOf(state, target);
      const isolated = state.vnets.find((v) => !sameId(v.id, state.vmVnetId) && !state.vnets.some((o) => o.peerings.some((p) => sameId(p.remoteVnetId, v.id))));
      const subnet = isolated?.subnets[0];
      if (!subnet) throw new Error('the lab has no unpeered VNet');
      if (sameId(vnetIdOfSubnet(pe.subnetId), isolated!.id)) return;
      pe.subnetId = subnet.id;
      // The endpoint takes addresses from its new subnet; the records were made to match them.
      const base = subnet.addressPrefix.split('/')[0]!;
      Object.keys(pe.ips).forEach((kind, k) => {
        const ip = addressAt(base, 4 + (target.index - 1) * 5 + k);
        const record = findRecord(state, recordNameFor(pe.fqdns[kind as keyof typeof pe.fqdns]));
        if (record) record.ips = [ip];
        pe.ips[kind as keyof typeof pe.ips] = ip;
      });
    },
  },
  'zone-missing': {
    scope: 'global',
    description: 'zone never created; DNS answers the public IP',
    apply(state) {
      state.zones = [];
    },
  },
  'zone-unlinked': {
    scope: 'global',
    description: 'zone not linked to the resolving VNet; DNS answers the public IP',
    apply(state) {
      const resolving = resolvingVnetIds(state);
      for (const zone of state.zones) zone.links = zone.links.filter((l) => !resolving.some((id) => sameId(id, l.vnetId)));
    },
  },
  'record-missing': {
    scope: 'target',
    description: 'no A record for the API name; DNS answers NXDOMAIN after the CNAME',
    apply(state, target) {
      removeRecord(state, workspaceNames(target.workspaceId).records.api);
    },
  },
  'record-wrong-ip': {
    scope: 'target',
    description: 'API record points to another private IP',
    apply(state, target) {
      const record = findRecord(state, workspaceNames(target.workspaceId).records.api);
      if (!record) throw new Error(`target ${target.name} has no API record to change (record-missing already applied?)`);
      record.ips = [deadAddress(state, target, 0)];
    },
  },
  'record-stale': {
    scope: 'target',
    description: 'an extra record of this workspace left from an old endpoint',
    apply(state, target) {
      const zone = state.zones[0];
      if (!zone) throw new Error('record-stale needs the private DNS zone (it cannot combine with zone-missing)');
      // The workspace's API record name with a suffix: no endpoint member serves it any more.
      zone.aRecords.push({ name: `${workspaceNames(target.workspaceId).records.api}-old`, ips: [deadAddress(state, target, 1)], ttl: 10 });
    },
  },
  'other-endpoints-missing': {
    scope: 'target',
    description: 'only the API record was created (as the setup doc\'s example does)',
    apply(state, target) {
      const names = workspaceNames(target.workspaceId);
      for (const kind of ['compute', 'onelake', 'dfs', 'blob'] as const) removeRecord(state, names.records[kind]);
    },
  },
  'dns-forwarder-public': {
    scope: 'global',
    description: "the VNet's custom DNS does not forward to Azure DNS; answers the public IP",
    apply(state) {
      const vnet = state.vnets.find((v) => sameId(v.id, state.vmVnetId))!;
      vnet.dnsServers = [state.dnsForwarder.ip];
      state.dnsForwarder.forwardsToAzure = false;
    },
  },
  'stale-client-cache': {
    scope: 'target',
    description: "the VM's resolver (hosts file or cache) answers an old private IP",
    apply(state, target) {
      state.clientOverrides[workspaceNames(target.workspaceId).fqdns.api] = [deadAddress(state, target, 2)];
    },
  },
  'tcp-blocked': {
    scope: 'target',
    description: 'an NSG or firewall drops 443',
    apply(state, target) {
      state.dataPath.tcpBlocked.push(target.workspaceId);
    },
  },
  'tls-intercepted': {
    scope: 'target',
    description: 'a proxy presents a certificate from an untrusted CA',
    apply(state, target) {
      state.dataPath.tlsIntercepted.push(target.workspaceId);
    },
  },
  'public-access-allowed': {
    scope: 'target',
    description: 'the communication policy is Allow',
    apply(state, target) {
      workspaceOf(state, target).inboundDefaultAction = 'Allow';
    },
  },
  'provider-forbidden': {
    scope: 'global',
    description: 'the provider credential has no rights in tenant 2 (ARM and Fabric answer 403)',
    apply(state) {
      state.service.providerForbidden = true;
    },
  },
  'credential-wrong-tenant': {
    scope: 'global',
    description: 'the provider app is not registered in the configured tenant (sign-in answers AADSTS700016)',
    apply(state) {
      state.service.providerSignIn = 'wrong-tenant';
    },
  },
  'credential-secret-expired': {
    scope: 'global',
    description: "the provider app's client secret has expired (AADSTS7000222)",
    apply(state) {
      state.service.providerSignIn = 'secret-expired';
    },
  },
  'arm-throttled': {
    scope: 'global',
    description: 'ARM answers 429 with Retry-After: 1 to the first two requests for each resource',
    apply(state) {
      state.service.armThrottled = true;
    },
  },
  'fabric-flaky': {
    scope: 'global',
    description: 'Fabric answers 503 once for each path',
    apply(state) {
      state.service.fabricFlaky = true;
    },
  },
  // ---- Topology faults (docs/checks.md, "Lab topologies"): ARM state only; DNS and the data path follow. ----
  'zone-linked-spoke-only': {
    scope: 'global',
    description: "the zone is linked to the VM's spoke, which never resolves it, not to the hub that does; public answer",
    topologies: ['hub-forwarder', 'hub-resolver', 'hub-firewall-dns'],
    apply(state) {
      for (const zone of state.zones) {
        zone.links = zone.links.filter((l) => !sameId(l.vnetId, state.hubVnetId));
        if (!zone.links.some((l) => sameId(l.vnetId, state.vmVnetId))) {
          zone.links.push({ name: `link-${vnetById(state, state.vmVnetId)!.name}`, vnetId: state.vmVnetId, virtualNetworkLinkState: 'Completed', provisioningState: 'Succeeded', resolutionPolicy: 'Default' });
        }
      }
    },
  },
  'resolver-inbound-failed': {
    scope: 'global',
    description: "the DNS Private Resolver inbound endpoint's provisioning failed; queries to it time out",
    topologies: ['hub-resolver', 'spoke-ruleset'],
    apply(state) {
      for (const resolver of state.resolvers) for (const endpoint of resolver.inboundEndpoints) endpoint.provisioningState = 'Failed';
    },
  },
  'firewall-dns-proxy-off': {
    scope: 'global',
    description: "the firewall policy's DNS proxy is off; queries to the firewall time out",
    topologies: ['hub-firewall-dns'],
    apply(state) {
      for (const policy of state.firewallPolicies) policy.dnsSettings.enableProxy = false;
    },
  },
  'ruleset-rule-disabled': {
    scope: 'global',
    description: "the forwarding rule for fabric.microsoft.com is Disabled; the spoke's Azure DNS answers the public IP",
    topologies: ['spoke-ruleset'],
    apply(state) {
      for (const ruleset of state.rulesets) for (const rule of ruleset.rules) if (rule.domainName === 'fabric.microsoft.com.') rule.state = 'Disabled';
    },
  },
  'hub-peering-disconnected': {
    scope: 'global',
    description: "the peering between the hub and the endpoint's VNet is Disconnected; TCP to the endpoint times out",
    topologies: ['pe-spoke', 'hub-forwarder'],
    apply(state, target) {
      const pe = endpointOf(state, target);
      // The hub's peering on the way to the endpoint: to the endpoint's spoke, or (endpoint in the hub) to the VM's spoke.
      const peVnet = vnetIdOfSubnet(pe.subnetId);
      const other = sameId(peVnet, state.hubVnetId) ? state.vmVnetId : peVnet;
      for (const [from, to] of [[state.hubVnetId, other], [other, state.hubVnetId]] as const) {
        for (const peering of vnetById(state, from)?.peerings ?? []) if (sameId(peering.remoteVnetId, to)) peering.peeringState = 'Disconnected';
      }
    },
  },
  'dns-truncated': {
    scope: 'global',
    description: 'the resolver sets TC on every UDP answer',
    apply(state) {
      state.service.dnsTruncated = true;
    },
  },
};

export const FAULT_NAMES = Object.keys(FAULTS);

export class FaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultError';
  }
}

/** Parses `NAME` or `NAME@K`; throws FaultError naming the known faults for an unknown one, and the topologies a topology fault takes. */
export function parseFault(text: string, targetCount: number, topology: TopologyName = 'flat'): FaultSpec {
  const match = /^([a-z0-9-]+)(?:@(\d+))?$/.exec(text.trim());
  const name = match?.[1];
  if (!match || !name || !FAULTS[name]) {
    throw new FaultError(
      `unknown fault ${JSON.stringify(text)}. Known faults (NAME, or NAME@K for target K in a fleet):\n` +
        FAULT_NAMES.map((n) => `  ${n.padEnd(24)} ${FAULTS[n]!.description}${FAULTS[n]!.topologies ? ` (--topology ${FAULTS[n]!.topologies!.join(', ')})` : ''}`).join('\n'),
    );
  }
  const topologies = FAULTS[name]!.topologies;
  if (topologies && !topologies.includes(topology)) {
    throw new FaultError(`fault ${JSON.stringify(text)} does not exist in the ${topology} topology; it takes --topology ${topologies.join(', ')}`);
  }
  if (match[2] === undefined) return { name };
  const target = Number(match[2]);
  if (FAULTS[name]!.scope === 'global') throw new FaultError(`fault ${JSON.stringify(text)}: ${name} applies to the whole lab (the shared zone, the tenant or the service), not to one target; drop "@${match[2]}"`);
  if (target < 1 || target > targetCount) throw new FaultError(`fault ${JSON.stringify(text)}: target ${target} does not exist (the lab has ${targetCount} target${targetCount === 1 ? '' : 's'}, numbered from 1)`);
  return { name, target };
}

/** Returns a new state with the fault applied (the input is not changed). */
export function applyFault(state: LabState, spec: FaultSpec | string): LabState {
  const parsed = typeof spec === 'string' ? parseFault(spec, state.targets.length, state.topology) : spec;
  const definition = FAULTS[parsed.name];
  if (!definition) throw new FaultError(`unknown fault ${JSON.stringify(parsed.name)}; known: ${FAULT_NAMES.join(', ')}`);
  const next = structuredClone(state);
  const target = next.targets[(parsed.target ?? 1) - 1];
  if (!target) throw new FaultError(`fault ${parsed.name}@${parsed.target}: no such target`);
  definition.apply(next, target);
  return next;
}

export function applyFaults(state: LabState, specs: Array<FaultSpec | string>): LabState {
  return specs.reduce<LabState>((current, spec) => applyFault(current, spec), state);
}

// The fact registry: every gatherer the engine may call, and the fact map (FactTypes) derived from
// it. A new fact is one line here: its id and value type then reach every check through the map.
import type { FactDef, FactTypesOf } from '../engine/define.js';
import { directResolveFact, dnsServersFact, systemResolveFact } from './dns/index.js';
import { dnsZoneFact, zoneLinksFact, zoneRecordsFact } from './arm/dnsZone.js';
import { dnsZoneGroupsFact, endpointIpsFact, privateEndpointFact } from './arm/privateEndpoint.js';
import { privateLinkServiceFact } from './arm/privateLinkService.js';
import { vnetFact, vnetIdFact } from './arm/vnet.js';
import { vmFact } from './arm/vm.js';
import { dnsPathFact } from './arm/dnsPath.js';
import { reachFact } from './arm/reach.js';
import { ipOwnersFact } from './arm/ipOwners.js';
import { capacitiesFact, communicationPolicyFact, tenantSettingsFact, workspaceFact } from './fabric/rest.js';
import { consumerSignInFact, providerSignInFact } from './identity/signIn.js';
import { apiAddressFact, httpsFact, publicProbeFact, tcp443Fact, tlsFact } from './net/facts.js';

const BUILT_IN_FACTS = [
  providerSignInFact,
  consumerSignInFact,
  privateEndpointFact,
  dnsZoneGroupsFact,
  endpointIpsFact,
  vnetIdFact,
  vnetFact,
  vmFact,
  dnsPathFact,
  reachFact,
  ipOwnersFact,
  dnsZoneFact,
  zoneRecordsFact,
  zoneLinksFact,
  privateLinkServiceFact,
  workspaceFact,
  capacitiesFact,
  communicationPolicyFact,
  tenantSettingsFact,
  dnsServersFact,
  systemResolveFact,
  directResolveFact,
  apiAddressFact,
  tcp443Fact,
  tlsFact,
  httpsFact,
  publicProbeFact,
] as const;

/** The built-in facts, as the engine and the catalogue hold them. */
export const ALL_FACTS: FactDef[] = [...BUILT_IN_FACTS];

/** The built-in facts' map: id → the type its gatherer returns. */
export type BuiltInFactTypes = FactTypesOf<typeof BUILT_IN_FACTS>;

declare module '../engine/types.js' {
  // The engine's map is this registry's: checks read `facts.value('consumer.privateEndpoint')` as
  // the type privateEndpointFact's gatherer returns.
  interface FactTypes extends BuiltInFactTypes {}
}

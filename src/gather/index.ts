// The fact registry: every gatherer the engine may call. A new fact is one line here.
import type { FactDef } from '../engine/define.js';
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

export const ALL_FACTS: FactDef[] = [
  providerSignInFact as FactDef,
  consumerSignInFact as FactDef,
  privateEndpointFact as FactDef,
  dnsZoneGroupsFact as FactDef,
  endpointIpsFact as FactDef,
  vnetIdFact as FactDef,
  vnetFact as FactDef,
  vmFact as FactDef,
  dnsPathFact as FactDef,
  reachFact as FactDef,
  ipOwnersFact as FactDef,
  dnsZoneFact as FactDef,
  zoneRecordsFact as FactDef,
  zoneLinksFact as FactDef,
  privateLinkServiceFact as FactDef,
  workspaceFact as FactDef,
  capacitiesFact as FactDef,
  communicationPolicyFact as FactDef,
  tenantSettingsFact as FactDef,
  dnsServersFact as FactDef,
  systemResolveFact as FactDef,
  directResolveFact as FactDef,
  apiAddressFact,
  tcp443Fact,
  tlsFact,
  httpsFact,
  publicProbeFact,
];

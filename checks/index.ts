// The check catalogue, in report order. A new check is one file and one line here.
import type { CheckDef } from '../src/engine/define.js';
import consumerCredential from './consumer/credential.js';
import localDnsAllEndpoints from './local/dns-all-endpoints.js';
import localDnsConsistent from './local/dns-consistent.js';
import localDnsEndpointIp from './local/dns-endpoint-ip.js';
import localDnsPrivate from './local/dns-private.js';
import consumerDnsPath from './consumer/dns-path.js';
import consumerPeApproved from './consumer/pe-approved.js';
import consumerPeFound from './consumer/pe-found.js';
import consumerPeInVnet from './consumer/pe-in-vnet.js';
import consumerPeTarget from './consumer/pe-target.js';
import consumerZoneFound from './consumer/zone-found.js';
import consumerZoneLinked from './consumer/zone-linked.js';
import consumerZoneRecords from './consumer/zone-records.js';
import providerCapacityAssigned from './provider/capacity-assigned.js';
import providerCapacitySku from './provider/capacity-sku.js';
import providerCredential from './provider/credential.js';
import providerConnectionApproved from './provider/connection-approved.js';
import providerPlsFound from './provider/pls-found.js';
import providerPlsWorkspaceMatch from './provider/pls-workspace-match.js';
import providerPublicAccessDenied from './provider/public-access-denied.js';
import providerTenantSetting from './provider/tenant-setting.js';
import providerWorkspaceFound from './provider/workspace-found.js';
import localApiReachable from './local/api-reachable.js';
import localTcp443 from './local/tcp-443.js';
import localTls from './local/tls.js';
import publicAccessDeniedProbe from './public/access-denied-probe.js';

export const CATALOGUE: CheckDef[] = [
  providerCredential,
  providerWorkspaceFound,
  providerCapacityAssigned,
  providerCapacitySku,
  providerTenantSetting,
  providerPlsFound,
  providerPlsWorkspaceMatch,
  providerConnectionApproved,
  providerPublicAccessDenied,
  consumerCredential,
  consumerPeFound,
  consumerPeTarget,
  consumerPeApproved,
  consumerPeInVnet,
  consumerDnsPath,
  consumerZoneFound,
  consumerZoneLinked,
  consumerZoneRecords,
  localDnsPrivate,
  localDnsEndpointIp,
  localDnsConsistent,
  localDnsAllEndpoints,
  localTcp443,
  localTls,
  localApiReachable,
  publicAccessDeniedProbe,
];

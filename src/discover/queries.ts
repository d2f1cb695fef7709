// The Azure Resource Graph queries `discover` sends (KQL). Each projects `id`, as Resource Graph
// paging requires; types are compared with =~ (Resource Graph stores them lower-case). The lab's
// Resource Graph recognises exactly these texts (docs/estate.md documents them).

/** Tenant 1: private endpoints with a connection (manual or automatic) to a Fabric private link service. */
export const ENDPOINTS_QUERY = [
  'resources',
  "| where type =~ 'microsoft.network/privateendpoints'",
  '| mv-expand conn = array_concat(coalesce(properties.manualPrivateLinkServiceConnections, dynamic([])), coalesce(properties.privateLinkServiceConnections, dynamic([])))',
  '| extend plsId = tostring(conn.properties.privateLinkServiceId)',
  "| where plsId has '/providers/Microsoft.Fabric/privateLinkServicesForFabric/'",
  '| project id, subscriptionId, plsId, subnetId = tostring(properties.subnet.id), customDnsConfigs = properties.customDnsConfigs',
  '| order by id asc',
].join('\n');

/** Tenant 2: Fabric private link services, their workspace and the endpoints connected to them. */
export const SERVICES_QUERY = [
  'resources',
  "| where type =~ 'microsoft.fabric/privatelinkservicesforfabric'",
  '| project id, subscriptionId, workspaceId = tolower(tostring(coalesce(properties.workspaceId, properties.workspaceObjectId))), tenantId = tostring(properties.tenantId), connections = properties.privateEndpointConnections',
  '| order by id asc',
].join('\n');

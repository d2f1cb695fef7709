// The jump VM's instance metadata service (IMDS): `GET /metadata/instance?api-version=…` with the
// header `Metadata: true`, answered in the shape of the official example
// (test/fixtures/reference/imds/GetInstanceMetadata.json) with the lab's jump VM, so
// `compute.resourceId` names it. Plain HTTP on loopback; the config maps 169.254.169.254:80 here.
import http from 'node:http';
import { jumpVmNic, type LabState, sameId, vnetById, vnetIdOfSubnet } from './state.js';

/** The api-versions of the official IMDS specs (Azure/azure-rest-api-specs specification/imds). */
export const IMDS_API_VERSIONS = [
  '2017-03-01', '2017-04-02', '2017-08-01', '2017-10-01', '2017-12-01', '2018-02-01', '2018-04-02', '2018-10-01',
  '2019-02-01', '2019-03-11', '2019-04-30', '2019-06-01', '2019-06-04', '2019-08-01', '2019-08-15', '2019-11-01',
  '2020-06-01', '2020-07-15', '2020-09-01', '2020-10-01', '2020-12-01', '2021-01-01', '2021-02-01', '2021-03-01',
  '2021-05-01', '2021-10-01', '2021-11-01', '2021-11-15', '2021-12-13', '2023-07-01',
] as const;

export interface ImdsAnswer {
  status: number;
  body: unknown;
}

/** The instance document of the jump VM. */
export function instanceMetadata(state: LabState): unknown {
  const vm = state.vms.find((v) => sameId(v.id, state.jumpVmId))!;
  const nic = jumpVmNic(state);
  const subnet = nic && vnetById(state, vnetIdOfSubnet(nic.subnetId))?.subnets.find((s) => sameId(s.id, nic.subnetId));
  const [address, prefix] = (subnet?.addressPrefix ?? '').split('/');
  return {
    compute: {
      azEnvironment: 'AZUREPUBLICCLOUD',
      location: state.location,
      name: vm.name,
      offer: 'WindowsServer',
      osProfile: { adminUsername: 'azureadmin', computerName: vm.name, disablePasswordAuthentication: 'false' },
      osType: 'Windows',
      provider: 'Microsoft.Compute',
      publisher: 'MicrosoftWindowsServer',
      resourceGroupName: vm.resourceGroup,
      resourceId: vm.id,
      sku: '2022-datacenter-azure-edition',
      subscriptionId: vm.subscriptionId,
      tags: '',
      tagsList: [],
      version: 'latest',
      vmId: vm.vmGuid,
      vmSize: 'Standard_B2s',
      zone: '',
    },
    network: {
      interface: nic
        ? [{ ipv4: { ipAddress: [{ privateIpAddress: nic.ip, publicIpAddress: '' }], subnet: [{ address, prefix }] }, ipv6: { ipAddress: [] }, macAddress: '000D3A000001' }]
        : [],
    },
  };
}

/** Answers one IMDS request as the real service does: GET only, `Metadata: true`, a known api-version, no proxy header. */
export function imdsRequest(state: LabState, method: string, url: URL, headers: http.IncomingHttpHeaders): ImdsAnswer {
  if (method !== 'GET') return { status: 405, body: { error: 'Method not allowed' } };
  if (headers['x-forwarded-for']) return { status: 400, body: { error: 'Bad request. Requests through a proxy are not accepted' } };
  if (String(headers.metadata ?? '').toLowerCase() !== 'true') return { status: 400, body: { error: 'Bad request. Required metadata header not specified' } };
  const version = url.searchParams.get('api-version');
  if (!version || !(IMDS_API_VERSIONS as readonly string[]).includes(version)) {
    return { status: 400, body: { error: `Bad request. api-version ${version ? 'is invalid' : 'was not specified in the request'}. For more information refer to aka.ms/azureimds`, 'newest-versions': IMDS_API_VERSIONS.slice(-3).reverse() } };
  }
  if (url.pathname.replace(/\/$/, '') !== '/metadata/instance') return { status: 404, body: { error: 'Not found' } };
  return { status: 200, body: instanceMetadata(state) };
}

/** The HTTP server for the lab (not listening yet); `onRequest` logs each request. */
export function serveInstanceMetadata(state: LabState, onRequest: (entry: { method: string; path: string; status: number }) => void): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://169.254.169.254');
    const method = (req.method ?? 'GET').toUpperCase();
    const answer = imdsRequest(state, method, url, req.headers);
    const body = JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    onRequest({ method, path: url.pathname, status: answer.status });
    req.resume();
  });
}

// The check catalogue, in report order. A new check is one file and one line here.
import type { CheckDef } from '../src/engine/define.js';
import localDnsAllEndpoints from './local/dns-all-endpoints.js';
import localDnsConsistent from './local/dns-consistent.js';
import localDnsEndpointIp from './local/dns-endpoint-ip.js';
import localDnsPrivate from './local/dns-private.js';

export const CATALOGUE: CheckDef[] = [
  localDnsPrivate,
  localDnsEndpointIp,
  localDnsConsistent,
  localDnsAllEndpoints,
];

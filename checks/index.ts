// The check catalogue, in report order. A new check is one file and one line here.
import type { CheckDef } from '../src/engine/define.js';
import localApiReachable from './local/api-reachable.js';
import localTcp443 from './local/tcp-443.js';
import localTls from './local/tls.js';
import publicAccessDeniedProbe from './public/access-denied-probe.js';

export const CATALOGUE: CheckDef[] = [
  localTcp443,
  localTls,
  localApiReachable,
  publicAccessDeniedProbe,
];

// The fact registry: every gatherer the engine may call. A new fact is one line here.
import type { FactDef } from '../engine/define.js';
import { directResolveFact, dnsServersFact, systemResolveFact } from './dns/index.js';

export const ALL_FACTS: FactDef[] = [
  dnsServersFact as FactDef,
  systemResolveFact as FactDef,
  directResolveFact as FactDef,
];

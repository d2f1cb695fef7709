// The fact registry: every gatherer the engine may call. A new fact is one line here.
import type { FactDef } from '../engine/define.js';
import { apiAddressFact, httpsFact, publicProbeFact, tcp443Fact, tlsFact } from './net/facts.js';

export const ALL_FACTS: FactDef[] = [
  apiAddressFact,
  tcp443Fact,
  tlsFact,
  httpsFact,
  publicProbeFact,
];

// The fact registry: every gatherer the engine may call. A new fact is one line here.
import type { FactDef } from '../engine/define.js';

export const ALL_FACTS: FactDef[] = [
];

// The check catalogue, in report order. A new check is one file and one line here.
import type { CheckDef } from '../src/engine/define.js';

export const CATALOGUE: CheckDef[] = [
];

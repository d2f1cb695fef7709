// The single executable's entry (bundled by scripts/release.mjs). The executable is the pinned Node
// itself, so there is no Node gate; the arguments start after the executable's own path.
import { readSystemStoreAhead } from '../net/system-store.js';
import { main } from './main.js';

const args = process.argv.slice(2);
// As the launcher does (bin/launch.js): a run's system trust store is read while the rest starts.
if (args[0] === 'run') void readSystemStoreAhead();
void main(args);

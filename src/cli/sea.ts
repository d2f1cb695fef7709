// The single executable's entry (bundled by scripts/release.mjs). The executable is the pinned Node
// itself, so there is no Node gate; the arguments start after the executable's own path.
import { main } from './main.js';

void main(process.argv.slice(2));

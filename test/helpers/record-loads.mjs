// Preloaded into a CLI child (`--import`): records every module file it loads, for the start-up tests.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.XTD_LOADED_FILE, loaded.join('\n')));

// The launcher's second half, loaded by bin/xtenant-doctor.cjs once the Node gate has passed (which
// answers `--version` itself). A plain `fqdn <id>`, `checks`,
// `validate-config <file>` or `run` is answered by a small module (src/cli/fast.ts); everything else loads the bundled
// CLI (dist/bundle, built by `npm run build`) with Node's compile cache on, so later starts skip parsing. `--debug` also turns on source maps,
// so stack traces point into src/.
import module from 'node:module';

export async function launch(args) {
  module.enableCompileCache?.();
  // A run's first connection needs the system trust store: read on another thread while the rest
  // loads (src/net/system-store.ts). Only a head start: without it the main thread reads the store.
  if (args[0] === 'run') import('../dist/bundle/system-store.js').then(({ readSystemStoreAhead }) => readSystemStoreAhead(), () => {});
  if (args.includes('--debug')) process.setSourceMapsEnabled(true);
  // `fqdn <id>`, `checks`, `validate-config <file>` and `run` need no yargs: answered by a small
  // module when the call is the plain form (fast.js is 1 KB; what it shares with the full CLI sits
  // in chunks both load).
  const light = await (await import('../dist/bundle/fast.js')).fastPath(args);
  if (!light) {
    const { main } = await import('../dist/bundle/cli.js');
    await main(args);
  }
}

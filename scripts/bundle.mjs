// Bundles the CLI with esbuild into dist/bundle/ (run by `npm run build`, after tsc): one module for
// the command line and the light commands, a chunk per heavy part loaded on demand (the Azure SDKs,
// the report writers, the lab), `fast.js`, the launcher's fast path for `fqdn`, `checks` and `validate-config`,
// and `system-store.js`, which the launcher starts for `run` before the rest loads (src/net/system-store.ts). Node then reads a few files instead of ~900 modules, which is
// most of the start-up time of `--version`, `fqdn` or `checks`. Source maps sit beside each file:
// `--debug` turns them on for stack traces; a debugger picks them up by itself.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

/**
 * `node:http` reached through require(), not as an ES module: Node builds an ES module's view of a
 * built-in by reading every export, and node:http's WebSocket, CloseEvent and MessageEvent getters
 * then load Node's internal undici (10-20 ms before a run's first request) for nothing. A CommonJS
 * module of one line stands in for it; esbuild's interop reads an export only when it is used.
 */
const httpViaRequire = {
  name: 'http-via-require',
  setup(b) {
    b.onResolve({ filter: /^(node:)?http$/ }, (args) => (args.namespace === 'http-via-require' ? { path: 'node:http', external: true } : { path: 'http', namespace: 'http-via-require' }));
    b.onLoad({ filter: /.*/, namespace: 'http-via-require' }, () => ({ contents: "module.exports = require('node:http');", loader: 'js' }));
  },
};

/**
 * jsonwebtoken (the identity library's, for certificate credentials) asks semver at load whether
 * this Node is at least 8, 15.7 or 16.9: semver's ranges and ~40 regular expressions cost ~20 ms
 * before a run's first request. The CLI runs on Node 22.19 or later (bin/xtenant-doctor.cjs refuses
 * older ones), so the three answers are `true`, and semver is not bundled at all.
 */
const nodeFeatureChecks = {
  name: 'node-feature-checks',
  setup(b) {
    b.onLoad({ filter: /[\\/]jsonwebtoken[\\/]lib[\\/](psSupported|asymmetricKeyDetailsSupported|rsaPssKeyDetailsSupported)\.js$/ }, () => ({ contents: 'module.exports = true;', loader: 'js' }));
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', fast: 'src/cli/fast.ts', 'system-store': 'src/net/system-store.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Prefer a package's ES module build: jsonc-parser's `main` is UMD with requires esbuild cannot follow.
  mainFields: ['module', 'main'],
  sourcemap: 'linked',
  // Whitespace and syntax only: names stay, so a stack trace reads without the maps too.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcesContent: true,
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __xtdCreateRequire } from 'node:module'; const require = __xtdCreateRequire(import.meta.url);" },
  legalComments: 'linked',
  logLevel: 'warning',
  // Node's global FormData is a getter that loads Node's internal undici (10-20 ms) on first
  // touch, and @azure/core-rest-pipeline touches it on every request (`typeof FormData`, to convert
  // multipart bodies) before the run's first one is sent. The tool never sends a FormData body: in
  // the bundled code the bare global reads as undefined (a module's own FormData, e.g. undici's, is
  // its own binding and stays; plugins are not bundled).
  define: { FormData: 'undefined' },
  plugins: [httpViaRequire, nodeFeatureChecks],
});

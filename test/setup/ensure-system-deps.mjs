#!/usr/bin/env node
// Installs the Debian packages the test suite needs when they are missing, and says so.
// Tests never skip silently for a missing tool: if this cannot install one, it fails loudly.
import { execFileSync, spawnSync } from 'node:child_process';

const NEEDED = [
  { binary: 'named', pkg: 'bind9', why: 'DNS integration tests run a real BIND server' },
  { binary: 'xmllint', pkg: 'libxml2-utils', why: 'JUnit reports are validated against both XSDs' },
  { binary: 'chromium', pkg: 'chromium', why: 'the HTML report is opened in headless Chromium' },
];

const has = (binary) => spawnSync('sh', ['-c', `command -v ${binary} || test -x /usr/sbin/${binary}`], { stdio: 'ignore' }).status === 0;
const missing = NEEDED.filter((n) => !has(n.binary));

if (missing.length === 0) {
  process.exit(0);
}
for (const m of missing) console.log(`test set-up: ${m.binary} is missing (${m.why}); installing Debian package ${m.pkg}`);
if (process.platform !== 'linux' || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
  console.error(`test set-up: cannot install ${missing.map((m) => m.pkg).join(', ')} here (no apt-get): install them and run the tests again`);
  process.exit(1);
}
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? [] : ['sudo'];
const run = (args) => {
  console.log(`test set-up: ${[...asRoot, ...args].join(' ')}`);
  execFileSync(asRoot[0] ?? args[0], asRoot.length ? args : args.slice(1), {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
};
try {
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing.map((m) => m.pkg)]);
} catch (error) {
  console.error(`test set-up: installing ${missing.map((m) => m.pkg).join(', ')} failed: ${error.message}`);
  process.exit(1);
}
const still = missing.filter((m) => !has(m.binary));
if (still.length) {
  console.error(`test set-up: still missing after install: ${still.map((m) => m.binary).join(', ')}`);
  process.exit(1);
}
console.log('test set-up: done');

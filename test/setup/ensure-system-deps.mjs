#!/usr/bin/env node
// Makes sure the Debian tools the tests drive are present: BIND's `named` (DNS integration tests),
// `xmllint` (JUnit schema validation) and `chromium` (HTML report tests). Installs what is missing
// with apt-get, says what it installs, and fails loudly when it cannot: tests never skip silently.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** binary → Debian package, and where the binary may live outside PATH (named is in /usr/sbin). */
const TOOLS = [
  { bin: 'named', pkg: 'bind9', paths: ['/usr/sbin/named'] },
  { bin: 'xmllint', pkg: 'libxml2-utils', paths: ['/usr/bin/xmllint'] },
  { bin: 'chromium', pkg: 'chromium', paths: ['/usr/bin/chromium'] },
];

function found(tool) {
  if (tool.paths.some((p) => existsSync(p))) return true;
  return spawnSync('sh', ['-c', `command -v ${tool.bin}`], { stdio: 'ignore' }).status === 0;
}

const missing = TOOLS.filter((tool) => !found(tool));
if (missing.length === 0) {
  console.log(`system deps: ${TOOLS.map((t) => t.bin).join(', ')} present`);
  process.exit(0);
}

const pkgs = missing.map((t) => t.pkg);
console.log(`system deps: missing ${missing.map((t) => t.bin).join(', ')}; installing Debian packages: ${pkgs.join(' ')}`);
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const sudo = asRoot ? [] : ['sudo', '-n'];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  const run = (args) => execFileSync(args[0], args.slice(1), { stdio: 'inherit', env });
  // Another process (a parallel test run, unattended upgrades) may hold the dpkg lock: wait for it.
  const wait = ['-o', 'DPkg::Lock::Timeout=900'];
  run([...sudo, 'apt-get', ...wait, 'update']);
  run([...sudo, 'apt-get', ...wait, 'install', '-y', '--no-install-recommends', ...pkgs]);
} catch (error) {
  console.error(`system deps: could not install ${pkgs.join(' ')} (${error.message}).`);
  console.error(`Install them by hand: apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}`);
  process.exit(1);
}
const still = missing.filter((tool) => !found(tool));
if (still.length) {
  console.error(`system deps: still missing after install: ${still.map((t) => t.bin).join(', ')}`);
  process.exit(1);
}
console.log(`system deps: installed ${pkgs.join(' ')}`);

#!/usr/bin/env node
// Makes sure the Debian tools the tests drive are present: xmllint (JUnit validation), named
// (the real DNS server of the integration tests) and chromium (the HTML report's browser tests).
// Installs what is missing with apt-get; fails loudly when it cannot, so no test skips silently.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS = [
  { binary: 'xmllint', pkg: 'libxml2-utils' },
  { binary: 'named', pkg: 'bind9', extraPaths: ['/usr/sbin/named'] },
  { binary: 'chromium', pkg: 'chromium', extraPaths: ['/usr/bin/chromium'] },
];

function has({ binary, extraPaths = [] }) {
  if (extraPaths.some((p) => existsSync(p))) return true;
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args) {
  console.log(`[ensure-system-deps] ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.error || result.status !== 0) {
    console.error(`[ensure-system-deps] FAILED: ${cmd} ${args.join(' ')} (${result.error?.message ?? `exit ${result.status}`})`);
    console.error('[ensure-system-deps] install these Debian packages by hand and run the tests again.');
    process.exit(1);
  }
}

const missing = TOOLS.filter((tool) => !has(tool));
if (missing.length === 0) {
  console.log('[ensure-system-deps] xmllint, named and chromium are present');
} else {
  const pkgs = missing.map((t) => t.pkg);
  console.log(`[ensure-system-deps] missing ${missing.map((t) => t.binary).join(', ')}: installing ${pkgs.join(' ')}`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const apt = (args) => (asRoot ? run('apt-get', args) : run(prefix[0], [...prefix.slice(1), 'apt-get', ...args]));
  // Another process (a parallel test run, unattended upgrades) may hold the dpkg lock: wait for it.
  const wait = ['-o', 'DPkg::Lock::Timeout=900'];
  apt([...wait, 'update']);
  apt([...wait, 'install', '-y', '--no-install-recommends', ...pkgs]);
  const still = TOOLS.filter((tool) => !has(tool));
  if (still.length) {
    console.error(`[ensure-system-deps] still missing after install: ${still.map((t) => t.binary).join(', ')}`);
    process.exit(1);
  }
  console.log(`[ensure-system-deps] installed ${pkgs.join(' ')}`);
}

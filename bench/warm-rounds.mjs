// `npm run bench`'s `warm` scenario, in its own child process: the CLI's own `run` (the bundle's
// main, the code a user's `xtenant-doctor run` runs) several times in one process against the same
// lab config, printing the process's CPU for each round. The first round pays what a process pays
// once (module loading, the trust store, V8 compiling and optimising the code it runs); the later
// ones show what the targets themselves cost.
// Usage: node bench/warm-rounds.mjs <config> <out dir> <rounds>
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [config, out, rounds] = process.argv.slice(2);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const { main } = await import(path.join(ROOT, 'dist/bundle/cli.js'));
let before = 0;
for (let i = 0; i < Number(rounds); i++) {
  await main(['run', '-c', config, '--quiet', '--format', 'json', '--out', path.join(out, `round-${i}`), '--no-exit-code']);
  const now = cpuMs();
  process.stdout.write(`XTD_BENCH_ROUND ${JSON.stringify({ round: i, cpuMs: now - before })}\n`);
  before = now;
}

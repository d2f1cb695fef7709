#!/usr/bin/env node
// Tiny launcher. `--version` is answered here without loading the CLI; everything else loads the
// built CLI lazily, with Node's compile cache on so later starts skip parsing.
import module from 'node:module';
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  module.enableCompileCache?.();
  const { main } = await import('../dist/src/cli/main.js');
  await main(args);
}

#!/usr/bin/env node
// Tiny launcher, CommonJS: Node runs it without starting its ES module loader, so `--version` costs
// what `node -e 0` costs (the loader's start is ~5 ms more). First the Node gate: the CLI and its
// dependencies need Node 22.19 or later (undici 8's floor, `engines` in package.json), and an older
// Node would fail later with an obscure internal error. So this file is plain old JavaScript (no
// `?.`, no import statement) that any Node parses, and the rest (bin/launch.js, an ES module) is
// imported only after the check.
'use strict';
var FLOOR = [22, 19];
var running = process.versions.node.split('.').map(Number);
var args = process.argv.slice(2);
if (running[0] < FLOOR[0] || (running[0] === FLOOR[0] && running[1] < FLOOR[1])) {
  process.stderr.write(
    'xtenant-doctor needs Node.js ' + FLOOR.join('.') + ' or later; this is ' + process.versions.node +
      '. Use the single executable, or install Node ' + FLOOR[0] + '+\n',
  );
  process.exitCode = 2;
} else if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  var path = require('path');
  process.stdout.write(JSON.parse(require('fs').readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version + '\n');
} else {
  import('./launch.js').then(function (launcher) {
    return launcher.launch(args);
  });
}

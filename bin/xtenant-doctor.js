#!/usr/bin/env node
// Tiny launcher. First the Node gate: the CLI and its dependencies need Node 22.19 or later
// (undici 8's floor, `engines` in package.json), and an older Node would fail later with an
// obscure internal error. So this file is plain old JavaScript (no top-level await, no `?.`, no
// static import) that any Node able to load an ES module parses, and the rest (bin/launch.js) is
// imported only after the check.
var FLOOR = [22, 19];
var running = process.versions.node.split('.').map(Number);
if (running[0] < FLOOR[0] || (running[0] === FLOOR[0] && running[1] < FLOOR[1])) {
  process.stderr.write(
    'xtenant-doctor needs Node.js ' + FLOOR.join('.') + ' or later; this is ' + process.versions.node +
      '. Use the single executable, or install Node ' + FLOOR[0] + '+\n',
  );
  process.exitCode = 2;
} else {
  import('./launch.js').then(function (launcher) {
    return launcher.launch(process.argv.slice(2));
  });
}

#!/usr/bin/env node
// Tiny launcher: the CLI itself is loaded lazily so `--version` stays cheap.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2)));

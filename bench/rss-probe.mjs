// Preloaded into the doctor's process by the bench (`node --import`): reports the peak RSS at exit.
process.on('exit', () => {
  process.stderr.write(`XTD_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});

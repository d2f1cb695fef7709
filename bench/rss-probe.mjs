// Preloaded into the doctor's process by the bench (`node --import`): reports the peak RSS and the
// CPU time (user + system, this process only) at exit.
process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`XTD_BENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\nXTD_BENCH_CPU_US=${cpu.user + cpu.system}\n`);
});

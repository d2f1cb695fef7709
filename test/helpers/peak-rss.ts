// Loaded into a CLI child with `--import`: at exit, writes the process's peak resident set size (in
// KiB, process.resourceUsage().maxRSS) to $XTD_PEAK_RSS_FILE, so a test can bound a child's memory
// (never its time: that is the bench's).
import { writeFileSync } from 'node:fs';

const file = process.env.XTD_PEAK_RSS_FILE;
if (!file) throw new Error('peak-rss: set XTD_PEAK_RSS_FILE');

process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));

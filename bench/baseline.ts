// The cheapest pass over the archive's bytes, in Node, streaming: gunzip (when gzip), split into
// messages at mbox "From " lines, count the lines that start with `diff --git`. Run as a child
// process by bench/main.ts so its peak RSS is its own; prints its figures as one JSON line.
import { lineBatches, openBytes } from './bytes.ts';

export interface BaselineCounts {
  messages: number;
  diffs: number;
  bytes: number;
}

const FROM_LINE = /^From \S+ +\w{3},? +\w{3} +\d/;

/** Counts messages and `diff --git` lines of an mbox (gzip or plain), reading it as a stream. */
export async function baselinePass(path: string): Promise<BaselineCounts> {
  const counts: BaselineCounts = { messages: 0, diffs: 0, bytes: 0 };
  const line = (s: string): void => {
    if (s.startsWith('From ') && FROM_LINE.test(s)) counts.messages++;
    else if (s.startsWith('diff --git')) counts.diffs++;
  };
  for await (const batch of lineBatches(await openBytes(path))) {
    for (const l of batch) {
      counts.bytes += l.length + 1;
      line(l);
    }
  }
  return counts;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  const path = process.argv[2];
  if (!path) throw new Error('usage: baseline.ts FILE');
  const counts = await baselinePass(path);
  process.stdout.write(`${JSON.stringify({ ...counts, peakRssKb: process.resourceUsage().maxRSS, cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000 })}\n`);
}

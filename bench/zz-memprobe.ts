import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { archiveMessages } from '/work/main/test/helpers/imap.ts';
import { settingsFor, startWatch, tempDir, testStages } from '/work/main/test/bot/watch/helpers.ts';
const w = tempDir('deptbot-probe-');
const md = join(w.dir, 'md');
for (const s of ['new','cur','tmp']) mkdirSync(join(md, s), { recursive: true });
const msgs = await archiveMessages(5000);
msgs.forEach((m, i) => writeFileSync(join(md, 'new', `${1e9 + i}.M${i}.p`), m));
msgs.length = 0;
global.gc?.();
const before = process.memoryUsage();
for (const n of [1, 2]) {
  const run = startWatch(settingsFor(w.dir, [{ type: 'maildir', path: md, create: false }], { once: true, statePath: join(w.dir, `s${n}.sqlite`) }), testStages());
  await run.done;
  global.gc?.();
  const m = process.memoryUsage();
  console.log(`run ${n}: rss ${(m.rss/1048576).toFixed(0)} MB heapUsed ${(m.heapUsed/1048576).toFixed(0)} MB (before rss ${(before.rss/1048576).toFixed(0)} heap ${(before.heapUsed/1048576).toFixed(0)}) reviews ${run.collected.reviews.length}`);
  run.collected.reviews.length = 0;
}
w.cleanup();

#!/usr/bin/env -S node --max-old-space-size=256 --v8-pool-size=0
// The heap cap keeps a whole-archive review under 400 MB RSS: without it V8 grows the main heap
// lazily to ~450 MB for ~12% less CPU (see README, Performance). V8's pool of background threads
// (JIT compiles, concurrent GC) is sized by the cores (0 = cores - 1, at least 1) instead of
// Node's fixed 4: on two cores, four of them crowd out the main thread and the review worker (8%
// more wall time on a whole-archive review).
// Runs the TypeScript sources (bundled on first use, see launch.js), so the bin never goes stale.
import { loadEntry } from './launch.js';

const { main } = await loadEntry('deptbot');
process.exitCode = await main(process.argv.slice(2));

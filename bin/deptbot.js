#!/usr/bin/env -S node --max-old-space-size=256
// The heap cap keeps a whole-archive review under 400 MB RSS: without it V8 grows the main heap
// lazily to ~450 MB for ~12% less CPU (see README, Performance).
// Runs the TypeScript sources (bundled on first use, see launch.js), so the bin never goes stale.
import { loadEntry } from './launch.js';

const { main } = await loadEntry('deptbot');
process.exitCode = await main(process.argv.slice(2));

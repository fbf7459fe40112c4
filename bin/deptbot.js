#!/usr/bin/env -S node --max-old-space-size=256
// The heap cap keeps a whole-archive review under 400 MB RSS: without it V8 grows the main heap
// lazily to ~450 MB for ~12% less CPU (see README, Performance).
// Runs the TypeScript sources directly through tsx, so the bin never goes stale against a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bot/cli.ts');
process.exitCode = await main(process.argv.slice(2));

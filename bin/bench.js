#!/usr/bin/env node
// `npm run bench`: runs bench/main.ts through tsx, like bin/deptbot.js runs the bot.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../bench/main.ts');
process.exitCode = await main(process.argv.slice(2));

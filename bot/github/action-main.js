#!/usr/bin/env node
/* global process */
// Entry of the node20 GitHub Action (action.yml): runs the TypeScript sources through tsx like
// bin/deptbot.js, reviews the current PR and hands the SARIF path to the next step.
import { appendFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const { actionRun } = await import('./action.ts');
const { main } = await import('../cli.ts');
const { EXIT_FINDINGS } = await import('../errors.ts');

const run = actionRun(process.env);
Object.assign(process.env, run.env);
const code = await main(run.argv);
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `sarif-file=${run.sarifFile}\n`);
process.exitCode = code === EXIT_FINDINGS && !run.failOnFindings ? 0 : code;

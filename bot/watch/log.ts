// Structured logs (pino, JSON lines) on stderr, written synchronously so nothing is lost on exit.
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { LogLevel } from './log-levels.ts';

export type { Logger } from 'pino';

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino({ name: 'deptbot', level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

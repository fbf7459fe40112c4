// Entry of a review worker thread: workers do not inherit the main thread's tsx hooks.
import { register } from 'tsx/esm/api';

register();
await import('../bot/review-worker.ts');

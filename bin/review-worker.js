// Entry of a review worker thread: workers do not inherit the main thread's module loading, so the
// worker finds (or builds) the bundle of the current sources itself.
import { loadEntry } from './launch.js';

await loadEntry('review-worker');

// Types of launch.js, for the tests.
export declare function loadEntry(name: 'deptbot' | 'review-worker'): Promise<Record<string, unknown>>;
export declare function bundledEntry(name: 'deptbot' | 'review-worker'): Promise<string>;

// Types of bundle-layout.js, for the tests.
export declare const ROOT: string;
export declare const ENTRIES: Readonly<Record<'deptbot' | 'review-worker', string>>;
export declare function distDir(root: string): string;
export declare function bundleDir(root: string, fingerprint: string): string;
export declare function entryFile(dir: string, name: string): string;
export declare const SOURCE_DIRS: readonly string[];
export declare const BUILD_FILES: readonly string[];

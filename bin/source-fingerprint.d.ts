// Types of source-fingerprint.js, for the tests.
export declare function sourceFiles(root: string): string[];
export declare function fingerprint(root: string, files: readonly string[]): string;

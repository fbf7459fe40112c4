// Types of build-bundle.js, for the tests.
export declare function buildBundle(root: string, dir: string, files: readonly string[]): Promise<void>;

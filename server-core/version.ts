/** Replaced at build time by esbuild's `define` with the package version. */
declare const LDS_VERSION: string | undefined;

export const VERSION: string = typeof LDS_VERSION === 'string' ? LDS_VERSION : '0.0.0-dev';

/** The `Server` response header. */
export const SERVER_NAME = `LiveDevServer/${VERSION}`;

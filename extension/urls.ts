import { isIP } from 'node:net';
import * as path from 'node:path';

/**
 * The URL of `filePath` on a server serving `rootPath` at `baseUrl`, or undefined when the file is outside the
 * served folder. `index.html` files map to their folder's URL. Each path segment is percent-encoded.
 */
export function urlForFile(baseUrl: string, rootPath: string, filePath: string, pathApi: path.PlatformPath = path): string | undefined {
	const relative = pathApi.relative(rootPath, filePath);
	if (relative === '..' || relative.startsWith(`..${pathApi.sep}`) || pathApi.isAbsolute(relative)) return undefined;
	const segments = relative === '' ? [] : relative.split(pathApi.sep);
	if (segments.length > 0 && /^index\.html?$/i.test(segments[segments.length - 1]!)) segments[segments.length - 1] = '';
	return new URL(segments.map(encodeURIComponent).join('/'), baseUrl).href;
}

/**
 * The host name the server must accept for a forwarded URL (`env.asExternalUri` in Codespaces, code-server...),
 * or undefined when the external URL still points at the machine (the same host, an IP literal, localhost).
 */
export function forwardedHostToAllow(localUrl: string, externalUrl: string): string | undefined {
	const local = new URL(localUrl).hostname.toLowerCase();
	const external = new URL(externalUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (external === local || external === '' || isIP(external) !== 0) return undefined;
	if (external === 'localhost' || external.endsWith('.localhost')) return undefined;
	return external;
}

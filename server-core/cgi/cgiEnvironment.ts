import type { IncomingHttpHeaders } from 'node:http';

export interface CgiRequestInfo {
	method: string;
	/** Request target as sent (`/cgi-bin/a.py/x?y=1`), for REQUEST_URI. */
	requestUri: string;
	/** Decoded URL path of the script (`/cgi-bin/a.py`). */
	scriptName: string;
	/** Decoded rest of the path after the script (`/x`), or empty. */
	pathInfo: string;
	/** Query string without the `?`, still encoded. */
	queryString: string;
	headers: IncomingHttpHeaders;
	/** Length of a body held to be counted (sent chunked, without Content-Length); otherwise Content-Length is used. */
	bodyLength?: number | undefined;
	remoteAddress: string;
	remotePort: number | undefined;
	serverName: string;
	serverPort: number;
	httpVersion: string;
	https: boolean;
	/** Absolute path of the script file. */
	scriptFilename: string;
	/** Absolute path of the served folder. */
	documentRoot: string;
	/** PATH_INFO mapped into the served folder (only when PATH_INFO is not empty). */
	pathTranslated: string | undefined;
	serverSoftware: string;
}

/** What scripts get from the server's own environment: enough to find interpreters and behave like a shell would. */
const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'SystemRoot', 'WINDIR', 'COMSPEC', 'PATHEXT'];

/**
 * The meta-variables of RFC 3875 §4.1, plus the ones PHP and most scripts expect (SCRIPT_FILENAME, DOCUMENT_ROOT,
 * REQUEST_URI, REDIRECT_STATUS for php-cgi's force-redirect check, HTTPS). Request headers become HTTP_* except:
 * `Proxy` (httpoxy: HTTP_PROXY would redirect the script's own outgoing requests), names with `_` (they would be
 * indistinguishable from their `-` twins) and the two already given as CONTENT_TYPE and CONTENT_LENGTH. Pure.
 */
export function buildCgiEnvironment(info: CgiRequestInfo, serverEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
	const env: Record<string, string> = {};
	for (const name of PASSED_THROUGH) {
		const value = serverEnv[name];
		if (value !== undefined) env[name] = value;
	}
	Object.assign(env, {
		GATEWAY_INTERFACE: 'CGI/1.1',
		SERVER_SOFTWARE: info.serverSoftware,
		SERVER_NAME: info.serverName,
		SERVER_PORT: String(info.serverPort),
		SERVER_PROTOCOL: `HTTP/${info.httpVersion}`,
		REQUEST_METHOD: info.method,
		REQUEST_URI: info.requestUri,
		REQUEST_SCHEME: info.https ? 'https' : 'http',
		SCRIPT_NAME: info.scriptName,
		SCRIPT_FILENAME: info.scriptFilename,
		PATH_INFO: info.pathInfo,
		QUERY_STRING: info.queryString,
		DOCUMENT_ROOT: info.documentRoot,
		REMOTE_ADDR: info.remoteAddress,
		REMOTE_HOST: info.remoteAddress,
		REDIRECT_STATUS: '200',
	});
	if (info.remotePort !== undefined) env.REMOTE_PORT = String(info.remotePort);
	if (info.pathTranslated !== undefined) env.PATH_TRANSLATED = info.pathTranslated;
	if (info.https) env.HTTPS = 'on';
	const { headers } = info;
	if (headers['content-type'] !== undefined) env.CONTENT_TYPE = headers['content-type'];
	if (info.bodyLength !== undefined) env.CONTENT_LENGTH = String(info.bodyLength);
	else if (headers['content-length'] !== undefined) env.CONTENT_LENGTH = headers['content-length'];
	const authorization = headers.authorization;
	if (authorization !== undefined) env.AUTH_TYPE = authorization.split(' ')[0] ?? '';
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || name === 'proxy' || name.includes('_') || name === 'content-type' || name === 'content-length') continue;
		env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = Array.isArray(value) ? value.join(', ') : value;
	}
	return env;
}

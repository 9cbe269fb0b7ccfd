import { isUnderPrefix } from '../http/exchangeView';
import { LIVE_PREFIX } from '../reload/liveProtocol';
import { SettingsError } from './settingsError';

/** Characters a browser sends as they are: a prefix made of them matches the raw request path exactly. */
const PLAIN_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/;

/**
 * Validates a URL path prefix (proxy, mount, CGI folder) and drops trailing slashes: `/api/` -> `/api`.
 * Only plain characters are allowed (no percent-encoding, no `.`/`..` segments), and `/__live` is reserved.
 */
export function normalizePrefix(value: string, setting: string, { allowRoot = true } = {}): string {
	const text = String(value ?? '').trim();
	if (!PLAIN_PATH.test(text) || text.split('/').some((segment) => segment === '..' || segment === '.')) {
		throw new SettingsError(setting, `Invalid URL path prefix "${text}": expected an absolute path like /api, made of letters, digits and - . _ ~ / (no "." or ".." segments).`);
	}
	const prefix = text.replace(/\/+$/, '') || '/';
	if (prefix === '/' && !allowRoot) throw new SettingsError(setting, 'The prefix must not be "/" (it would cover the whole site).');
	const live = LIVE_PREFIX.slice(0, -1);
	if (prefix !== '/' && (isUnderPrefix(live, prefix) || isUnderPrefix(prefix, live))) {
		throw new SettingsError(setting, `The prefix ${prefix} overlaps ${LIVE_PREFIX}, which is reserved for live reload.`);
	}
	return prefix;
}

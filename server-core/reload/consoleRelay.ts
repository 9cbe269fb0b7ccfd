import { stripControlCharacters } from '../features/controlCharacters';
import type { BrowserConsoleMessage } from '../protocol/browserConsole';

const LEVELS = new Set<BrowserConsoleMessage['level']>(['log', 'info', 'warn', 'error']);
/** Longest text kept from one message (the client caps too; this is the server's own guard). */
export const MAX_CONSOLE_TEXT = 8 * 1024;
const MAX_URL = 2048;

/** Validates a `console` message from a page; anything else (or anything malformed) is undefined. Pure. */
export function parseConsoleMessage(message: unknown, now = Date.now()): BrowserConsoleMessage | undefined {
	if (typeof message !== 'object' || message === null) return undefined;
	const { type, level, text, url } = message as Record<string, unknown>;
	if (type !== 'console' || typeof level !== 'string' || !LEVELS.has(level as BrowserConsoleMessage['level'])) return undefined;
	if (typeof text !== 'string' || typeof url !== 'string') return undefined;
	const clean = stripControlCharacters(text);
	return {
		time: now,
		level: level as BrowserConsoleMessage['level'],
		text: clean.length > MAX_CONSOLE_TEXT ? `${clean.slice(0, MAX_CONSOLE_TEXT)}… (truncated)` : clean,
		url: stripControlCharacters(url.slice(0, MAX_URL), false),
	};
}

/**
 * A token bucket per page connection: `burst` messages at once, refilled at `perSecond`. The client limits itself
 * the same way; this keeps a misbehaving page (or a hand-written client) from flooding the output panel.
 */
export class ConsoleRateLimit {
	private _tokens: number;
	private _last: number;
	private _dropped = 0;

	constructor(private readonly _burst = 100, private readonly _perSecond = 50, now = Date.now()) {
		this._tokens = _burst;
		this._last = now;
	}

	/** True when the message may pass. */
	take(now = Date.now()): boolean {
		this._tokens = Math.min(this._burst, this._tokens + ((now - this._last) / 1000) * this._perSecond);
		this._last = now;
		if (this._tokens < 1) {
			this._dropped++;
			return false;
		}
		this._tokens -= 1;
		return true;
	}

	/** Messages dropped since the last call (for a "… N dropped" notice). */
	takeDropped(): number {
		const dropped = this._dropped;
		this._dropped = 0;
		return dropped;
	}
}

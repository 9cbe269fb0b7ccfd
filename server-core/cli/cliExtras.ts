import type { Extras } from '../features/extras';
import type { BrowserConsoleMessage } from '../protocol/browserConsole';
import type { ServerSettings } from '../protocol/settings';
import { formatLogTime } from './accessLog';

/** Start-up lines for the configured extras (nothing when none is on). */
export function printExtras(extras: Extras, settings: ServerSettings, write: (line: string) => void): void {
	const { tls } = extras;
	if (tls) {
		const expires = tls.validTo.toISOString().slice(0, 10);
		const kind = tls.origin === 'user' ? 'certificate' : tls.origin === 'generated' ? 'new self-signed certificate' : 'self-signed certificate';
		write(`HTTPS: ${kind} ${tls.certFile} (valid until ${expires})${tls.origin === 'user' ? '' : '; browsers will warn until you trust it'}\n`);
		for (const warning of tls.warnings) write(`Warning: ${warning}\n`);
	}
	for (const route of extras.proxies) write(`Proxy: ${route.prefix === '/' ? '/' : `${route.prefix}/*`} -> ${route.label}\n`);
	for (const mount of extras.mounts) write(`Mount: ${mount.prefix}/ -> ${mount.dir}\n`);
	if (extras.cgi) write(`CGI: scripts in ${extras.cgi.dirs.join(', ')} run (timeout ${extras.cgi.timeoutMs} ms)\n`);
	if (settings.spa) write(`SPA fallback: unknown pages get /${settings.spa.replace(/^\/+/, '')}\n`);
	if (settings.cors && settings.cors.length > 0) write(`CORS: ${settings.cors.join(', ')}\n`);
	if (settings.console) write(settings.reload ? 'Browser console: relayed here\n' : 'Browser console: not relayed (it needs live reload, which is off)\n');
}

const LEVEL_COLORS: Record<BrowserConsoleMessage['level'], string> = { log: '', info: '\x1b[36m', warn: '\x1b[33m', error: '\x1b[31m' };

/** `[22/Nov/2026 10:00:00] [browser] error http://127.0.0.1:5500/app.html: Uncaught TypeError: …` */
export function printConsoleMessage(message: BrowserConsoleMessage, color: boolean): string {
	const level = color && LEVEL_COLORS[message.level] ? `${LEVEL_COLORS[message.level]}${message.level}\x1b[0m` : message.level;
	const text = message.text.replace(/\n/g, '\n    ');
	return `[${formatLogTime(message.time)}] [browser] ${level} ${message.url}: ${text}\n`;
}

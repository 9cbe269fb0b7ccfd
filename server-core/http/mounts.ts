import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSource } from '../documents/fileSource';
import { SettingsError } from '../features/settingsError';
import { normalizePrefix } from '../features/urlPrefix';
import type { MountRule } from '../protocol/settings';
import { isUnderPrefix, viewExchange } from './exchangeView';
import { STATIC_ALLOW, type RequestStage } from './pipeline';
import { sendErrorPage } from './sendBody';
import { StaticFiles } from './staticFiles';

export interface Mount {
	/** URL prefix without a trailing slash, e.g. `/node_modules`. */
	readonly prefix: string;
	/** Absolute folder served there. */
	readonly dir: string;
	readonly files: StaticFiles;
}

/**
 * One StaticFiles per mount, each with its own root, so the dotfile, traversal and symlink rules (and the caches)
 * apply inside the mounted folder exactly as in the served one. Folders must exist when the session starts.
 */
export async function createMounts(rules: readonly MountRule[], root: string, source: FileSource, dotfilesAllow: readonly string[]): Promise<Mount[]> {
	const mounts: Mount[] = [];
	for (const [index, rule] of rules.entries()) {
		if (typeof rule !== 'object' || rule === null || typeof rule.path !== 'string' || typeof rule.dir !== 'string') {
			throw new SettingsError(`mounts[${index}]`, `Each mount needs a "path" and a "dir", like { "path": "/node_modules", "dir": "./node_modules" }; got ${JSON.stringify(rule)}.`);
		}
		const prefix = normalizePrefix(rule.path, `mounts[${index}].path`, { allowRoot: false });
		if (mounts.some((mount) => mount.prefix === prefix)) throw new SettingsError(`mounts[${index}].path`, `The path ${prefix} is mounted twice.`);
		if (String(rule.dir ?? '').trim() === '') throw new SettingsError(`mounts[${index}].dir`, `No folder given for the mount ${prefix}.`);
		const dir = path.resolve(root, rule.dir);
		let stat: fs.Stats;
		try {
			stat = fs.statSync(dir);
		} catch {
			throw new SettingsError(`mounts[${index}].dir`, `The folder ${dir} to serve under ${prefix} does not exist.`);
		}
		if (!stat.isDirectory()) throw new SettingsError(`mounts[${index}].dir`, `${dir} (to serve under ${prefix}) is not a folder.`);
		// Changes in mounted folders are not reported, so their listings are never cached (file bodies revalidate by stat).
		const files = await StaticFiles.create({ root: dir, source, dotfilesAllow, listingsCacheable: false, urlPrefix: prefix });
		mounts.push({ prefix, dir, files });
	}
	return mounts.sort((a, b) => b.prefix.length - a.prefix.length);
}

/** Serves mounted folders; the longest matching prefix wins, and mounts win over files of the served folder. */
export function createMountStage(mounts: readonly Mount[]): RequestStage {
	return (exchange) => {
		const mount = mounts.find((candidate) => isUnderPrefix(exchange.pathname, candidate.prefix));
		if (mount === undefined) return false;
		exchange.source = 'static';
		const method = exchange.req.method;
		if (method === 'OPTIONS') {
			exchange.res.writeHead(204, { Allow: STATIC_ALLOW });
			exchange.res.end();
			return true;
		}
		if (method !== 'GET' && method !== 'HEAD') {
			sendErrorPage(exchange, { code: 405, message: `Method ${method} is not allowed for static files` }, { Allow: STATIC_ALLOW });
			return true;
		}
		if (exchange.pathname === mount.prefix) {
			exchange.res.writeHead(301, { Location: `${mount.prefix}/${exchange.search}`, 'Cache-Control': 'no-cache', 'Content-Length': 0 });
			exchange.res.end();
			return true;
		}
		const pending = mount.files.handle(viewExchange(exchange, exchange.pathname.slice(mount.prefix.length)));
		return pending === undefined ? true : pending.then(() => true);
	};
}

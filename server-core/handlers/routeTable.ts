import * as fs from 'node:fs';
import * as path from 'node:path';
import { toFileInfo } from '../documents/fileSource';
import { discoverRoutes, type Discovery } from './discovery';

/** A folder changed in the last RACY_MS may change again within one mtime tick: rescan until it settles. */
const RACY_MS = 2000;
/** Scanning stops here (a handlers folder is small; this bounds a mistake such as a build output folder in it). */
export const MAX_FILES = 5000;

/**
 * The routes of one handlers folder, rescanned only when a folder under it changed (a file was added, removed or
 * renamed): checking costs one `statSync` per folder, so it runs on every handler request and needs no watcher.
 */
export class RouteTable {
	private _discovery: Discovery = { routes: [], shadowed: [] };
	private _folders = new Map<string, string>();
	private _scanned = false;
	private _truncated = false;

	constructor(private readonly _dir: string, private readonly _prefix: string) {}

	get discovery(): Discovery {
		if (!this._scanned || this._isStale()) this._scan();
		return this._discovery;
	}

	/** True when the last scan stopped at MAX_FILES files: routes beyond them are missing. */
	get truncated(): boolean {
		return this._truncated;
	}

	/** Forces a rescan on next use (a watcher reported a create or delete). */
	invalidate(): void {
		this._scanned = false;
	}

	private _isStale(): boolean {
		const now = Date.now();
		for (const [folder, tag] of this._folders) {
			const stats = fs.statSync(folder, { throwIfNoEntry: false });
			if (stats === undefined ? tag !== '' : tag !== toFileInfo(stats).versionTag || now - stats.mtimeMs < RACY_MS) return true;
		}
		return false;
	}

	private _scan(): void {
		const files: string[] = [];
		this._folders = new Map();
		this._truncated = false;
		const walk = (folder: string, relative: string) => {
			let entries: fs.Dirent[];
			try {
				const stats = fs.statSync(folder);
				entries = fs.readdirSync(folder, { withFileTypes: true });
				this._folders.set(folder, toFileInfo(stats).versionTag);
			} catch {
				this._folders.set(folder, '');
				return;
			}
			for (const entry of entries) {
				if (files.length >= MAX_FILES) {
					this._truncated = true;
					return;
				}
				if (entry.name.startsWith('.') || entry.name === 'node_modules' || (entry.isDirectory() && entry.name.startsWith('_'))) continue;
				const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
				if (entry.isDirectory()) walk(path.join(folder, entry.name), child);
				else if (entry.isFile()) files.push(child);
			}
		};
		walk(this._dir, '');
		this._discovery = discoverRoutes(files, this._prefix);
		this._scanned = true;
	}
}

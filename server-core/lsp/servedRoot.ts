import * as fs from 'node:fs';
import * as path from 'node:path';
import { SettingsError } from '../features/settingsError';
import { isPathInside } from '../http/resolvePath';

/**
 * The folder to serve for a workspace folder and its `liveDevServer.root` setting: relative to the folder, or
 * absolute, and either way inside it, symbolic links followed ("/" or ".." would serve the whole disk and
 * watch it). Throws a SettingsError naming `root` when that is not so or when it is not a folder.
 */
export function resolveServedRoot(folder: string, rootSetting: string): string {
	const root = path.resolve(folder, rootSetting);
	const outside = () => new SettingsError('root', `"${rootSetting}" is outside the workspace folder ${folder}; it must name a folder inside it (such as "public"), or be empty.`);
	if (!isPathInside(folder, root)) throw outside();
	let stats: fs.Stats | undefined;
	try {
		stats = fs.statSync(root);
	} catch {
		stats = undefined;
	}
	if (stats?.isDirectory() !== true) {
		const message = `${root} is not a folder`;
		throw rootSetting === '' ? new Error(`${message}.`) : new SettingsError('root', `${message}.`);
	}
	if (!isPathInside(realpath(folder), realpath(root))) throw outside();
	return root;
}

function realpath(folder: string): string {
	try {
		return fs.realpathSync(folder);
	} catch {
		return folder;
	}
}

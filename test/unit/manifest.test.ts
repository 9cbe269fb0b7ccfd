// package.json as VS Code reads it: when the extension activates, and which files its menus offer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/tempWorkspace';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('package.json', () => {
	it('activates for workspaces with .html or .htm pages, and for HTML editors', () => {
		for (const event of ['workspaceContains:**/*.html', 'workspaceContains:**/*.htm', 'onLanguage:html']) {
			assert.ok(manifest.activationEvents.includes(event), event);
		}
	});

	it('offers "Open with Live Dev Server" on .html, .htm and .xhtml files only', () => {
		const menus = manifest.contributes.menus as Record<string, { command: string; when: string }[]>;
		for (const place of ['explorer/context', 'editor/context', 'editor/title/context']) {
			const entry = menus[place]!.find((item) => item.command === 'liveDevServer.openWith')!;
			const pattern = /resourceExtname =~ \/(.+)\/(\w*)$/.exec(entry.when)!;
			const extname = new RegExp(pattern[1]!, pattern[2]);
			for (const ok of ['.html', '.htm', '.xhtml', '.HTML']) assert.ok(extname.test(ok), `${place} ${ok}`);
			for (const no of ['.css', '.md', '.htmlx']) assert.ok(!extname.test(no), `${place} ${no}`);
		}
	});
});

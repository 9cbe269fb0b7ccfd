import assert from 'node:assert/strict';
import type * as Esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadEsbuild, RouteCompiler } from '../../server-core/handlers/compile';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';

let workspace: TempWorkspace;
before(() => (workspace = createTempWorkspace()));
after(() => workspace.remove());

/** The real esbuild, with `duringBuild` run after esbuild has read the files and before the build returns: a save mid-build. */
function esbuildWithSaveDuringBuild(duringBuild: () => void): () => Promise<typeof Esbuild> {
	return async () => {
		const esbuild = await loadEsbuild();
		return {
			...esbuild,
			context: (async (options: Esbuild.BuildOptions) => {
				const context = await esbuild.context(options);
				let first = true;
				return {
					...context,
					rebuild: async () => {
						const output = await context.rebuild();
						if (first) duringBuild();
						first = false;
						return output;
					},
					dispose: () => context.dispose(),
				};
			}) as typeof esbuild.context,
		};
	};
}

/** Files written long ago (as far as the racy-mtime checks are concerned). */
function age(...files: string[]): void {
	const past = new Date(Date.now() - 60_000);
	for (const file of files) fs.utimesSync(file, past, past);
}

describe('RouteCompiler', () => {
	for (const edited of ['entry', 'helper'] as const) {
		it(`never counts its first build as current when the ${edited} was saved while it ran`, async () => {
			const folder = `first-build-${edited}`;
			const entry = workspace.write(`${folder}/route.ts`, 'import { v } from "./_helper";\nexport const GET = () => "entry 1 " + v;');
			const helper = workspace.write(`${folder}/_helper.ts`, 'export const v = "helper 1";');
			age(entry, helper);
			const save = () => {
				if (edited === 'entry') workspace.write(`${folder}/route.ts`, 'import { v } from "./_helper";\nexport const GET = () => "entry 2 " + v;');
				else workspace.write(`${folder}/_helper.ts`, 'export const v = "helper 2";');
			};
			const compiler = new RouteCompiler(entry, workspace.root, path.join(workspace.root, `${folder}-out`), 'r', esbuildWithSaveDuringBuild(save));
			try {
				const first = await compiler.ensureFresh();
				assert.ok(first.result.ok && first.rebuilt);
				const next = await compiler.ensureFresh();
				assert.equal(next.rebuilt, true, 'the save during the first build makes it stale');
				assert.ok(next.result.ok);
				const code = fs.readFileSync(new URL(next.result.moduleUrl), 'utf8');
				assert.match(code, edited === 'entry' ? /entry 2/ : /helper 2/);
			} finally {
				compiler.dispose();
			}
		});
	}

	it('counts a build as current when nothing changed since', async () => {
		const entry = workspace.write('quiet/route.ts', 'export const GET = () => "quiet";');
		age(entry);
		const compiler = new RouteCompiler(entry, workspace.root, path.join(workspace.root, 'quiet-out'), 'q');
		try {
			assert.equal((await compiler.ensureFresh()).rebuilt, true);
			assert.equal((await compiler.ensureFresh()).rebuilt, false);
		} finally {
			compiler.dispose();
		}
	});
});

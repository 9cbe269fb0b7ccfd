import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTempWorkspace, REPO_ROOT, type TempWorkspace } from '../helpers/tempWorkspace';

const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TYPES = path.join(REPO_ROOT, 'types', 'live-dev-server.d.ts');

const HANDLER = `import type { Handler, HandlerContext } from 'live-dev-server';
export function GET(request: Request, { params, env }: HandlerContext<{ id: string }>) {
	return { id: params.id, url: request.url, root: env.root };
}
export const POST: Handler = async (request) => new Response(await request.text(), { status: 201 });
`;

let project: TempWorkspace;
before(() => (project = createTempWorkspace()));
after(() => project.remove());

function typecheck(folder: string, tsconfig: object): { status: number | null; output: string } {
	project.write(`${folder}/tsconfig.json`, JSON.stringify(tsconfig));
	const result = spawnSync(process.execPath, [TSC, '-p', path.join(project.root, folder)], { encoding: 'utf8' });
	return { status: result.status, output: result.stdout + result.stderr };
}

const COMPILER_OPTIONS = { strict: true, noEmit: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], types: [] };

describe('the handler types, as the README says to use them (copy types/live-dev-server.d.ts)', () => {
	it('type-check a handler when the copied file is included by tsconfig.json', () => {
		fs.copyFileSync(TYPES, project.write('included/types/live-dev-server.d.ts', ''));
		project.write('included/api/users/[id].ts', HANDLER);
		const result = typecheck('included', { compilerOptions: COMPILER_OPTIONS, include: ['**/*.ts'] });
		assert.equal(result.status, 0, result.output);
	});

	it('type-check a handler that references the copied file with a triple-slash path', () => {
		fs.copyFileSync(TYPES, project.write('referenced/api/live-dev-server.d.ts', ''));
		project.write('referenced/api/hello.ts', `/// <reference path="./live-dev-server.d.ts" />\n${HANDLER}`);
		const result = typecheck('referenced', { compilerOptions: COMPILER_OPTIONS, files: ['api/hello.ts'] });
		assert.equal(result.status, 0, result.output);
	});

	it('and catch a wrong use (so the checks above can fail)', () => {
		project.write('referenced/api/wrong.ts', `/// <reference path="./live-dev-server.d.ts" />
import type { HandlerContext } from 'live-dev-server';
export const GET = (_request: Request, { params }: HandlerContext<{ id: string }>) => params.missing.length;
`);
		const result = typecheck('referenced', { compilerOptions: COMPILER_OPTIONS, files: ['api/wrong.ts'] });
		assert.equal(result.status, 2, result.output);
		assert.match(result.output, /Property 'missing' does not exist/);
	});
});

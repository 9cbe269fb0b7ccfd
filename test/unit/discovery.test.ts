import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverRoutes, isRouteFile } from '../../server-core/handlers/discovery';

const patterns = (files: string[], prefix = '/api') => discoverRoutes(files, prefix).routes.map((route) => [route.pattern, route.file]);

describe('discoverRoutes', () => {
	it('maps files to routes under the folder prefix, index to the folder', () => {
		assert.deepEqual(patterns(['time.ts', 'index.ts', 'users/index.mts', 'legacy.js', 'esm.mjs']), [
			['/api/esm', 'esm.mjs'],
			['/api/legacy', 'legacy.js'],
			['/api/time', 'time.ts'],
			['/api/users', 'users/index.mts'],
			['/api', 'index.ts'],
		]);
		assert.deepEqual(patterns(['hello.ts'], '/site/functions'), [['/site/functions/hello', 'hello.ts']]);
	});

	it('turns [name] into a parameter and [...name] into a catch-all', () => {
		const { routes } = discoverRoutes(['users/[id].ts', 'files/[...path].ts', 'users/[id]/posts/[postId].ts'], '/api');
		assert.deepEqual(routes.map((route) => route.pattern), ['/api/files/*path', '/api/users/:id/posts/:postId', '/api/users/:id']);
		assert.deepEqual(routes[2]!.segments, [{ kind: 'static', value: 'api' }, { kind: 'static', value: 'users' }, { kind: 'param', name: 'id' }]);
	});

	it('ranks static segments before parameters before catch-alls', () => {
		assert.deepEqual(patterns(['[...all].ts', 'users/[id].ts', 'users/me.ts', '[section]/list.ts', 'users/[...rest].ts']).map(([pattern]) => pattern), [
			'/api/users/me',
			'/api/users/:id',
			'/api/users/*rest',
			'/api/:section/list',
			'/api/*all',
		]);
	});

	it('ignores helpers, tests, declarations, dotfiles, node_modules and other files', () => {
		const ignored = ['_db.ts', '_lib/util.ts', 'time.test.ts', 'time.spec.mjs', 'types.d.ts', 'types.d.mts', '.secret.ts', 'node_modules/x/index.js', 'data.json', 'readme.md', 'style.css', '.ts'];
		for (const file of ignored) assert.equal(isRouteFile(file), false, file);
		assert.deepEqual(patterns([...ignored, 'ok.ts']), [['/api/ok', 'ok.ts']]);
	});

	it('keeps one file per route and reports the shadowed ones', () => {
		const result = discoverRoutes(['time.js', 'time/index.ts', 'time.ts', 'users/[id].ts', 'users/[slug].ts'], '/api');
		assert.deepEqual(result.routes.map((route) => route.file), ['time.ts', 'users/[id].ts']);
		assert.deepEqual(result.shadowed, [
			{ file: 'time.js', by: 'time.ts' },
			{ file: 'time/index.ts', by: 'time.ts' },
			{ file: 'users/[slug].ts', by: 'users/[id].ts' },
		]);
	});

	it('drops patterns that cannot work: a catch-all before other segments, a repeated parameter name', () => {
		assert.deepEqual(patterns(['[...a]/b.ts', '[id]/[id].ts', 'ok/[id].ts']), [['/api/ok/:id', 'ok/[id].ts']]);
	});
});

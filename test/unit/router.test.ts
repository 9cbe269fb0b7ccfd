import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoverRoutes } from '../../server-core/handlers/discovery';
import { matchRoute, splitPath } from '../../server-core/handlers/router';

const { routes } = discoverRoutes(['time.ts', 'index.ts', 'users/[id].ts', 'users/me.ts', 'files/[...path].ts', 'hello world.ts'], '/api');
const match = (pathname: string) => {
	const found = matchRoute(routes, pathname);
	return found && { file: found.route.file, params: found.params };
};

describe('matchRoute', () => {
	it('matches static routes exactly, with an optional trailing slash', () => {
		assert.deepEqual(match('/api/time'), { file: 'time.ts', params: {} });
		assert.deepEqual(match('/api/time/'), { file: 'time.ts', params: {} });
		assert.deepEqual(match('/api'), { file: 'index.ts', params: {} });
		assert.deepEqual(match('/api/'), { file: 'index.ts', params: {} });
		assert.equal(match('/api/Time'), undefined, 'case-sensitive');
		assert.equal(match('/api/time/x'), undefined);
		assert.equal(match('/apix'), undefined);
		assert.equal(match('/'), undefined);
	});

	it('prefers static segments and decodes parameters exactly once', () => {
		assert.deepEqual(match('/api/users/me'), { file: 'users/me.ts', params: {} });
		assert.deepEqual(match('/api/users/42'), { file: 'users/[id].ts', params: { id: '42' } });
		assert.deepEqual(match('/api/users/J%C3%BCrgen'), { file: 'users/[id].ts', params: { id: 'Jürgen' } });
		assert.deepEqual(match('/api/users/a%2Fb'), { file: 'users/[id].ts', params: { id: 'a/b' } }, '%2F stays data');
		assert.deepEqual(match('/api/users/%2541'), { file: 'users/[id].ts', params: { id: '%41' } }, 'not decoded twice');
		assert.deepEqual(match('/api/hello%20world'), { file: 'hello world.ts', params: {} });
	});

	it('gives a catch-all the rest of the path (at least one segment)', () => {
		assert.deepEqual(match('/api/files/a/b%20c.txt'), { file: 'files/[...path].ts', params: { path: 'a/b c.txt' } });
		assert.equal(match('/api/files'), undefined);
	});

	it('never matches dot segments, empty segments, NUL or broken escapes', () => {
		for (const pathname of ['/api/users/..', '/api/users/%2e%2e', '/api/users/.', '/api/files/a/../../etc', '/api/files/%2E%2E/x', '/api//time', '/api/users/%00', '/api/users/%E0%A4%A', 'api/time', '']) {
			assert.equal(match(pathname), undefined, pathname);
		}
	});
});

describe('splitPath', () => {
	it('splits and decodes', () => {
		assert.deepEqual(splitPath('/'), []);
		assert.deepEqual(splitPath('/a/b%20c/'), ['a', 'b c']);
		assert.equal(splitPath('/a//b'), undefined);
	});
});

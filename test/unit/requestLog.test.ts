import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REDACTED_VALUE, redactHeaders } from '../../server-core/protocol/requestLog';

describe('redactHeaders', () => {
	it('replaces credentials and keeps everything else', () => {
		const logged = redactHeaders({
			Cookie: 'session=secret',
			authorization: 'Bearer secret',
			'Proxy-Authorization': 'Basic secret',
			'set-cookie': ['a=1', 'b=2'],
			'content-length': 42,
			accept: 'text/html',
			missing: undefined,
		});
		assert.deepEqual(logged, {
			cookie: REDACTED_VALUE,
			authorization: REDACTED_VALUE,
			'proxy-authorization': REDACTED_VALUE,
			'set-cookie': REDACTED_VALUE,
			'content-length': '42',
			accept: 'text/html',
		});
		assert.ok(!JSON.stringify(logged).includes('secret'));
	});
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { RequestLogSink } from '../../server-core/lsp/requestLogSink';
import type { RequestLogParams } from '../../server-core/protocol/index';
import type { RequestLogEntry } from '../../server-core/protocol/requestLog';

const entry = (path: string): RequestLogEntry => ({
	time: 0, clientAddress: '127.0.0.1', method: 'GET', path, protocol: 'HTTP/1.1', status: 200, bytes: 0, durationMs: 1,
	source: 'static', requestHeaders: {}, responseHeaders: {},
});

describe('RequestLogSink', () => {
	beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
	afterEach(() => mock.timers.reset());

	it('sends a batch per folder at most 100 ms after its first entry', () => {
		const sent: RequestLogParams[] = [];
		const sink = new RequestLogSink((params) => sent.push(params));
		sink.add('file:///a', entry('/1'));
		mock.timers.tick(60);
		sink.add('file:///a', entry('/2'));
		sink.add('file:///b', entry('/3'));
		mock.timers.tick(39);
		assert.equal(sent.length, 0);
		mock.timers.tick(1);
		assert.deepEqual(sent.map((p) => [p.folderUri, p.entries.map((e) => e.path)]), [['file:///a', ['/1', '/2']], ['file:///b', ['/3']]]);
	});

	it('sends at once when a batch reaches 200 entries', () => {
		const sent: RequestLogParams[] = [];
		const sink = new RequestLogSink((params) => sent.push(params));
		for (let i = 0; i < 450; i++) sink.add('file:///a', entry(`/${i}`));
		assert.deepEqual(sent.map((p) => p.entries.length), [200, 200]);
		mock.timers.tick(100);
		assert.deepEqual(sent.map((p) => p.entries.length), [200, 200, 50]);
		assert.equal(sent.flatMap((p) => p.entries).at(-1)?.path, '/449');
	});

	it('flushes on demand and sends nothing when empty', () => {
		const sent: RequestLogParams[] = [];
		const sink = new RequestLogSink((params) => sent.push(params));
		sink.flush();
		sink.add('file:///a', entry('/x'));
		sink.dispose();
		assert.equal(sent.length, 1);
		mock.timers.tick(1000);
		assert.equal(sent.length, 1);
	});
});

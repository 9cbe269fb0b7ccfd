import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePreconditions, formatEtag, isIfRangeFresh, weakenEtag } from '../../server-core/http/conditional';

const lastModifiedMs = Date.UTC(2026, 10, 22, 10, 0, 0, 500);
const validators = { etag: formatEtag('abc-1'), lastModifiedMs };
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('evaluatePreconditions', () => {
	it('answers 304 for a matching If-None-Match (weak comparison, lists and *)', () => {
		assert.equal(evaluatePreconditions('GET', { 'if-none-match': '"abc-1"' }, validators), 'not-modified');
		assert.equal(evaluatePreconditions('GET', { 'if-none-match': 'W/"abc-1"' }, validators), 'not-modified');
		assert.equal(evaluatePreconditions('HEAD', { 'if-none-match': '"x", "abc-1"' }, validators), 'not-modified');
		assert.equal(evaluatePreconditions('GET', { 'if-none-match': '*' }, validators), 'not-modified');
		assert.equal(evaluatePreconditions('GET', { 'if-none-match': '"other"' }, validators), 'proceed');
	});

	it('uses If-Modified-Since only without If-None-Match, at one-second precision', () => {
		assert.equal(evaluatePreconditions('GET', { 'if-modified-since': httpDate(lastModifiedMs) }, validators), 'not-modified');
		assert.equal(evaluatePreconditions('GET', { 'if-modified-since': httpDate(lastModifiedMs + 60_000) }, validators), 'not-modified');
		assert.equal(evaluatePreconditions('GET', { 'if-modified-since': httpDate(lastModifiedMs - 1000) }, validators), 'proceed');
		assert.equal(evaluatePreconditions('GET', { 'if-none-match': '"changed"', 'if-modified-since': httpDate(lastModifiedMs) }, validators), 'proceed');
		assert.equal(evaluatePreconditions('GET', { 'if-modified-since': 'not a date' }, validators), 'proceed');
	});

	it('ignores date conditions for a representation without a date (listings), keeping the tag ones', () => {
		const undated = { etag: formatEtag('listing'), lastModifiedMs: undefined };
		assert.equal(evaluatePreconditions('GET', { 'if-modified-since': httpDate(Date.now() + 60_000) }, undated), 'proceed');
		assert.equal(evaluatePreconditions('GET', { 'if-unmodified-since': httpDate(0) }, undated), 'proceed');
		assert.equal(evaluatePreconditions('GET', { 'if-none-match': '"listing"' }, undated), 'not-modified');
		assert.equal(isIfRangeFresh(httpDate(0), undated), false);
	});

	it('fails If-Match and If-Unmodified-Since preconditions with 412', () => {
		assert.equal(evaluatePreconditions('GET', { 'if-match': '"nope"' }, validators), 'precondition-failed');
		assert.equal(evaluatePreconditions('GET', { 'if-match': 'W/"abc-1"' }, validators), 'precondition-failed');
		assert.equal(evaluatePreconditions('GET', { 'if-match': '"abc-1"' }, validators), 'proceed');
		assert.equal(evaluatePreconditions('GET', { 'if-unmodified-since': httpDate(lastModifiedMs - 5000) }, validators), 'precondition-failed');
		assert.equal(evaluatePreconditions('PUT', { 'if-none-match': '"abc-1"' }, validators), 'precondition-failed');
	});
});

describe('isIfRangeFresh', () => {
	it('needs a strong ETag match or the exact Last-Modified date', () => {
		assert.equal(isIfRangeFresh(undefined, validators), true);
		assert.equal(isIfRangeFresh('"abc-1"', validators), true);
		assert.equal(isIfRangeFresh('W/"abc-1"', validators), false);
		assert.equal(isIfRangeFresh('"old"', validators), false);
		assert.equal(isIfRangeFresh(httpDate(lastModifiedMs), validators), true);
		assert.equal(isIfRangeFresh(httpDate(lastModifiedMs - 2000), validators), false);
		assert.equal(isIfRangeFresh('garbage', validators), false);
	});
});

describe('weakenEtag', () => {
	it('marks a strong tag weak once', () => {
		assert.equal(weakenEtag('"a"'), 'W/"a"');
		assert.equal(weakenEtag('W/"a"'), 'W/"a"');
	});
});

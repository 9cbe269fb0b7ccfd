import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeExit } from '../../server-core/handlers/workerGeneration';

const OOM_REPORT = '\n<--- Last few GCs --->\n\n[1:0x1]  80 ms: Mark-Compact 33.1 (42.0) -> 33.1 (49.5) MB\n\n<--- JS stacktrace --->\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n----- Native stack trace -----\n';
const base = { code: null, signal: null, spawnError: undefined, crash: undefined, stderr: '', memoryLimitMb: 64, started: true };

describe('describeExit (why a handler worker process ended)', () => {
	it('recognises heap exhaustion from V8\'s report and the abort', () => {
		assert.equal(describeExit({ ...base, signal: 'SIGABRT', stderr: `handler output\n${OOM_REPORT}` }), 'it ran out of memory (limit 64 MB)');
		assert.equal(describeExit({ ...base, code: 134, stderr: OOM_REPORT }), 'it ran out of memory (limit 64 MB)');
	});

	it('does not take a handler that merely prints the words for an out-of-memory death', () => {
		assert.equal(describeExit({ ...base, code: 0, stderr: 'JavaScript heap out of memory' }), 'it exited with code 0');
	});

	it('names crashes, other fatal errors, outside kills and start-up failures', () => {
		assert.equal(describeExit({ ...base, code: 1, crash: { name: 'TypeError', message: 'x is undefined', stack: '' } }), 'it crashed: TypeError: x is undefined');
		assert.equal(describeExit({ ...base, signal: 'SIGABRT', stderr: 'FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal\n----- Native stack trace -----' }), 'it aborted (v8::ToLocalChecked Empty MaybeLocal)');
		assert.match(describeExit({ ...base, signal: 'SIGKILL' }), /killed \(SIGKILL; the system may have run out of memory\)/);
		assert.equal(describeExit({ ...base, signal: 'SIGSEGV' }), 'it was killed by SIGSEGV');
		assert.equal(describeExit({ ...base, code: 1, started: false, stderr: "node:internal/modules/cjs/loader:1210\n  throw err;\n\nError: Cannot find module '/x/handlerWorker.js'\n    at Module._resolveFilename" }), "it exited with code 1 (Error: Cannot find module '/x/handlerWorker.js')");
		assert.equal(describeExit({ ...base, spawnError: new Error('spawn /no/node ENOENT') }), 'it could not be started (spawn /no/node ENOENT)');
	});
});

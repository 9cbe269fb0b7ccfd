import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { request } from '../helpers/httpRequest';
import { startSession, type TestServer } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

// What scripts print: large (streamed past the 1 MiB that is held), and broken in ways Node's writeHead refuses.
let workspace: TempWorkspace;
let server: TestServer;

const BIG = 2_000_000;
/** Re-joining the held output on every chunk made this take minutes (quadratic); dropped, it takes a blink. */
const REDIRECT_BODY = 60_000_000;

function script(name: string, text: string): void {
	fs.chmodSync(workspace.write(name, text), 0o755);
}

before(async () => {
	workspace = createTempWorkspace('site');
	script('cgi-bin/big.sh', `#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\nX-Big: yes\\n\\n'\nhead -c ${BIG} /dev/zero\n`);
	script('cgi-bin/bigctl.sh', `#!/bin/sh\nprintf 'Content-Type: text/plain\\nX-Bad: a\\001b\\n\\n'\nhead -c ${BIG} /dev/zero\n`);
	script('cgi-bin/smallctl.sh', `#!/bin/sh\nprintf 'Content-Type: text/plain\\nSet-Cookie: leaked=1\\nX-Bad: a\\001b\\n\\nsmall'\n`);
	script('cgi-bin/redirect-big.sh', `#!/bin/sh\nprintf 'Location: /notes.txt\\n\\n'\nhead -c ${REDIRECT_BODY} /dev/zero\n`);
	script('cgi-bin/badreason.sh', `#!/bin/sh\nprintf 'Status: 200 O\\033[2JK\\nContent-Type: text/plain\\n\\nbody'\n`);
	script('cgi-bin/bigbadreason.sh', `#!/bin/sh\nprintf 'Status: 200 O\\033K\\nContent-Type: text/plain\\n\\n'\nhead -c ${BIG} /dev/zero\n`);
	server = await startSession(workspace.root, { cgi: { enabled: true, dirs: ['/cgi-bin'], timeoutMs: 20_000, interpreters: {} } });
});

after(async () => {
	await server?.close();
	workspace?.remove();
});

const lastLog = (path: string) => waitFor(() => [...server.logs].reverse().find((entry) => entry.path === path), { what: `a log entry for ${path}` });

describe('CGI output beyond what is held', () => {
	it('streams more than 1 MiB with the headers the script set', async () => {
		const res = await request(`${server.base}/cgi-bin/big.sh`);
		assert.equal(res.status, 200);
		assert.equal(res.headers['x-big'], 'yes');
		assert.equal(res.body.length, BIG);
		assert.ok(res.body.every((byte) => byte === 0));
		const entry = await lastLog('/cgi-bin/big.sh');
		assert.equal(entry.status, 200);
		assert.equal(entry.error, undefined);
	});
});

describe('CGI local redirects with a large body', () => {
	it('answer with the redirect target and drop the rest of the output', async () => {
		const res = await request(`${server.base}/cgi-bin/redirect-big.sh`, { timeoutMs: 10_000 });
		assert.equal(res.status, 200);
		assert.equal(res.text, 'plain text file\n');
		assert.equal((await lastLog('/cgi-bin/redirect-big.sh')).error, undefined);
	});
});

describe('CGI headers Node would refuse', () => {
	for (const [name, why] of [['bigctl.sh', 'a control character in a header value, streamed'], ['smallctl.sh', 'a control character in a header value, held']] as const) {
		it(`answer 502, never crash the server: ${why}`, async () => {
			const res = await request(`${server.base}/cgi-bin/${name}`);
			assert.equal(res.status, 502);
			assert.equal(res.headers['x-bad'], undefined);
			assert.equal(res.headers['set-cookie'], undefined, 'nothing of the refused response leaks into the error page');
			assert.match((await lastLog(`/cgi-bin/${name}`)).error ?? '', /malformed response.*invalid value for X-Bad/);
			assert.equal((await request(`${server.base}/notes.txt`)).status, 200, 'the server is still up');
		});
	}

	for (const name of ['badreason.sh', 'bigbadreason.sh']) {
		it(`answer 502 for a control character in the Status reason phrase (${name})`, async () => {
			const res = await request(`${server.base}/cgi-bin/${name}`);
			assert.equal(res.status, 502);
			assert.match((await lastLog(`/cgi-bin/${name}`)).error ?? '', /malformed response.*invalid value for Status/);
			assert.equal((await request(`${server.base}/notes.txt`)).status, 200, 'the server is still up');
		});
	}
});

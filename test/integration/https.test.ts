import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { SettingsError } from '../../server-core/features/settingsError';
import { createSelfSignedCertificate, LOCALHOST_NAMES } from '../../server-core/https/selfSignedCertificate';
import type { ServerMessage } from '../../server-core/reload/liveProtocol';
import { rawRequest } from '../helpers/httpRequest';
import { httpsRequest } from '../helpers/httpsRequest';
import { startSession } from '../helpers/startSession';
import { createTempWorkspace, type TempWorkspace } from '../helpers/tempWorkspace';
import { waitFor } from '../helpers/waitFor';

let workspace: TempWorkspace;
let certDir: string;

before(() => {
	workspace = createTempWorkspace('site');
	certDir = path.join(workspace.root, '..', `${path.basename(workspace.root)}-certs`);
});

after(() => {
	workspace.remove();
	fs.rmSync(certDir, { recursive: true, force: true });
});

/** openssl is installed by .ci/run; a missing one is a broken machine, not a reason to skip. */
function openssl(args: string[]): string {
	return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('HTTPS with a generated self-signed certificate', () => {
	it('serves over TLS with a certificate for 127.0.0.1 and localhost that a client trusting it accepts', async () => {
		const server = await startSession(workspace.root, { https: { enabled: true, certDir } });
		try {
			assert.match(server.session.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
			const tls = server.session.extras.tls!;
			assert.equal(tls.origin, 'generated');
			const cert = fs.readFileSync(path.join(certDir, 'localhost-cert.pem'), 'utf8');
			const base = `https://127.0.0.1:${server.port}`;
			const byIp = await httpsRequest(`${base}/notes.txt`, cert);
			assert.equal(byIp.status, 200);
			assert.equal(byIp.text, 'plain text file\n');
			const byName = await httpsRequest(`${base}/notes.txt`, cert, { servername: 'localhost', headers: { Host: `localhost:${server.port}` } });
			assert.equal(byName.status, 200);
			assert.equal(byName.fingerprint, new X509Certificate(cert).fingerprint256);
			if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(certDir, 'localhost-key.pem')).mode & 0o777, 0o600, 'the key is private');
		} finally {
			await server.close();
		}
	});

	it('is accepted by openssl as a self-signed certificate with the right extensions', () => {
		const certFile = path.join(certDir, 'localhost-cert.pem');
		assert.match(openssl(['verify', '-CAfile', certFile, certFile]), /: OK/);
		const text = openssl(['x509', '-in', certFile, '-noout', '-text']);
		assert.match(text, /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
		assert.match(text, /CA:FALSE/);
		assert.match(text, /TLS Web Server Authentication/);
		assert.match(text, /ecdsa-with-SHA256/);
	});

	it('reuses the stored certificate, and replaces one that is about to expire', async () => {
		const before = new X509Certificate(fs.readFileSync(path.join(certDir, 'localhost-cert.pem'))).fingerprint256;
		const again = await startSession(workspace.root, { https: { enabled: true, certDir } });
		try {
			assert.equal(again.session.extras.tls!.origin, 'reused');
			assert.equal(new X509Certificate(again.session.extras.tls!.cert).fingerprint256, before);
		} finally {
			await again.close();
		}
		// A certificate made 360 days ago (valid 365 days) has 5 days left: under the renewal margin.
		const old = createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 365, now: new Date(Date.now() - 360 * 86_400_000) });
		fs.writeFileSync(path.join(certDir, 'localhost-cert.pem'), old.cert);
		fs.writeFileSync(path.join(certDir, 'localhost-key.pem'), old.key);
		const renewed = await startSession(workspace.root, { https: { enabled: true, certDir } });
		try {
			assert.equal(renewed.session.extras.tls!.origin, 'generated');
			assert.ok(renewed.session.extras.tls!.validTo.getTime() > Date.now() + 300 * 86_400_000);
		} finally {
			await renewed.close();
		}
	});

	it('pushes live reload over wss:', async () => {
		const server = await startSession(workspace.root, { https: { enabled: true, certDir } });
		try {
			await server.session.watching;
			const cert = server.session.extras.tls!.cert;
			const page = await httpsRequest(`https://127.0.0.1:${server.port}/`, cert);
			const token = /__live\/client\.js\?t=([0-9a-f]+)/.exec(page.text)![1];
			const socket = new WebSocket(`wss://127.0.0.1:${server.port}/__live/ws/${token}`, { ca: cert });
			const messages: ServerMessage[] = [];
			socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as ServerMessage));
			await new Promise<void>((resolve, reject) => {
				socket.once('open', () => resolve());
				socket.once('error', reject);
			});
			socket.send(JSON.stringify({ type: 'hello', page: '/' }));
			await waitFor(() => server.session.liveReload!.hub.pages.includes('/'), { what: 'the hello' });
			workspace.write('notes.txt', 'changed\n');
			await waitFor(() => messages.some((message) => message.type === 'reload'), { what: 'a reload over wss' });
			socket.close();
		} finally {
			await server.close();
		}
	});

	it('never answers plain HTTP on the HTTPS port', async () => {
		const server = await startSession(workspace.root, { https: { enabled: true, certDir } });
		try {
			const raw = await rawRequest(server.port, 'GET /notes.txt HTTP/1.1\r\nHost: localhost\r\n\r\n');
			assert.doesNotMatch(raw.text, /^HTTP\/1\.1 200/);
			assert.doesNotMatch(raw.text, /plain text file/);
		} finally {
			await server.close();
		}
	});
});

describe('HTTPS with a user-supplied certificate', () => {
	let userDir: string;
	before(() => {
		userDir = fs.mkdtempSync(path.join(workspace.root, '..', 'lds-user-cert-'));
		openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', '/CN=localhost',
			'-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(userDir, 'key.pem'), '-out', path.join(userDir, 'cert.pem')]);
	});
	after(() => fs.rmSync(userDir, { recursive: true, force: true }));

	it('serves with the given certificate and key (paths relative to the served folder work too)', async () => {
		const relativeCert = path.relative(workspace.root, path.join(userDir, 'cert.pem'));
		const server = await startSession(workspace.root, { https: { enabled: true, cert: relativeCert, key: path.join(userDir, 'key.pem'), certDir } });
		try {
			const cert = fs.readFileSync(path.join(userDir, 'cert.pem'), 'utf8');
			const res = await httpsRequest(`https://127.0.0.1:${server.port}/notes.txt`, cert);
			assert.equal(res.status, 200);
			assert.equal(res.fingerprint, new X509Certificate(cert).fingerprint256);
			assert.equal(server.session.extras.tls!.origin, 'user');
		} finally {
			await server.close();
		}
	});

	it('has no warnings for a valid certificate for localhost', async () => {
		const server = await startSession(workspace.root, { https: { enabled: true, cert: path.join(userDir, 'cert.pem'), key: path.join(userDir, 'key.pem'), certDir } });
		try {
			assert.deepEqual(server.session.extras.tls!.warnings, []);
		} finally {
			await server.close();
		}
	});

	// Browsers refuse these; the server still starts (the user may be testing exactly that), and says so.
	const DAY = 24 * 60 * 60 * 1000;
	const warned: [string, () => ReturnType<typeof createSelfSignedCertificate>, RegExp][] = [
		['an expired certificate', () => createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 10, now: new Date(Date.now() - 30 * DAY) }), /expired on \d{4}-\d\d-\d\d: browsers will refuse it/],
		['a certificate not valid yet', () => createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 10, now: new Date(Date.now() + 3 * DAY) }), /is not valid before \d{4}-\d\d-\d\d/],
		['a certificate for another host', () => createSelfSignedCertificate({ hosts: ['app.example.test'], validDays: 10 }), /is for DNS:app\.example\.test, not for localhost, 127\.0\.0\.1/],
	];
	for (const [name, make, message] of warned) {
		it(`starts with ${name}, with a clear warning`, async () => {
			const pair = make();
			const certFile = path.join(userDir, 'warned-cert.pem');
			const keyFile = path.join(userDir, 'warned-key.pem');
			fs.writeFileSync(certFile, pair.cert);
			fs.writeFileSync(keyFile, pair.key);
			const server = await startSession(workspace.root, { https: { enabled: true, cert: certFile, key: keyFile, certDir } });
			try {
				const { warnings } = server.session.extras.tls!;
				assert.equal(warnings.length, 1, warnings.join('\n'));
				assert.match(warnings[0]!, message);
				assert.ok(warnings[0]!.includes(certFile));
			} finally {
				await server.close();
			}
		});
	}

	it('refuses an encrypted key, saying how to decrypt it', async () => {
		const encrypted = path.join(userDir, 'encrypted-key.pem');
		openssl(['pkey', '-in', path.join(userDir, 'key.pem'), '-aes256', '-passout', 'pass:secret', '-out', encrypted]);
		assert.match(fs.readFileSync(encrypted, 'utf8'), /ENCRYPTED/);
		await assert.rejects(
			startSession(workspace.root, { https: { enabled: true, cert: path.join(userDir, 'cert.pem'), key: encrypted, certDir } }),
			(error: unknown) => error instanceof SettingsError && error.setting === 'https.key' && /encrypted-key\.pem .*Encrypted keys are not supported: decrypt it first \(openssl pkey/.test(error.message),
		);
	});

	const cases: [string, () => object, RegExp][] = [
		['a missing certificate file', () => ({ cert: path.join(userDir, 'missing.pem'), key: path.join(userDir, 'key.pem') }), /Cannot read the HTTPS certificate file .*missing\.pem: no such file/],
		['a missing key file', () => ({ cert: path.join(userDir, 'cert.pem'), key: path.join(userDir, 'nokey.pem') }), /Cannot read the HTTPS key file .*nokey\.pem: no such file/],
		['a folder instead of a file', () => ({ cert: userDir, key: path.join(userDir, 'key.pem') }), /it is a folder/],
		['a file that is not PEM', () => ({ cert: path.join(workspace.root, 'notes.txt'), key: path.join(userDir, 'key.pem') }), /not in PEM format/],
		['a key given as the certificate', () => ({ cert: path.join(userDir, 'key.pem'), key: path.join(userDir, 'key.pem') }), /does not contain a PEM certificate/],
		['a key that belongs to another certificate', () => {
			const other = createSelfSignedCertificate({ hosts: ['localhost'], validDays: 1 });
			fs.writeFileSync(path.join(userDir, 'other-key.pem'), other.key);
			return { cert: path.join(userDir, 'cert.pem'), key: path.join(userDir, 'other-key.pem') };
		}, /does not belong to the certificate/],
		['only a certificate', () => ({ cert: path.join(userDir, 'cert.pem') }), /needs both a certificate file and a key file/],
	];
	for (const [name, files, message] of cases) {
		it(`refuses to start with ${name} (no silent HTTP fallback)`, async () => {
			await assert.rejects(startSession(workspace.root, { https: { enabled: true, ...files() } }), (error: unknown) => error instanceof SettingsError && message.test(error.message));
		});
	}
});

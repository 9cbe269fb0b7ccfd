import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeLength, objectIdentifier, time, unsignedInteger } from '../../server-core/https/der';
import { createSelfSignedCertificate, ipv6Bytes, LOCALHOST_NAMES } from '../../server-core/https/selfSignedCertificate';
import { certificateWarnings, defaultCertDir } from '../../server-core/https/tlsCredentials';

describe('DER encodings', () => {
	it('encodes short and long lengths', () => {
		assert.deepEqual([...encodeLength(5)], [5]);
		assert.deepEqual([...encodeLength(127)], [127]);
		assert.deepEqual([...encodeLength(128)], [0x81, 128]);
		assert.deepEqual([...encodeLength(300)], [0x82, 1, 44]);
	});

	it('encodes object identifiers with base-128 arcs (X.690 §8.19)', () => {
		assert.equal(objectIdentifier('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
		assert.equal(objectIdentifier('2.5.29.17').toString('hex'), '0603551d11');
	});

	it('keeps integers positive and minimal', () => {
		assert.equal(unsignedInteger(Buffer.from([0x80])).toString('hex'), '02020080');
		assert.equal(unsignedInteger(Buffer.from([0, 0, 5])).toString('hex'), '020105');
		assert.equal(unsignedInteger(Buffer.from([0])).toString('hex'), '020100');
	});

	it('uses UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280)', () => {
		assert.equal(time(new Date('2026-11-22T10:00:00Z')).toString('latin1').slice(2), '261122100000Z');
		assert.equal(time(new Date('2026-11-22T10:00:00Z'))[0], 0x17);
		assert.equal(time(new Date('2050-01-01T00:00:00Z')).toString('latin1').slice(2), '20500101000000Z');
		assert.equal(time(new Date('2050-01-01T00:00:00Z'))[0], 0x18);
	});

	it('expands IPv6 addresses', () => {
		assert.equal(ipv6Bytes('::1').toString('hex'), '00000000000000000000000000000001');
		assert.equal(ipv6Bytes('fe80::1:2').toString('hex'), 'fe800000000000000000000000010002');
	});
});

describe('createSelfSignedCertificate', () => {
	const now = new Date('2026-11-22T10:00:00Z');
	const pair = createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 365, now });
	const x509 = new X509Certificate(pair.cert);

	it('is read back by OpenSSL (node:crypto) as a valid, self-signed certificate', () => {
		assert.equal(x509.verify(x509.publicKey), true, 'the signature verifies with its own key');
		assert.equal(x509.subject, x509.issuer);
		assert.equal(x509.checkPrivateKey(createPrivateKey(pair.key)), true);
		assert.equal(x509.publicKey.asymmetricKeyType, 'ec');
		assert.equal(x509.ca, false);
	});

	it('is valid for localhost, 127.0.0.1 and ::1 (subjectAltName), and nothing else', () => {
		assert.equal(x509.checkHost('localhost'), 'localhost');
		assert.equal(x509.checkIP('127.0.0.1'), '127.0.0.1');
		assert.equal(x509.checkIP('::1'), '::1');
		assert.equal(x509.checkHost('example.com'), undefined);
		assert.equal(x509.checkIP('10.0.0.1'), undefined);
		assert.match(x509.subjectAltName ?? '', /DNS:localhost/);
	});

	it('is valid from an hour before now for the given days', () => {
		assert.equal(new Date(x509.validFrom).toISOString(), '2026-11-22T09:00:00.000Z');
		assert.equal(new Date(x509.validTo).toISOString(), '2027-11-22T10:00:00.000Z');
	});

	it('gets a fresh key and serial number each time', () => {
		const other = new X509Certificate(createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: 1 }).cert);
		assert.notEqual(other.serialNumber, x509.serialNumber);
		assert.notEqual(other.fingerprint256, x509.fingerprint256);
		assert.equal(x509.serialNumber.length, 32, '16 bytes, positive');
	});
});

describe('defaultCertDir', () => {
	it('follows each platform\'s cache convention', () => {
		assert.equal(defaultCertDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u'), '/x/cache/live-dev-server');
		assert.equal(defaultCertDir({}, 'linux', '/home/u'), '/home/u/.cache/live-dev-server');
		assert.equal(defaultCertDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u'), '/home/u/.cache/live-dev-server');
		assert.equal(defaultCertDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Caches/live-dev-server');
		assert.equal(defaultCertDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\live-dev-server\\Cache');
	});
});

describe('certificateWarnings', () => {
	const now = new Date('2026-06-01T12:00:00Z');
	const certificate = (hosts: string[], validDays: number, issued = now) => new X509Certificate(createSelfSignedCertificate({ hosts, validDays, now: issued }).cert);

	it('has nothing to say about a current certificate for localhost', () => {
		assert.deepEqual(certificateWarnings(certificate([...LOCALHOST_NAMES], 30), '/c.pem', now), []);
	});

	it('accepts a certificate for a host the server is reached by (an allowed host, the bound address)', () => {
		assert.deepEqual(certificateWarnings(certificate(['dev.example.test'], 30), '/c.pem', now, ['127.0.0.1', 'dev.example.test', '.wild.example', '*']), []);
		assert.deepEqual(certificateWarnings(certificate(['192.0.2.5'], 30), '/c.pem', now, ['192.0.2.5']), []);
	});

	it('warns about expiry, a start in the future and other names', () => {
		const expired = certificateWarnings(certificate(['localhost'], 1, new Date('2026-05-01T00:00:00Z')), '/c.pem', now);
		assert.equal(expired.length, 1);
		assert.match(expired[0]!, /^The HTTPS certificate \/c\.pem expired on 2026-05-02/);
		assert.match(certificateWarnings(certificate(['localhost'], 30, new Date('2026-07-01T00:00:00Z')), '/c.pem', now)[0]!, /not valid before 2026-06-30/);
		assert.match(certificateWarnings(certificate(['other.example'], 30), '/c.pem', now, ['0.0.0.0'])[0]!, /is for DNS:other\.example, not for localhost, 127\.0\.0\.1, ::1: browsers will refuse it/);
	});
});

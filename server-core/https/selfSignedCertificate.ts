import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
	bitString, booleanTrue, explicit, implicitPrimitive, objectIdentifier, octetString, sequence, set, smallInteger, time,
	unsignedInteger, utf8String,
} from './der';

const OID = {
	ecdsaWithSha256: '1.2.840.10045.4.3.2',
	commonName: '2.5.4.3',
	organization: '2.5.4.10',
	subjectKeyIdentifier: '2.5.29.14',
	subjectAltName: '2.5.29.17',
	basicConstraints: '2.5.29.19',
	extKeyUsage: '2.5.29.37',
	serverAuth: '1.3.6.1.5.5.7.3.1',
};

export interface SelfSignedOptions {
	/** DNS names and IP literals the certificate is valid for (the first is also the common name). */
	hosts: readonly string[];
	validDays: number;
	/** Defaults to now; the certificate is valid from an hour earlier (clock skew). */
	now?: Date;
}

export interface CertificatePair {
	/** PEM certificate. */
	cert: string;
	/** PEM PKCS#8 private key. */
	key: string;
}

export const LOCALHOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * A self-signed X.509 v3 server certificate with an ECDSA P-256 key (RFC 5280), built with node:crypto alone:
 * the key pair, the SubjectPublicKeyInfo and the signature come from OpenSSL through node:crypto, and only the
 * certificate's DER structure is assembled here. Extensions: subjectAltName (what browsers check), basicConstraints
 * CA:FALSE (critical), extendedKeyUsage serverAuth and a subject key identifier. No keyUsage: with it, OpenSSL would
 * not treat a leaf without keyCertSign as self-signed, and a trust store could not anchor it.
 */
export function createSelfSignedCertificate(options: SelfSignedOptions): CertificatePair {
	const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
	const spki = publicKey.export({ type: 'spki', format: 'der' });
	const now = options.now ?? new Date();
	const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
	const notAfter = new Date(now.getTime() + options.validDays * 24 * 60 * 60 * 1000);
	const serial = randomBytes(16);
	serial[0] = (serial[0]! & 0x7f) | 0x40; // positive and exactly 16 bytes
	const name = sequence(
		set(sequence(objectIdentifier(OID.organization), utf8String('Live Dev Server'))),
		set(sequence(objectIdentifier(OID.commonName), utf8String(options.hosts[0] ?? 'localhost'))),
	);
	const algorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
	const extensions = sequence(
		extension(OID.basicConstraints, true, sequence()),
		extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
		extension(OID.subjectAltName, false, sequence(...options.hosts.map(generalName))),
		extension(OID.subjectKeyIdentifier, false, octetString(createHash('sha1').update(publicKeyBits(spki)).digest())),
	);
	const tbs = sequence(
		explicit(0, smallInteger(2)), // v3
		unsignedInteger(serial),
		algorithm,
		name,
		sequence(time(notBefore), time(notAfter)),
		name,
		spki,
		explicit(3, extensions),
	);
	// For EC keys node:crypto signs in DER (ECDSA-Sig-Value), which is what X.509 carries.
	const signature = sign('sha256', tbs, privateKey);
	const der = sequence(tbs, algorithm, bitString(signature));
	return {
		cert: toPem('CERTIFICATE', der),
		key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
	};
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
	return critical
		? sequence(objectIdentifier(oid), booleanTrue(), octetString(value))
		: sequence(objectIdentifier(oid), octetString(value));
}

/** GeneralName: `[2] dNSName` (IA5String) or `[7] iPAddress` (4 or 16 bytes). */
function generalName(host: string): Buffer {
	const family = isIP(host);
	if (family === 4) return implicitPrimitive(7, Buffer.from(host.split('.').map(Number)));
	if (family === 6) return implicitPrimitive(7, ipv6Bytes(host));
	if (!/^[a-z0-9*]([a-z0-9.-]*[a-z0-9])?$/i.test(host)) throw new Error(`Not a host name: ${host}`);
	return implicitPrimitive(2, Buffer.from(host.toLowerCase(), 'ascii'));
}

export function ipv6Bytes(address: string): Buffer {
	const [head = '', tail] = address.split('::') as [string, string | undefined];
	const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
	const left = parse(head);
	const right = tail === undefined ? [] : parse(tail);
	const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
	const bytes = Buffer.alloc(16);
	groups.forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
	return bytes;
}

/** The subjectPublicKey BIT STRING's content (what RFC 5280 §4.2.1.2 method 1 hashes for the key identifier). */
function publicKeyBits(spki: Buffer): Buffer {
	// SEQUENCE { AlgorithmIdentifier, BIT STRING }: the BIT STRING is the last TLV; skip its tag, length, unused-bits byte.
	const keyLength = spki[spki.length - 65 - 1 - 1]; // P-256 uncompressed point: 65 bytes, one unused-bits byte
	if (keyLength === 66 && spki[spki.length - 65 - 1 - 2] === 0x03) return spki.subarray(spki.length - 65);
	return spki; // not the expected layout: hashing the whole SPKI still gives a stable, unique identifier
}

function toPem(label: string, der: Buffer): string {
	const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

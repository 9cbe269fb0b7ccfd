import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SettingsError } from '../features/settingsError';
import type { HttpsSettings } from '../protocol/settings';
import { createSelfSignedCertificate, LOCALHOST_NAMES, type CertificatePair } from './selfSignedCertificate';

export interface TlsCredentials extends CertificatePair {
	/** Where they came from, for the start-up message. */
	origin: 'user' | 'generated' | 'reused';
	certFile: string;
	validTo: Date;
	/**
	 * Problems with a user certificate that do not stop the server but will make browsers refuse it (expired, not
	 * yet valid, issued for other names). Shown at start-up; empty for generated certificates.
	 */
	warnings: string[];
}

/** Generated certificates last this long and are replaced when fewer than RENEW_DAYS remain. */
const VALID_DAYS = 365;
const RENEW_DAYS = 7;
const CERT_NAME = 'localhost-cert.pem';
const KEY_NAME = 'localhost-key.pem';

/**
 * The certificate and key for an HTTPS session: the user's files (checked: both present, readable, PEM, matching,
 * with a specific message for each problem) or a self-signed certificate for localhost kept in `certDir`.
 * Never falls back to HTTP: every problem is a SettingsError.
 */
export function loadTlsCredentials(settings: HttpsSettings, root: string, now = new Date(), servedHosts: readonly string[] = []): TlsCredentials {
	if ((settings.cert ?? '') !== '' || (settings.key ?? '') !== '') {
		if (!settings.cert || !settings.key) {
			throw new SettingsError(settings.cert ? 'https.key' : 'https.cert', 'HTTPS needs both a certificate file and a key file (or neither, for a generated self-signed certificate).');
		}
		return loadUserCredentials(path.resolve(root, settings.cert), path.resolve(root, settings.key), now, servedHosts);
	}
	return loadGeneratedCredentials(settings.certDir ?? defaultCertDir(), now);
}

function loadUserCredentials(certFile: string, keyFile: string, now: Date, servedHosts: readonly string[]): TlsCredentials {
	const cert = readPem(certFile, 'https.cert', 'certificate');
	const key = readPem(keyFile, 'https.key', 'key');
	let x509: X509Certificate;
	try {
		x509 = new X509Certificate(cert);
	} catch (error) {
		throw new SettingsError('https.cert', `${certFile} does not contain a PEM certificate ("-----BEGIN CERTIFICATE-----"): ${(error as Error).message}.`);
	}
	let privateKey: KeyObject;
	try {
		privateKey = createPrivateKey(key);
	} catch (error) {
		const hint = /encrypted|passphrase/i.test(key) || /ENCRYPTED/.test(key) ? ' Encrypted keys are not supported: decrypt it first (openssl pkey -in key.pem -out plain-key.pem).' : '';
		throw new SettingsError('https.key', `${keyFile} does not contain a usable PEM private key: ${(error as Error).message}.${hint}`);
	}
	if (!x509.checkPrivateKey(privateKey)) {
		throw new SettingsError('https.key', `The key in ${keyFile} does not belong to the certificate in ${certFile}.`);
	}
	return { cert, key, origin: 'user', certFile, validTo: new Date(x509.validTo), warnings: certificateWarnings(x509, certFile, now, servedHosts) };
}

/** Why a browser would refuse a certificate the server can still load: validity dates, and names. Pure. */
export function certificateWarnings(x509: X509Certificate, certFile: string, now: Date, servedHosts: readonly string[] = []): string[] {
	const warnings: string[] = [];
	const validFrom = new Date(x509.validFrom);
	const validTo = new Date(x509.validTo);
	const day = (date: Date) => date.toISOString().slice(0, 10);
	if (validTo.getTime() < now.getTime()) warnings.push(`The HTTPS certificate ${certFile} expired on ${day(validTo)}: browsers will refuse it. Renew it (mkcert makes a new one), or leave out cert/key for a generated one.`);
	else if (validFrom.getTime() > now.getTime()) warnings.push(`The HTTPS certificate ${certFile} is not valid before ${day(validFrom)}: browsers will refuse it until then (is the clock right?).`);
	const names = [...new Set(['localhost', '127.0.0.1', '::1', ...servedHosts.filter((host) => /^[\w.:-]+$/.test(host) && !host.startsWith('.') && host !== '0.0.0.0' && host !== '::')])];
	const covers = (name: string) => (isIP(name) ? x509.checkIP(name) : x509.checkHost(name)) !== undefined;
	if (!names.some(covers)) {
		const issuedFor = x509.subjectAltName ?? x509.subject.replace(/\n/g, ', ');
		warnings.push(`The HTTPS certificate ${certFile} is for ${issuedFor}, not for ${names.join(', ')}: browsers will refuse it on this server's address.`);
	}
	return warnings;
}

function readPem(file: string, setting: string, what: string): string {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
		throw new SettingsError(setting, `Cannot read the HTTPS ${what} file ${file}: ${reason}.`);
	}
	if (!text.includes('-----BEGIN ')) throw new SettingsError(setting, `The HTTPS ${what} file ${file} is not in PEM format (no "-----BEGIN" line).`);
	return text;
}

/** Reuses the stored certificate while it is valid for the localhost names for at least RENEW_DAYS more days. */
function loadGeneratedCredentials(certDir: string, now: Date): TlsCredentials {
	const certFile = path.join(certDir, CERT_NAME);
	const keyFile = path.join(certDir, KEY_NAME);
	const stored = readStored(certFile, keyFile, now);
	if (stored) return stored;
	const pair = createSelfSignedCertificate({ hosts: LOCALHOST_NAMES, validDays: VALID_DAYS, now });
	try {
		fs.mkdirSync(certDir, { recursive: true, mode: 0o700 });
		writeAtomically(keyFile, pair.key, 0o600);
		writeAtomically(certFile, pair.cert, 0o644);
	} catch (error) {
		throw new SettingsError('https.certDir', `Cannot store the generated certificate in ${certDir}: ${(error as Error).message}.`);
	}
	return { ...pair, origin: 'generated', certFile, validTo: new Date(new X509Certificate(pair.cert).validTo), warnings: [] };
}

function readStored(certFile: string, keyFile: string, now: Date): TlsCredentials | undefined {
	try {
		const cert = fs.readFileSync(certFile, 'utf8');
		const key = fs.readFileSync(keyFile, 'utf8');
		const x509 = new X509Certificate(cert);
		const validTo = new Date(x509.validTo);
		const fresh = validTo.getTime() - now.getTime() > RENEW_DAYS * 24 * 60 * 60 * 1000 && new Date(x509.validFrom).getTime() <= now.getTime();
		const covers = x509.checkHost('localhost') !== undefined && x509.checkIP('127.0.0.1') !== undefined && x509.checkIP('::1') !== undefined;
		if (fresh && covers && x509.checkPrivateKey(createPrivateKey(key))) return { cert, key, origin: 'reused', certFile, validTo, warnings: [] };
	} catch {
		// Missing, unreadable or damaged: a new one is generated.
	}
	return undefined;
}

function writeAtomically(file: string, content: string, mode: number): void {
	const temporary = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(temporary, content, { mode });
	fs.renameSync(temporary, file);
}

/** The CLI's cache folder: $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows. */
export function defaultCertDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
	if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(home, 'AppData', 'Local'), 'live-dev-server', 'Cache');
	if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'live-dev-server');
	const xdg = env.XDG_CACHE_HOME;
	return path.posix.join(xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.cache'), 'live-dev-server');
}

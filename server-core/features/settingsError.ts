/**
 * A setting that cannot work as given (a missing certificate, a mount folder that does not exist, a bad proxy URL).
 * Session.start throws it before listening; the CLI exits with 2 (like a bad argument), the extension shows it.
 */
export class SettingsError extends Error {
	override readonly name = 'SettingsError';

	/** `setting` names the setting (`https.cert`, `proxy[0].target`) so both UIs can point at it. */
	constructor(readonly setting: string, message: string) {
		super(message);
	}
}

/**
 * A console message or uncaught error from a page served by a session (the browser console relay, off unless the
 * `console` setting is on). The CLI prints these; the extension shows them in its output panel.
 */
export interface BrowserConsoleMessage {
	/** Milliseconds since the epoch, when the server received it. */
	time: number;
	/** `error` also covers uncaught exceptions and unhandled promise rejections (their text starts with "Uncaught"). */
	level: 'log' | 'info' | 'warn' | 'error';
	/** The arguments as the page's client serialized them (objects as JSON-like text, errors with their stack). */
	text: string;
	/** The page's URL (location.href). */
	url: string;
}

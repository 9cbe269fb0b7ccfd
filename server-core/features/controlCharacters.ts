/** C0 (but tab and, when allowed, line feed), DEL and C1: what a terminal would act on (colours, cursor moves, title). */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
const CONTROL_KEEPING_LF = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Removes control characters from text a page or a script controls (console messages, CGI stderr) before it
 * reaches a terminal or the output panel: `\x1b[2J` would clear the CLI's screen, `\x1b]0;…\x07` retitle it.
 * Tabs stay, and line feeds unless `keepLineFeeds` is false (for one-line values such as URLs).
 */
export function stripControlCharacters(text: string, keepLineFeeds = true): string {
	return text.replace(keepLineFeeds ? CONTROL_KEEPING_LF : CONTROL, '');
}

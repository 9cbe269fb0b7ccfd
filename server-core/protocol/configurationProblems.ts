import { DEFAULT_CONFIGURATION, HANDLER_TIMEOUT_RANGE, isRecord, MAX_DEBOUNCE_MS, type LiveDevServerConfiguration } from './configuration';

/** A `liveDevServer.*` value that readConfiguration could not use, and what it used instead. */
export interface ConfigurationProblem {
	/** The setting's name below `liveDevServer.` (`port`, `log.headers`). */
	setting: string;
	/** What the settings hold. */
	value: unknown;
	/** What is used instead (the default, a clamped number, the list without its bad entries). */
	used: unknown;
}

/** Settings made of sub-settings (`log.headers`, `https.cert`...); every other key is one value. */
const GROUPS = new Set(['log', 'handlers', 'https', 'cgi']);

/** What a setting accepts, where its default value's type does not say enough. */
const EXPECTED: Record<string, string> = {
	port: 'a whole number from 0 to 65535',
	debounce: `a whole number of milliseconds from 0 to ${MAX_DEBOUNCE_MS}`,
	reloadOn: '"change" or "save"',
	'cgi.timeoutMs': 'a whole number of milliseconds above 0',
	'handlers.timeoutMs': `a whole number of milliseconds from ${HANDLER_TIMEOUT_RANGE.min} to ${HANDLER_TIMEOUT_RANGE.max}`,
};

/**
 * The values of `raw` (the settings as stored) that `config` (readConfiguration's result) does not hold, in
 * the order of DEFAULT_CONFIGURATION. Unset values are no problem; so are blank strings (they mean the
 * default) and surrounding spaces (trimmed). Lists and objects count as a problem when an entry was dropped.
 */
export function findConfigurationProblems(raw: unknown, config: LiveDevServerConfiguration): ConfigurationProblem[] {
	if (!isRecord(raw)) return [];
	const problems: ConfigurationProblem[] = [];
	const visit = (defaults: Record<string, unknown>, values: Record<string, unknown>, used: Record<string, unknown>, prefix: string) => {
		for (const key of Object.keys(defaults)) {
			const value = values[key];
			const setting = `${prefix}${key}`;
			if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
			if (prefix === '' && GROUPS.has(key) && isRecord(value)) {
				visit(defaults[key] as Record<string, unknown>, value, used[key] as Record<string, unknown>, `${setting}.`);
			} else if (!sameValue(value, used[key])) {
				problems.push({ setting, value, used: used[key] });
			}
		}
	};
	visit(DEFAULT_CONFIGURATION as unknown as Record<string, unknown>, raw, config as unknown as Record<string, unknown>, '');
	return problems;
}

/** `liveDevServer.port: "abc" is not valid (a whole number from 0 to 65535 is expected); using 5500.` */
export function describeConfigurationProblem({ setting, value, used }: ConfigurationProblem): string {
	return `liveDevServer.${setting}: ${show(value)} is not valid (${expected(setting)} is expected); using ${show(used)}.`;
}

function expected(setting: string): string {
	const known = EXPECTED[setting];
	if (known !== undefined) return known;
	const [group, inner] = setting.split('.');
	const defaults = DEFAULT_CONFIGURATION as unknown as Record<string, unknown>;
	const example = inner === undefined ? defaults[group!] : (defaults[group!] as Record<string, unknown> | undefined)?.[inner];
	if (typeof example === 'boolean') return 'true or false';
	if (typeof example === 'number') return 'a number';
	if (typeof example === 'string') return 'a string';
	if (Array.isArray(example)) return 'a list of the documented entries';
	return 'an object as documented';
}

function show(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Equal as settings: key order does not matter, strings compare trimmed, blank strings in lists are nothing. */
function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

function normalise(value: unknown): unknown {
	if (typeof value === 'string') return value.trim();
	if (Array.isArray(value)) return value.filter((item) => !(typeof item === 'string' && item.trim() === '')).map(normalise);
	if (isRecord(value)) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, normalise(value[key])]));
	return value;
}

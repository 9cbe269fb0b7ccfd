// @ts-check
// Console arguments as text, for the console relay: any value, without throwing.
import { toJson } from './intrinsics.js';

/** Longest text relayed for one console call. */
export const MAX_TEXT = 4000;

/**
 * Describes any value without throwing: circular references, DOM nodes, errors with stacks, getters that throw.
 * @returns {string}
 */
function describe(/** @type {unknown} */ value, /** @type {number} */ depth, /** @type {Set<object>} */ seen, /** @type {{ left: number }} */ budget) {
	if (budget.left <= 0) return '…';
	const text = describeValue(value, depth, seen, budget);
	budget.left -= text.length;
	return text;
}

/** @returns {string} */
function describeValue(/** @type {unknown} */ value, /** @type {number} */ depth, /** @type {Set<object>} */ seen, /** @type {{ left: number }} */ budget) {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'undefined': return 'undefined';
		case 'string': return depth === 0 ? value : toJson(value.length > 200 ? `${value.slice(0, 200)}…` : value);
		case 'bigint': return `${value}n`;
		case 'symbol': return value.toString();
		case 'function': return `[Function ${value.name || '(anonymous)'}]`;
		case 'object': break;
		default: return String(value);
	}
	const object = /** @type {object} */ (value);
	if (object instanceof Error) {
		const head = `${object.name}: ${object.message}`;
		const stack = typeof object.stack === 'string' ? object.stack : '';
		return stack.includes(object.message) ? stack : stack ? `${head}\n${stack}` : head;
	}
	if (typeof Node !== 'undefined' && object instanceof Node) return describeNode(object);
	if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
	if (object instanceof RegExp) return String(object);
	if (seen.has(object)) return '[Circular]';
	if (depth >= 3) return Array.isArray(object) ? `[Array(${object.length})]` : '[Object]';
	seen.add(object);
	try {
		if (Array.isArray(object)) {
			const items = object.slice(0, 100).map((item) => describe(item, depth + 1, seen, budget));
			if (object.length > 100) items.push(`… ${object.length - 100} more`);
			return `[${items.join(', ')}]`;
		}
		if (object instanceof Map || object instanceof Set) {
			const items = Array.from(object, (entry) => (object instanceof Map ? `${describe(entry[0], depth + 1, seen, budget)} => ${describe(entry[1], depth + 1, seen, budget)}` : describe(entry, depth + 1, seen, budget)));
			return `${object instanceof Map ? 'Map' : 'Set'}(${object.size}) {${items.join(', ')}}`;
		}
		const keys = Object.keys(object);
		const parts = keys.slice(0, 50).map((key) => {
			let item;
			try {
				item = describe(/** @type {Record<string, unknown>} */ (object)[key], depth + 1, seen, budget);
			} catch {
				item = '[Thrown]';
			}
			return `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : toJson(key)}: ${item}`;
		});
		if (keys.length > 50) parts.push(`… ${keys.length - 50} more`);
		const name = object.constructor && object.constructor !== Object && typeof object.constructor.name === 'string' ? `${object.constructor.name} ` : '';
		return `${name}{${parts.length ? ` ${parts.join(', ')} ` : ''}}`;
	} finally {
		seen.delete(object);
	}
}

function describeNode(/** @type {Node} */ node) {
	if (node instanceof Element) {
		const id = node.id ? `#${node.id}` : '';
		const classes = typeof node.className === 'string' && node.className.trim() ? `.${node.className.trim().split(/\s+/).join('.')}` : '';
		return `<${node.tagName.toLowerCase()}${id}${classes}>`;
	}
	if (node.nodeType === Node.TEXT_NODE) return `#text ${toJson((node.textContent || '').slice(0, 100))}`;
	return node.nodeName;
}

export function formatArguments(/** @type {unknown[]} */ args) {
	const budget = { left: MAX_TEXT };
	return args.map((arg) => describe(arg, 0, new Set(), budget)).join(' ');
}

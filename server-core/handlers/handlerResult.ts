import { Buffer } from 'node:buffer';
import {
	getPrototypeOf, isArray, isArrayBufferView, jsonStringify, keys, objectPrototype, SafeError, SafeMap, SafeTypeError, SafeUint8Array, toStringTag, WebResponse,
} from './workerIntrinsics';

/** A handler's value breaks the rules: the handler's fault (a 500 explaining it), not the worker's. */
export class HandlerResultError extends SafeTypeError {
	override name = 'TypeError';
}

/**
 * The return-value rules of handlers (inside the worker): a Response as is; a string is HTML; bytes, a Blob or a
 * ReadableStream are the body; other values are JSON, unless JSON cannot represent them (a Map would be sent as
 * `{}`), which is an error that says where the value is.
 */
export function toResponse(result: unknown): Response {
	if (isResponseLike(result)) return result;
	if (typeof result === 'string') return textResponse(result, 'text/html; charset=utf-8');
	const body = bodyResponse(result);
	if (body !== undefined) return body;
	const kind = result === null ? 'null' : typeof result;
	if (kind === 'object' || kind === 'number' || kind === 'boolean' || kind === 'null') {
		const json = toJson(result);
		if (json !== undefined) return textResponse(json, 'application/json; charset=utf-8');
	}
	throw new HandlerResultError(`The handler returned ${describe(result)}. ${RULES}`);
}

/** A `Response` from this realm, or from a library bundling its own fetch implementation (duck-typed). */
export function isResponseLike(value: unknown): value is Response {
	if (value instanceof WebResponse) return true;
	return tagOf(value) === 'Response';
}

const RULES = 'Return a Response, a string (sent as HTML), bytes, a Blob or a ReadableStream (sent as the body), or plain data: objects, arrays, numbers, booleans, null (sent as JSON).';
const OCTET_STREAM = 'application/octet-stream';

function bodyResponse(value: unknown): Response | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const bytes = asBytes(value);
	if (bytes !== undefined) return new WebResponse(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': OCTET_STREAM, 'Content-Length': String(bytes.byteLength) } });
	const tag = tagOf(value);
	if (tag === 'Blob' || tag === 'File') {
		const blob = value as Blob;
		return new WebResponse(blob, { headers: { 'Content-Type': blob.type || OCTET_STREAM, 'Content-Length': String(blob.size) } });
	}
	if (tag === 'ReadableStream') return new WebResponse(value as ReadableStream<Uint8Array>, { headers: { 'Content-Type': OCTET_STREAM } });
	return undefined;
}

function asBytes(value: object): Uint8Array | undefined {
	if (isArrayBufferView(value)) return new SafeUint8Array(value.buffer, value.byteOffset, value.byteLength);
	const tag = tagOf(value);
	if (tag === 'ArrayBuffer' || tag === 'SharedArrayBuffer') return new SafeUint8Array(value as ArrayBuffer);
	return undefined;
}

function textResponse(text: string, contentType: string): Response {
	return new WebResponse(text, { headers: { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(text)) } });
}

/** JSON.stringify, refusing (with the path) values that would silently become `{}` or a map of indexes. */
function toJson(value: unknown): string | undefined {
	const paths = new SafeMap<unknown, string>();
	let top = true;
	return jsonStringify(value, function check(this: unknown, key: string, item: unknown) {
		// The first call is for the value itself (key '', in a wrapper object); later ones name a key of a holder.
		const isTop = top;
		top = false;
		if (typeof item !== 'object' || item === null) return item; // paths are only needed for objects
		const holderPath = paths.get(this);
		const path = isTop ? '' : (holderPath ?? '') + formatKey(this, key, !holderPath);
		const problem = jsonProblem(item);
		if (problem !== undefined) throw new HandlerResultError(`The handler returned ${problem.what}${path ? ` at ${path}` : ''}, ${problem.why}. ${RULES}`);
		paths.set(item, path);
		return item;
	});
}

function jsonProblem(item: object): { what: string; why: string } | undefined {
	if (isArray(item)) return undefined;
	const prototype = getPrototypeOf(item) as object | null;
	if (prototype === objectPrototype || prototype === null) return undefined;
	const name = typeName(item);
	if (asBytes(item) !== undefined) return { what: withArticle(name), why: 'which JSON cannot represent (return bytes as the whole body, or convert them, e.g. with Array.from)' };
	const tag = tagOf(item);
	if (['Blob', 'File', 'ReadableStream'].includes(tag)) return { what: withArticle(name), why: 'which JSON cannot represent (return it as the whole body instead)' };
	if (item instanceof SafeError || tag === 'Error') return { what: withArticle(name), why: 'which JSON cannot represent: to fail, throw it' };
	if (['Map', 'Set', 'WeakMap', 'WeakSet'].includes(tag)) return { what: withArticle(name), why: `which JSON cannot represent (it would be sent as {}; convert it, e.g. with Object.fromEntries or Array.from)` };
	// A class instance with data fields is fine (as JSON.stringify sees it); one without any would be sent as {}.
	if (keys(item).length === 0) return { what: withArticle(name), why: 'which has no data fields JSON could show (it would be sent as {})' };
	return undefined;
}

function formatKey(holder: unknown, key: string, first: boolean): string {
	if (isArray(holder)) return `[${key}]`;
	if (/^[A-Za-z_$][\w$]*$/.test(key)) return first ? key : `.${key}`;
	return `[${jsonStringify(key)}]`;
}

function tagOf(value: unknown): string {
	return toStringTag(value).slice(8, -1);
}

function typeName(value: object): string {
	const constructorName = (value as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof constructorName === 'string' && constructorName !== '' ? constructorName : tagOf(value);
}

function withArticle(name: string): string {
	// "a Uint8Array", "an Error": a leading U is read as "you" in these names.
	return `${/^[AEIO]/i.test(name) ? 'an' : 'a'} ${name}`;
}

function describe(value: unknown): string {
	if (value === undefined) return 'undefined (did you forget to return?)';
	if (typeof value === 'function') return 'a function';
	return `a value of type ${typeof value}`;
}

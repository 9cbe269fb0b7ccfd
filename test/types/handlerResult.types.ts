// Type-level tests of the public handler API, checked by `npm run typecheck` (tsc -p test): each
// `@ts-expect-error` fails the check if the line it marks stops being an error.
import type { Handler, HandlerResult } from 'live-dev-server';

interface User { id: string; tags: string[] }
declare const user: User;
class Point {
	constructor(public x: number) {}
}

export const accepted: HandlerResult[] = [
	'html', 1, true, null, [1, 'two'], { a: 1, b: [null] },
	user, [user], { user, count: 1 }, { users: [user] }, new Point(1), { when: new Date(0) },
	new Uint8Array(1), Buffer.from('x'), new ArrayBuffer(1), new DataView(new ArrayBuffer(1)), new Blob([]), new ReadableStream<Uint8Array>(),
	Response.json({}),
];
export const asyncHandler: Handler = async () => ({ id: '1', tags: [] });

// @ts-expect-error a Map has no JSON form (it would be sent as {})
export const map: HandlerResult = new Map();
// @ts-expect-error a Set neither
export const set: HandlerResult = new Set();
// @ts-expect-error a function is not a value to send
export const fn: HandlerResult = () => 1;
// @ts-expect-error a Map inside an object literal
export const nestedMap: HandlerResult = { users: new Map() };
// @ts-expect-error undefined: a missing return
export const missing: HandlerResult = undefined;

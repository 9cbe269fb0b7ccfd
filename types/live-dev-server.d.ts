// Types for Live Dev Server's request handlers (files under api/ that answer requests; see the README).
//
// To use them, copy this file into your project: anywhere your tsconfig.json includes, or next to your handlers
// with `/// <reference path="./live-dev-server.d.ts" />` in one of them. Then
//
//   import type { Handler, HandlerContext } from 'live-dev-server';
//
// works in your handlers. Nothing is installed: type-only imports are erased when handlers are compiled. The
// types use the Web-standard Request, Response, Blob and ReadableStream globals (lib "DOM", or @types/node).
//
//   // api/users/[id].ts  ->  /api/users/:id
//   import type { HandlerContext } from 'live-dev-server';
//   export function GET(request: Request, { params }: HandlerContext<{ id: string }>) {
//   	return { id: params.id };            // plain object -> JSON
//   }
declare module 'live-dev-server' {
	/** The methods a handler module may export by name. HEAD falls back to GET (without the body). */
	export type HandlerMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD';

	/** Plain data, sent as JSON (a string alone is sent as HTML). Values with `toJSON` (a `Date`) count as data. */
	export type JsonValue =
		| string | number | boolean | null
		| readonly (JsonValue | JsonObject)[]
		| { readonly [key: string]: JsonValue | JsonObject | undefined }
		| { toJSON(): unknown };

	/**
	 * An object sent as JSON that TypeScript cannot check key by key: a value typed by an interface, or a class
	 * instance with data fields. Maps, Sets, binary data, streams and functions have no JSON form and are left out
	 * (they would be sent as `{}`; the server answers 500 for them).
	 */
	export type JsonObject = object & {
		readonly size?: never; // Map, Set, Blob
		readonly byteLength?: never; // typed arrays, ArrayBuffer, DataView
		readonly getReader?: never; // ReadableStream
		readonly call?: never; // functions
	};

	/** Sent as the response body as is: `application/octet-stream` (a Blob: its own type); a stream streams. */
	export type BodyValue = ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

	/**
	 * What a handler returns (or resolves to):
	 * - a `Response` (any status, headers, and a string, bytes or a `ReadableStream` body: streaming works);
	 * - a `string`: 200, `text/html; charset=utf-8`;
	 * - bytes (`Uint8Array`, `Buffer`, `ArrayBuffer`, `DataView`), a `Blob` or a `ReadableStream`: 200, the body;
	 * - other plain data (object, array, number, boolean, null): 200, `application/json`.
	 */
	export type HandlerResult = Response | JsonValue | BodyValue | JsonObject;

	/** A small, read-only description of where the handler runs. */
	export interface HandlerEnv {
		/** Absolute path of the served folder. */
		readonly root: string;
		/** Absolute path of the handlers folder. */
		readonly handlersDir: string;
		/** Always 'development': handlers run inside a development server. */
		readonly mode: 'development';
	}

	export interface HandlerContext<Params extends Record<string, string> = Record<string, string>> {
		/** Route parameters, decoded once: `[id].ts` gives `params.id`; a catch-all `[...rest].ts` gives the rest joined by `/`. */
		readonly params: Readonly<Params>;
		/** IP address of the client that sent the request (the browser, not the server's internal proxy). */
		readonly clientAddress: string;
		/** The route pattern that matched, e.g. `/api/users/:id`. */
		readonly route: string;
		readonly env: HandlerEnv;
	}

	/**
	 * A request handler: Web-standard `Request` in, `Response` (or a string, or JSON data) out; may be async.
	 * `request.signal` aborts when the client disconnects.
	 */
	export type Handler<Params extends Record<string, string> = Record<string, string>> = (
		request: Request,
		context: HandlerContext<Params>,
	) => HandlerResult | Promise<HandlerResult>;

	/**
	 * A handler module: named method exports, and/or a default export (a function, or an object with `fetch`) that
	 * answers every method without a named export. A method with neither answers 405 with `Allow`.
	 */
	export type HandlerModule = { readonly [Method in HandlerMethod]?: Handler } & {
		readonly default?: Handler | { readonly fetch: Handler };
	};
}

/**
 * The globals the worker's own code (adapters, result rules, error reports) uses, captured when the worker starts,
 * before any handler code runs: a handler that replaces `globalThis.Response`, `JSON.stringify` or `Map` breaks
 * only its own code, never the other routes or the error pages. (What cannot be captured, such as prototypes, is
 * covered by replacing the worker when its own code fails: see handlerWorker.ts.)
 */
export const WebRequest = globalThis.Request;
export const WebResponse = globalThis.Response;
export const WebHeaders = globalThis.Headers;
export const SafeAbortController = globalThis.AbortController;
export const SafeMap = globalThis.Map;
export const SafeError = globalThis.Error;
export const SafeTypeError = globalThis.TypeError;
export const SafeUint8Array = globalThis.Uint8Array;
export const jsonStringify = JSON.stringify;
export const jsonParse = JSON.parse;
export const safeDecodeURIComponent = globalThis.decodeURIComponent;
export const { freeze, getPrototypeOf, keys, assign } = Object;
export const objectPrototype = Object.prototype;
export const isArray = Array.isArray;
export const isArrayBufferView = ArrayBuffer.isView;
/** `Object.prototype.toString.call(value)`, immune to a later change of either. */
export const toStringTag: (value: unknown) => string = Function.prototype.call.bind(Object.prototype.toString) as (value: unknown) => string;

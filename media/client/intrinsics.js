// @ts-check
// The browser functions the client uses, captured while they are pristine: this bundle runs first in <head>,
// before the page's own scripts (synchronous injection), which may later replace or break any global
// (window.WebSocket = null, a throwing setTimeout, patched prototypes) or clobber document properties with named
// elements (<form name="body">). Every other module imports this one, so its body runs first in the bundle.

/** Turns a method into a function taking `this` first, immune to later changes of Function.prototype.call. */
const uncurry = /** @type {(method: Function) => (self: any, ...args: any[]) => any} */ (Function.prototype.bind.bind(Function.prototype.call));
const getter = (/** @type {object} */ prototype, /** @type {string} */ name) => uncurry(/** @type {Function} */ (Object.getOwnPropertyDescriptor(prototype, name)?.get));

export const NativeWebSocket = WebSocket;
export const NativeURL = URL;
export const NativeDOMParser = DOMParser;
export const ScriptElement = HTMLScriptElement;
export const LinkElement = HTMLLinkElement;
export const ImportRule = CSSImportRule;
export const setTimer = setTimeout;
export const clearTimer = clearTimeout;
export const fetchUrl = fetch;
export const parseJson = JSON.parse;
export const toJson = JSON.stringify;
export const isArray = Array.isArray;
export const random = Math.random;
export const now = Date.now;
export const then = uncurry(Promise.prototype.then);
export const listen = uncurry(EventTarget.prototype.addEventListener);
export const send = uncurry(WebSocket.prototype.send);
export const closeSocket = uncurry(WebSocket.prototype.close);
export const reloadLocation = uncurry(location.reload);
export const createElement = uncurry(Document.prototype.createElement);
export const queryAll = uncurry(Document.prototype.querySelectorAll);
export const currentScript = getter(Document.prototype, 'currentScript');
export const documentElement = getter(Document.prototype, 'documentElement');
export const styleSheets = getter(Document.prototype, 'styleSheets');
export const bodyOf = getter(Document.prototype, 'body');
export const appendChild = uncurry(Node.prototype.appendChild);
export const removeNode = uncurry(Element.prototype.remove);

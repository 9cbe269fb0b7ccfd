// Types for dynamic handlers: `import type { Handler, HandlerContext } from 'live-dev-server';`
// (type-only imports are erased when handlers are compiled, so nothing needs to be installed at run time).
export type {
	Handler,
	HandlerContext,
	HandlerEnv,
	HandlerMethod,
	HandlerModule,
	HandlerResult,
	BodyValue,
	JsonObject,
	JsonValue,
} from '../server-core/handlers/types';

/// <reference path="../../types/live-dev-server.d.ts" />
/**
 * The public API of dynamic handlers lives in types/live-dev-server.d.ts, a standalone declaration file that
 * users copy into their projects (`import type { Handler } from 'live-dev-server'`). The server imports it from
 * here, with the one value it needs.
 */
import type { HandlerMethod } from 'live-dev-server';

export type { Handler, HandlerContext, HandlerEnv, HandlerMethod, HandlerModule } from 'live-dev-server';

export const HANDLER_METHODS: readonly HandlerMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];

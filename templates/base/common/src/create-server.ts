/**
 * Builds the whole server without listening: settings → AppContext → module init (registry order) → routes →
 * framework listener → edge pipeline → http.Server. `server.ts` listens; tests call this with their own env.
 */
import http, { type Server } from 'node:http';
import type { DestinationStream } from 'pino';
import { appModules } from './app-modules.js';
import { clientErrorHandler } from './core/client-error.js';
import { buildEdge } from './core/edge/pipeline.js';
import { createLogger } from './core/logger.js';
import { Metrics } from './core/metrics.js';
import { type Env, loadSettings } from './core/settings.js';
import { MemoryStore } from './core/store.js';
import type { AppContext, AuthProvider, Module, RouteDef } from './core/types.js';
import { createFrameworkListener } from './framework.js';
import { modules, type Settings, settingsShape } from './registry.js';

export interface CreateServerOptions {
  env: Env;
  /** Where JSON log lines go (tests capture them); stdout by default. */
  logStream?: DestinationStream;
  /** Routes added after the modules' routes (tests: a route that throws, a slow route). */
  extraRoutes?: RouteDef[];
}

export interface RunningServer {
  server: Server;
  app: AppContext;
  /** Graceful shutdown (C35): stop accepting, let in-flight requests finish, close modules. Idempotent. */
  close(): Promise<void>;
}

/** Heroku sends SIGKILL 30 s after SIGTERM; everything must be done before. */
export const SHUTDOWN_BUDGET_MS = 25_000;
const MODULE_CLOSE_BUDGET_MS = 5_000;

/** Until an auth module replaces it, nobody is authenticated: protected routes answer 401. */
const nobody: AuthProvider = { authenticate: async () => null };

export async function createServer(options: CreateServerOptions): Promise<RunningServer> {
  // The generator's modules (registry order), then the project's own (src/app-modules.ts).
  const all: readonly Module[] = [...modules, ...appModules];
  const settings = loadSettings<typeof settingsShape, Settings>(options.env, settingsShape, all);
  const log = createLogger(settings.LOG_LEVEL, options.logStream);
  const app: AppContext = {
    settings,
    log,
    store: new MemoryStore(),
    metrics: new Metrics(),
    auth: nobody,
    shuttingDown: false,
    modules: all,
  };

  const initialised: Module[] = [];
  try {
    for (const module of all) {
      await module.init?.(app);
      initialised.push(module);
    }
  } catch (err) {
    // Undo what the modules before the failing one opened (pools, timers), then fail the boot.
    await closeModules(app, initialised);
    throw err;
  }

  const routes: RouteDef[] = [...all.flatMap((module) => module.routes?.(app) ?? []), ...(options.extraRoutes ?? [])];
  const framework = await createFrameworkListener(app, routes);
  const edge = buildEdge(app, all, framework);

  const headersTimeout = settings.HEADERS_TIMEOUT_MS;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(settings.REQUEST_BODY_TIMEOUT_MS, headersTimeout),
      // Node checks the two timeouts above on this interval (30 s by default, far too coarse for them).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeout / 4))),
    },
    edge.listener,
  );
  server.on('clientError', clientErrorHandler(settings.NODE_ENV === 'production', log));
  app.server = server;
  for (const module of all) module.attach?.(app, server);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      app.shuttingDown = true;
      const started = Date.now();
      await drain(server, SHUTDOWN_BUDGET_MS - MODULE_CLOSE_BUDGET_MS);
      edge.stop();
      await closeModules(app, all);
      await app.store.close?.().catch(() => undefined);
      log.info({ event: 'shutdown', ms: Date.now() - started }, 'server closed');
      await new Promise<void>((resolve) => log.flush(() => resolve()));
    })();
    return closing;
  };

  return { server, app, close };
}

/** Stop accepting; close idle keep-alive connections as they become idle; after `budgetMs`, cut the rest. */
function drain(server: Server, budgetMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const poll = setInterval(() => server.closeIdleConnections(), 100);
    const cut = setTimeout(() => server.closeAllConnections(), budgetMs);
    server.close(() => {
      clearInterval(poll);
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

async function closeModules(app: AppContext, list: readonly Module[]): Promise<void> {
  const deadline = Date.now() + MODULE_CLOSE_BUDGET_MS;
  for (const module of [...list].reverse()) {
    if (!module.close) continue;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        module.close(app),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('close timed out')), Math.max(100, deadline - Date.now()));
        }),
      ]);
    } catch (err) {
      app.log.error({ err, module: module.name }, 'module close failed');
    } finally {
      clearTimeout(timer);
    }
  }
}

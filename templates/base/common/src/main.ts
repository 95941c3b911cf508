/**
 * The web process, started by server.ts once the units' preloads have begun. Settings are validated before
 * the port is bound: a bad configuration exits 1 with a message naming each bad variable (C21). SIGTERM
 * (Heroku restarts, deploys) and SIGINT drain in-flight requests, then exit 0 (C35).
 *
 * Importing this module does nothing but define `start()`: the build imports the bundled app once, without
 * starting it, to leave V8's compiled code beside it (scripts/bundle.mjs).
 */
import { existsSync } from 'node:fs';
import { SettingsError } from './core/settings.js';
import { createServer } from './create-server.js';

export async function start(): Promise<void> {
  // `.env` is for development only; in production configuration comes from the platform (Heroku config vars).
  if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env');

  let running: Awaited<ReturnType<typeof createServer>>;
  try {
    running = await createServer({ env: process.env });
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(err.message);
      process.exit(1);
    }
    // Anything else at boot is configuration too (an unreadable list file, an unreachable service): one clear
    // line; the stack only when asked for.
    const debug = process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace';
    console.error(`Could not start: ${err instanceof Error ? err.message : String(err)}`);
    if (debug && err instanceof Error) console.error(err.stack);
    else console.error('(Set LOG_LEVEL=debug to see where it failed.)');
    process.exit(1);
  }

  const { server, app, close } = running;
  const port = app.settings.PORT;

  server.listen(port, () => {
    app.log.info(
      { event: 'startup', port, env: app.settings.NODE_ENV, modules: app.modules?.map((m) => m.name) },
      'listening',
    );
  });

  let stopping = false;
  function shutdown(signal: string): void {
    if (stopping) return;
    stopping = true;
    app.log.info({ event: 'shutdown_started', signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  process.on('uncaughtException', (err) => {
    app.log.fatal({ err, event: 'uncaught_exception' }, 'uncaught exception');
    // The process state is unknown: exit (Heroku restarts the dyno) once the log line is out.
    app.log.flush(() => process.exit(1));
    setTimeout(() => process.exit(1), 1000).unref();
  });
}

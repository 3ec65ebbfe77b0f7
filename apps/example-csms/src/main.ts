import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCsms } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createConsoleLogger } from './logger.js';
import { redactDatabaseUrl } from './store/openStore.js';
import { DEMO_ID_TAG, simulateCommand } from './seed.js';

/** The app directory (one level above src/ or dist/): DATABASE_FILE resolves against it. */
const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Whether `npx chargewire` can run here: in the repository the CLI's bin loads its dist/, which exists only
 * after `npm run build`; the banner says so instead of printing a command that fails.
 */
function cliBuilt(): boolean {
  try {
    const pkg = createRequire(import.meta.url).resolve('@chargewire/cli/package.json');
    return existsSync(join(dirname(pkg), 'dist', 'bin.js'));
  } catch {
    return true; // not in the workspace: npx fetches the published CLI
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, appDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`configuration error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createConsoleLogger(config.logLevel);
  const csms = await createCsms({ ...config, logger });

  let closing: Promise<void> | undefined;
  const shutdown = (signal: string): void => {
    if (closing !== undefined) {
      // A second Ctrl-C: the user does not want to wait.
      logger.warn(`received ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    logger.info(`received ${signal}, shutting down`);
    closing = csms.close().then(
      () => {
        logger.info('shutdown complete');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  const address = await csms.listen();
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = `${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  const adminLine =
    csms.generatedAdminToken !== undefined
      ? [
          `  Admin token: ${csms.generatedAdminToken}`,
          '               (shown only now; stored hashed. Log in to the dashboard with it, or send',
          '               "Authorization: Bearer <token>" to the REST API and /metrics. ROTATE_ADMIN_TOKEN=1 makes a new one.)',
        ]
      : config.adminToken !== undefined
        ? ['  Admin token: the value of ADMIN_TOKEN']
        : ['  Admin token: created on the first start (printed then); ROTATE_ADMIN_TOKEN=1 npm start prints a new one'];
  const lines = [
    '',
    `  chargewire example CSMS (node ${csms.nodeId}) is listening on ${config.host}:${address.port}`,
    `  Dashboard:  http://${base}/`,
    ...adminLine,
    `  REST API:   http://${base}/api/v1/chargers   (Authorization: Bearer <admin token>)`,
    `  OCPP:       ws://${base}/api/v1/chargers/<charger id>   (${config.protocols.join(', ')})`,
    `  Database:   ${config.databaseUrl === undefined ? config.databaseFile : `PostgreSQL ${redactDatabaseUrl(config.databaseUrl)}`}`,
    `  Security:   profile ${config.securityProfile}${config.securityProfile === 0 ? ' (no auth for chargers without stored credentials)' : ' (Basic auth required)'}; unknown chargers: ${config.unknownChargers}`,
    config.redisUrl === undefined ? '  Cluster:    off (set REDIS_URL to share chargers between instances)' : '  Cluster:    on (Redis adapter)',
    '',
    '  Connect a simulated charger (in it: p plugs in, t taps the demo id tag, s starts/stops, m sends meter values):',
    `    ${simulateCommand(`ws://${base}/api/v1/chargers/CP-1`)}`,
    ...(cliBuilt() ? [] : ['    (the CLI is not built yet: run `npm run build` once, then this command works)']),
    `  or remote start it from the dashboard with the id tag ${DEMO_ID_TAG}.`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

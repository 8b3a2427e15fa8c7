import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config';

/** Read ./.env when present (Node's own loader), then validate; a bad value ends the process with one line. */
export function loadConfigOrExit(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ShopCrew configuration error: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

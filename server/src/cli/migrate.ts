import { createDataSource } from '../db/data-source';
import { loadConfigOrExit } from '../config/load-env';

/** npm run db:migrate — apply pending migrations and list what ran. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const ds = createDataSource(config.DATABASE_URL);
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  process.stdout.write(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}\n` : 'database is up to date\n');
  await ds.destroy();
}

main().catch((err) => {
  process.stderr.write(`migration failed: ${(err as Error).message}\n`);
  process.exit(1);
});

import { prepareConfigOrExit } from '../config/load';
import { createDb, migrateLatest, rollbackAllMigrations } from '../db/knex';

const HELP = `Usage: npm run migrate [-- down]

Applies the shop schema and the sync's own mc_ tables to DATABASE_URL (knex migrations).
down   rolls every migration back: it DROPS the shop and mc_ tables (development databases only).`;

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === '--help' || arg === '-h') return console.log(HELP);
  const db = createDb();
  try {
    if (arg === 'down') {
      await rollbackAllMigrations(db);
      console.log('Rolled back every migration.');
    } else if (arg === undefined) {
      const applied = await migrateLatest(db);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
    } else {
      throw new Error(`Unknown argument "${arg}".\n${HELP}`);
    }
  } finally {
    await db.destroy();
  }
}

prepareConfigOrExit('migrate');
main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});

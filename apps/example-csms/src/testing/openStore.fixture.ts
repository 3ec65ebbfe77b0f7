// Child process for the migration race test: opens the store given in argv[2] and prints its migration.
import { openStore } from '../store/openStore.js';

// argv[2]: a SQLite file, or a postgres:// URL.
const target = process.argv[2] as string;
const store = await openStore(target.startsWith('postgres') ? { databaseUrl: target, databaseFile: '' } : { databaseFile: target });
process.stdout.write(JSON.stringify(store.migration));
await store.close();

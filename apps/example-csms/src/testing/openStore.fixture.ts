// Child process for the migration race test: opens the store given in argv[2] and prints its migration.
import { SqliteStore } from '../store/sqliteStore.js';

const store = new SqliteStore(process.argv[2] as string);
process.stdout.write(JSON.stringify(store.migration));
store.close();

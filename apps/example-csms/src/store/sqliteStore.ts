import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { ChargerRepository } from './chargerRepository.js';
import { ConnectorRepository } from './connectorRepository.js';
import { IdTagRepository } from './idTagRepository.js';
import { MeterValueRepository } from './meterValueRepository.js';
import { migrate } from './migrations.js';
import { OperatorRepository } from './operatorRepository.js';
import { RemoteStartRepository } from './remoteStartRepository.js';
import { TransactionRepository } from './transactionRepository.js';

/** The embedded store: one SQLite file (or `:memory:`), created and migrated when opened. */
export class SqliteStore {
  readonly db: Database;
  readonly chargers: ChargerRepository;
  readonly connectors: ConnectorRepository;
  readonly idTags: IdTagRepository;
  readonly transactions: TransactionRepository;
  readonly meterValues: MeterValueRepository;
  readonly operators: OperatorRepository;
  readonly remoteStarts: RemoteStartRepository;
  /** Schema version before and after opening (from 0 on a fresh file). */
  readonly migration: { from: number; to: number };

  /**
   * @param file path of the database file (its directory is created) or `:memory:`.
   */
  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new BetterSqlite3(file);
    try {
      // WAL lets several app instances on one host share the file (cluster mode) and keeps readers unblocked.
      if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('synchronous = NORMAL');
      this.migration = migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.chargers = new ChargerRepository(this.db);
    this.connectors = new ConnectorRepository(this.db);
    this.idTags = new IdTagRepository(this.db);
    this.transactions = new TransactionRepository(this.db);
    this.meterValues = new MeterValueRepository(this.db);
    this.operators = new OperatorRepository(this.db);
    this.remoteStarts = new RemoteStartRepository(this.db);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Checkpoints the WAL into the main file and closes; safe to call twice. */
  close(): void {
    if (!this.db.open) return;
    if (this.file !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

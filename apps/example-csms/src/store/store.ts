import { ChargerRepository } from './chargerRepository.js';
import { ConnectorRepository } from './connectorRepository.js';
import { IdTagRepository } from './idTagRepository.js';
import { MeterValueRepository } from './meterValueRepository.js';
import { OperatorRepository } from './operatorRepository.js';
import { RemoteStartRepository } from './remoteStartRepository.js';
import type { SqlDatabase, SqlDialect, SqlExecutor } from './sqlDatabase.js';
import { TransactionRepository } from './transactionRepository.js';

/** Every repository, over one executor: the database itself or one open transaction. */
export interface Repositories {
  readonly chargers: ChargerRepository;
  readonly connectors: ConnectorRepository;
  readonly idTags: IdTagRepository;
  readonly transactions: TransactionRepository;
  readonly meterValues: MeterValueRepository;
  readonly operators: OperatorRepository;
  readonly remoteStarts: RemoteStartRepository;
}

function repositoriesOver(sql: SqlExecutor): Repositories {
  return {
    chargers: new ChargerRepository(sql),
    connectors: new ConnectorRepository(sql),
    idTags: new IdTagRepository(sql),
    transactions: new TransactionRepository(sql),
    meterValues: new MeterValueRepository(sql),
    operators: new OperatorRepository(sql),
    remoteStarts: new RemoteStartRepository(sql),
  };
}

/**
 * The CSMS's data: the repositories over a SQLite file or a PostgreSQL database (see `openStore`). Each
 * repository method is one statement (or an atomic pair); `transaction` groups several into one unit.
 */
export class Store implements Repositories {
  readonly chargers: ChargerRepository;
  readonly connectors: ConnectorRepository;
  readonly idTags: IdTagRepository;
  readonly transactions: TransactionRepository;
  readonly meterValues: MeterValueRepository;
  readonly operators: OperatorRepository;
  readonly remoteStarts: RemoteStartRepository;

  /**
   * @param db an open, migrated database.
   * @param migration schema version before and after opening (`from` is 0 on a fresh database).
   */
  constructor(
    readonly db: SqlDatabase,
    readonly migration: { from: number; to: number },
  ) {
    ({
      chargers: this.chargers,
      connectors: this.connectors,
      idTags: this.idTags,
      transactions: this.transactions,
      meterValues: this.meterValues,
      operators: this.operators,
      remoteStarts: this.remoteStarts,
    } = repositoriesOver(db));
  }

  get dialect(): SqlDialect {
    return this.db.dialect;
  }

  get isOpen(): boolean {
    return this.db.isOpen;
  }

  /** Runs `fn` in one database transaction (see SqlDatabase.transaction: it may run again on a deadlock). */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.db.transaction((sql) => fn(repositoriesOver(sql)));
  }

  /** Closes the file or ends the pool; safe to call twice. */
  close(): Promise<void> {
    return this.db.close();
  }
}

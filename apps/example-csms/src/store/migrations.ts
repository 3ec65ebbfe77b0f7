import type { Database } from 'better-sqlite3';

/**
 * Schema migrations, applied in order. `PRAGMA user_version` records how many have run, so a fresh file
 * is created from scratch and an existing one only gets the steps it has not seen. Never edit a
 * migration that has shipped: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE chargers (
    id                  TEXT PRIMARY KEY,
    password_hash       TEXT,
    registration_status TEXT NOT NULL DEFAULT 'Accepted'
                        CHECK (registration_status IN ('Accepted', 'Pending', 'Rejected')),
    description         TEXT,
    vendor              TEXT,
    model               TEXT,
    serial_number       TEXT,
    firmware_version    TEXT,
    protocol            TEXT,
    node_id             TEXT,
    connection_id       TEXT,
    connected_at        TEXT,
    disconnected_at     TEXT,
    last_boot_at        TEXT,
    last_heartbeat_at   TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
  );

  CREATE TABLE connectors (
    charger_id     TEXT NOT NULL REFERENCES chargers(id) ON DELETE CASCADE,
    connector_id   INTEGER NOT NULL CHECK (connector_id >= 0),
    status         TEXT NOT NULL,
    error_code     TEXT,
    info           TEXT,
    status_at      TEXT NOT NULL,
    PRIMARY KEY (charger_id, connector_id)
  );

  CREATE TABLE id_tags (
    id_tag         TEXT PRIMARY KEY,
    status         TEXT NOT NULL DEFAULT 'Accepted'
                   CHECK (status IN ('Accepted', 'Blocked', 'Expired', 'Invalid')),
    expiry_date    TEXT,
    parent_id_tag  TEXT,
    description    TEXT,
    created_at     TEXT NOT NULL
  );

  CREATE TABLE transactions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    charger_id          TEXT NOT NULL REFERENCES chargers(id) ON DELETE CASCADE,
    ocpp_transaction_id TEXT NOT NULL,
    protocol            TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    id_tag              TEXT,
    auth_status         TEXT,
    remote_start_id     INTEGER,
    started_at          TEXT NOT NULL,
    stopped_at          TEXT,
    meter_start_wh      REAL,
    last_meter_wh       REAL,
    meter_stop_wh       REAL,
    stop_reason         TEXT,
    charging_state      TEXT,
    updated_at          TEXT NOT NULL,
    UNIQUE (charger_id, ocpp_transaction_id)
  );
  CREATE INDEX transactions_active ON transactions (charger_id, stopped_at);

  CREATE TABLE meter_values (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    charger_id      TEXT NOT NULL REFERENCES chargers(id) ON DELETE CASCADE,
    connector_id    INTEGER NOT NULL,
    transaction_id  INTEGER REFERENCES transactions(id) ON DELETE CASCADE,
    timestamp       TEXT NOT NULL,
    measurand       TEXT NOT NULL,
    phase           TEXT,
    location        TEXT,
    context         TEXT,
    unit            TEXT,
    value           REAL,
    raw_value       TEXT
  );
  CREATE INDEX meter_values_transaction ON meter_values (transaction_id, timestamp);
  `,
  // Operator credentials: only SHA-256 hashes of random tokens and session ids are stored (both are
  // 256-bit random values, so a fast hash is enough; a leaked database file does not log anyone in).
  `
  CREATE TABLE operator_tokens (
    token_hash  TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
  );

  CREATE TABLE operator_sessions (
    session_hash TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
  );
  CREATE INDEX operator_sessions_expiry ON operator_sessions (expires_at);
  `,
  // Who ended a transaction: 'charger' (StopTransaction / TransactionEvent Ended), 'csms' (refused at start,
  // superseded on its connector, reconciled after a reboot or an Available connector) or 'operator'
  // (force-closed over REST). A charger's own stop report replaces a stop the CSMS only inferred.
  // remote_starts binds a 2.0.1 remoteStartId to the id token the CSMS asked for (E02: TransactionEvents
  // after a remote start need not carry the idToken).
  `
  ALTER TABLE transactions ADD COLUMN closed_by TEXT CHECK (closed_by IN ('charger', 'csms', 'operator'));
  UPDATE transactions SET closed_by = 'charger' WHERE stopped_at IS NOT NULL;
  CREATE INDEX transactions_connector ON transactions (charger_id, connector_id, stopped_at);
  CREATE INDEX transactions_id_tag ON transactions (id_tag, stopped_at);

  CREATE TABLE remote_starts (
    charger_id      TEXT NOT NULL,
    remote_start_id INTEGER NOT NULL,
    id_tag          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (charger_id, remote_start_id)
  );
  CREATE INDEX remote_starts_age ON remote_starts (created_at);
  `,
];

/**
 * Brings the database to the newest schema version, one IMMEDIATE transaction per step. The version is
 * re-read inside each transaction, so two instances starting at once on a fresh shared file (cluster
 * mode) do not both run a step.
 */
export function migrate(db: Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const step = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new Error(
        `database schema version ${version} is newer than this app knows (${MIGRATIONS.length}); refusing to downgrade`,
      );
    }
    if (version === MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[version] as string);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one step per transaction
  }
  return { from, to: MIGRATIONS.length };
}

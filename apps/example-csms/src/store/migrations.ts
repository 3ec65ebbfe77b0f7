import type { SqlDialect } from './sqlDatabase.js';

/** One schema step, written for each dialect (same tables, columns and constraints; native types). */
export type Migration = Readonly<Record<SqlDialect, string>>;

/** Steps 2 to 4 are plain SQL both dialects accept: written once. */
function both(sql: string): Migration {
  return { sqlite: sql, postgres: sql };
}

/**
 * Schema migrations, applied in order. Each database records how many have run (SQLite: `PRAGMA
 * user_version`; PostgreSQL: the `schema_migrations` table), so a fresh database is created from scratch
 * and an existing one only gets the steps it has not seen. Never edit a migration that has shipped:
 * append a new one. Timestamps are ISO-8601 text in both dialects, so they compare the same way.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    sqlite: `
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
    // 1.6 transaction ids are 32-bit integers (INTEGER); identity columns number rows across every node.
    postgres: `
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
    id                  INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    charger_id          TEXT NOT NULL REFERENCES chargers(id) ON DELETE CASCADE,
    ocpp_transaction_id TEXT NOT NULL,
    protocol            TEXT NOT NULL,
    connector_id        INTEGER NOT NULL,
    id_tag              TEXT,
    auth_status         TEXT,
    remote_start_id     INTEGER,
    started_at          TEXT NOT NULL,
    stopped_at          TEXT,
    meter_start_wh      DOUBLE PRECISION,
    last_meter_wh       DOUBLE PRECISION,
    meter_stop_wh       DOUBLE PRECISION,
    stop_reason         TEXT,
    charging_state      TEXT,
    updated_at          TEXT NOT NULL,
    UNIQUE (charger_id, ocpp_transaction_id)
  );
  CREATE INDEX transactions_active ON transactions (charger_id, stopped_at);

  CREATE TABLE meter_values (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    charger_id      TEXT NOT NULL REFERENCES chargers(id) ON DELETE CASCADE,
    connector_id    INTEGER NOT NULL,
    transaction_id  INTEGER REFERENCES transactions(id) ON DELETE CASCADE,
    timestamp       TEXT NOT NULL,
    measurand       TEXT NOT NULL,
    phase           TEXT,
    location        TEXT,
    context         TEXT,
    unit            TEXT,
    value           DOUBLE PRECISION,
    raw_value       TEXT
  );
  CREATE INDEX meter_values_transaction ON meter_values (transaction_id, timestamp);
  `,
  },
  // Operator credentials: only SHA-256 hashes of random tokens and session ids are stored (both are
  // 256-bit random values, so a fast hash is enough; a leaked database file does not log anyone in).
  both(`
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
  `),
  // Who ended a transaction: 'charger' (StopTransaction / TransactionEvent Ended), 'csms' (refused at start,
  // superseded on its connector, reconciled after a reboot or an Available connector) or 'operator'
  // (force-closed over REST). A charger's own stop report replaces a stop the CSMS only inferred.
  // remote_starts binds a 2.0.1 remoteStartId to the id token the CSMS asked for (E02: TransactionEvents
  // after a remote start need not carry the idToken).
  both(`
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
  `),
  // Cluster mode across hosts: two nodes may receive the same reading (a charger that reconnected elsewhere
  // re-sends what was not answered), so an identical sample is stored once (ON CONFLICT DO NOTHING against
  // this index); meter_start_at and last_meter_at let the earliest reading be the start and the newest the
  // last, however the writes interleave.
  both(`
  ALTER TABLE transactions ADD COLUMN meter_start_at TEXT;
  ALTER TABLE transactions ADD COLUMN last_meter_at TEXT;
  UPDATE transactions SET meter_start_at = started_at WHERE meter_start_wh IS NOT NULL;
  DELETE FROM meter_values WHERE id NOT IN (
    SELECT MIN(id) FROM meter_values GROUP BY charger_id, connector_id, timestamp, measurand,
      COALESCE(phase, ''), COALESCE(location, ''), COALESCE(context, ''), COALESCE(value, -1), COALESCE(raw_value, ''));
  CREATE UNIQUE INDEX meter_values_sample ON meter_values (charger_id, connector_id, timestamp, measurand,
    COALESCE(phase, ''), COALESCE(location, ''), COALESCE(context, ''), COALESCE(value, -1), COALESCE(raw_value, ''));
  `),
];

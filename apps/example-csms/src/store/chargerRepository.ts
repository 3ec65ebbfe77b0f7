import type { Database, Statement } from 'better-sqlite3';
import type { ChargerRecord, RegistrationStatus } from './records.js';

interface ChargerRow {
  id: string;
  password_hash: string | null;
  registration_status: RegistrationStatus;
  description: string | null;
  vendor: string | null;
  model: string | null;
  serial_number: string | null;
  firmware_version: string | null;
  protocol: string | null;
  node_id: string | null;
  connection_id: string | null;
  connected_at: string | null;
  disconnected_at: string | null;
  last_boot_at: string | null;
  last_heartbeat_at: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(row: ChargerRow): ChargerRecord {
  return {
    id: row.id,
    hasPassword: row.password_hash !== null,
    registrationStatus: row.registration_status,
    description: row.description,
    vendor: row.vendor,
    model: row.model,
    serialNumber: row.serial_number,
    firmwareVersion: row.firmware_version,
    protocol: row.protocol,
    nodeId: row.connection_id === null ? null : row.node_id,
    connected: row.connection_id !== null,
    connectedAt: row.connected_at,
    disconnectedAt: row.disconnected_at,
    lastBootAt: row.last_boot_at,
    lastHeartbeatAt: row.last_heartbeat_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewCharger {
  id: string;
  passwordHash: string | null;
  registrationStatus: RegistrationStatus;
  description?: string | null;
}

export interface BootInfo {
  vendor: string | null;
  model: string | null;
  serialNumber: string | null;
  firmwareVersion: string | null;
}

/** Chargers, their credentials (as scrypt hashes) and where they are connected. */
export class ChargerRepository {
  readonly #db: Database;
  readonly #get: Statement<[string], ChargerRow>;
  readonly #list: Statement<[], ChargerRow>;

  constructor(db: Database) {
    this.#db = db;
    this.#get = db.prepare('SELECT * FROM chargers WHERE id = ?');
    this.#list = db.prepare('SELECT * FROM chargers ORDER BY id');
  }

  get(id: string): ChargerRecord | undefined {
    const row = this.#get.get(id);
    return row && toRecord(row);
  }

  list(): ChargerRecord[] {
    return this.#list.all().map(toRecord);
  }

  /** The stored scrypt hash, or null when the charger has no password; undefined when unknown. */
  passwordHash(id: string): string | null | undefined {
    const row = this.#get.get(id);
    return row === undefined ? undefined : row.password_hash;
  }

  /** Inserts a charger; returns false when the id already exists. */
  insert(charger: NewCharger, now: string): boolean {
    const result = this.#db
      .prepare(
        `INSERT INTO chargers (id, password_hash, registration_status, description, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(charger.id, charger.passwordHash, charger.registrationStatus, charger.description ?? null, now, now);
    return result.changes === 1;
  }

  update(
    id: string,
    changes: { passwordHash?: string | null; registrationStatus?: RegistrationStatus; description?: string | null },
    now: string,
  ): boolean {
    const sets: string[] = [];
    const values: Array<string | null> = [];
    if (changes.passwordHash !== undefined) {
      sets.push('password_hash = ?');
      values.push(changes.passwordHash);
    }
    if (changes.registrationStatus !== undefined) {
      sets.push('registration_status = ?');
      values.push(changes.registrationStatus);
    }
    if (changes.description !== undefined) {
      sets.push('description = ?');
      values.push(changes.description);
    }
    sets.push('updated_at = ?');
    values.push(now);
    const result = this.#db.prepare(`UPDATE chargers SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
    return result.changes === 1;
  }

  delete(id: string): boolean {
    return this.#db.prepare('DELETE FROM chargers WHERE id = ?').run(id).changes === 1;
  }

  markConnected(id: string, protocol: string, nodeId: string, connectionId: string, now: string): void {
    this.#db
      .prepare(
        `UPDATE chargers SET protocol = ?, node_id = ?, connection_id = ?, connected_at = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(protocol, nodeId, connectionId, now, now, id);
  }

  /** Fenced like the cluster presence: only the connection that is still recorded is cleared. */
  markDisconnected(id: string, connectionId: string, now: string): boolean {
    const result = this.#db
      .prepare(
        `UPDATE chargers SET connection_id = NULL, disconnected_at = ?, updated_at = ?
         WHERE id = ? AND connection_id = ?`,
      )
      .run(now, now, id, connectionId);
    return result.changes === 1;
  }

  /** Clears connections left behind by a node that stopped without cleaning up (crash, kill -9). */
  clearConnectionsOfNode(nodeId: string | null, now: string): number {
    const sql =
      nodeId === null
        ? `UPDATE chargers SET connection_id = NULL, disconnected_at = ?, updated_at = ? WHERE connection_id IS NOT NULL`
        : `UPDATE chargers SET connection_id = NULL, disconnected_at = ?, updated_at = ?
           WHERE connection_id IS NOT NULL AND node_id = ?`;
    const statement = this.#db.prepare(sql);
    return (nodeId === null ? statement.run(now, now) : statement.run(now, now, nodeId)).changes;
  }

  recordBoot(id: string, info: BootInfo, now: string): void {
    this.#db
      .prepare(
        `UPDATE chargers SET vendor = ?, model = ?, serial_number = ?, firmware_version = ?,
         last_boot_at = ?, last_heartbeat_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(info.vendor, info.model, info.serialNumber, info.firmwareVersion, now, now, now, id);
  }

  recordHeartbeat(id: string, now: string): void {
    this.#db.prepare('UPDATE chargers SET last_heartbeat_at = ? WHERE id = ?').run(now, id);
  }
}

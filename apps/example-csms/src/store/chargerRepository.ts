import type { SqlExecutor, SqlValue } from './sqlDatabase.js';
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
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async get(id: string): Promise<ChargerRecord | undefined> {
    const row = await this.#sql.get<ChargerRow>('SELECT * FROM chargers WHERE id = ?', [id]);
    return row && toRecord(row);
  }

  /**
   * Inside a transaction: waits for, then holds, the charger's row lock until the transaction ends, so
   * two nodes handling messages of one charger (one that reconnected elsewhere) take turns. Returns the
   * charger's registration status as of the lock (undefined: no such charger).
   */
  async lock(id: string): Promise<RegistrationStatus | undefined> {
    const row = await this.#sql.get<Pick<ChargerRow, 'registration_status'>>(`SELECT registration_status FROM chargers WHERE id = ?${this.#sql.lockSuffix}`, [id]);
    return row?.registration_status;
  }

  async list(): Promise<ChargerRecord[]> {
    return (await this.#sql.all<ChargerRow>('SELECT * FROM chargers ORDER BY id')).map(toRecord);
  }

  async count(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM chargers'))?.n ?? 0;
  }

  /** The stored scrypt hash, or null when the charger has no password; undefined when unknown. */
  async passwordHash(id: string): Promise<string | null | undefined> {
    const row = await this.#sql.get<{ password_hash: string | null }>('SELECT password_hash FROM chargers WHERE id = ?', [id]);
    return row === undefined ? undefined : row.password_hash;
  }

  /** Inserts a charger; returns false when the id already exists. */
  async insert(charger: NewCharger, now: string): Promise<boolean> {
    const changes = await this.#sql.run(
      `INSERT INTO chargers (id, password_hash, registration_status, description, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      [charger.id, charger.passwordHash, charger.registrationStatus, charger.description ?? null, now, now],
    );
    return changes === 1;
  }

  async update(
    id: string,
    changes: { passwordHash?: string | null; registrationStatus?: RegistrationStatus; description?: string | null },
    now: string,
  ): Promise<boolean> {
    const sets: string[] = [];
    const values: SqlValue[] = [];
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
    return (await this.#sql.run(`UPDATE chargers SET ${sets.join(', ')} WHERE id = ?`, [...values, id])) === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.#sql.run('DELETE FROM chargers WHERE id = ?', [id])) === 1;
  }

  async markConnected(id: string, protocol: string, nodeId: string, connectionId: string, now: string): Promise<void> {
    await this.#sql.run(
      `UPDATE chargers SET protocol = ?, node_id = ?, connection_id = ?, connected_at = ?, updated_at = ?
       WHERE id = ?`,
      [protocol, nodeId, connectionId, now, now, id],
    );
  }

  /** Fenced like the cluster presence: only the connection that is still recorded is cleared. */
  async markDisconnected(id: string, connectionId: string, now: string): Promise<boolean> {
    const changes = await this.#sql.run(
      `UPDATE chargers SET connection_id = NULL, disconnected_at = ?, updated_at = ?
       WHERE id = ? AND connection_id = ?`,
      [now, now, id, connectionId],
    );
    return changes === 1;
  }

  /** Clears connections left behind by a node that stopped without cleaning up (crash, kill -9). */
  async clearConnectionsOfNode(nodeId: string | null, now: string): Promise<number> {
    return nodeId === null
      ? this.#sql.run(`UPDATE chargers SET connection_id = NULL, disconnected_at = ?, updated_at = ? WHERE connection_id IS NOT NULL`, [now, now])
      : this.#sql.run(
          `UPDATE chargers SET connection_id = NULL, disconnected_at = ?, updated_at = ?
           WHERE connection_id IS NOT NULL AND node_id = ?`,
          [now, now, nodeId],
        );
  }

  async recordBoot(id: string, info: BootInfo, now: string): Promise<void> {
    await this.#sql.run(
      `UPDATE chargers SET vendor = ?, model = ?, serial_number = ?, firmware_version = ?,
       last_boot_at = ?, last_heartbeat_at = ?, updated_at = ? WHERE id = ?`,
      [info.vendor, info.model, info.serialNumber, info.firmwareVersion, now, now, now, id],
    );
  }

  async recordHeartbeat(id: string, now: string): Promise<void> {
    await this.#sql.run('UPDATE chargers SET last_heartbeat_at = ? WHERE id = ?', [now, id]);
  }
}

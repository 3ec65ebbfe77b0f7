import type { SqlExecutor } from './sqlDatabase.js';

/** A stored operator credential (its hash only; the token itself is shown once when created). */
export interface OperatorTokenRecord {
  name: string;
  createdAt: string;
}

/**
 * Operator tokens and dashboard sessions, both stored as SHA-256 hashes. Sessions live in the database
 * (not in memory) so that every instance of a cluster sharing the database accepts the same login.
 */
export class OperatorRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async tokenCount(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM operator_tokens'))?.n ?? 0;
  }

  async findToken(tokenHash: string): Promise<OperatorTokenRecord | undefined> {
    const row = await this.#sql.get<{ name: string; created_at: string }>('SELECT name, created_at FROM operator_tokens WHERE token_hash = ?', [tokenHash]);
    return row && { name: row.name, createdAt: row.created_at };
  }

  /** Stores (or replaces) the token named `name`; its sessions end with it. Call it inside a transaction. */
  async putToken(name: string, tokenHash: string, now: string): Promise<void> {
    const old = await this.#sql.get<{ token_hash: string }>(`SELECT token_hash FROM operator_tokens WHERE name = ?${this.#sql.lockSuffix}`, [name]);
    if (old !== undefined) await this.#sql.run('DELETE FROM operator_sessions WHERE token_hash = ?', [old.token_hash]);
    await this.#sql.run('DELETE FROM operator_tokens WHERE name = ?', [name]);
    await this.#sql.run('INSERT INTO operator_tokens (token_hash, name, created_at) VALUES (?, ?, ?)', [tokenHash, name, now]);
  }

  /**
   * Inserts only when no token exists yet; false when another instance created one first (cluster start).
   * One statement: of several instances starting at once, the unique name lets exactly one insert.
   */
  async insertFirstToken(name: string, tokenHash: string, now: string): Promise<boolean> {
    const changes = await this.#sql.run(
      `INSERT INTO operator_tokens (token_hash, name, created_at)
       SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM operator_tokens) ON CONFLICT DO NOTHING`,
      [tokenHash, name, now],
    );
    return changes === 1;
  }

  /** A session is bound to the hash of the token that logged in: rotating the token ends it. */
  async createSession(sessionHash: string, tokenHash: string, now: string, expiresAt: string): Promise<void> {
    // Expired rows are removed here, so the table stays bounded by the logins of one lifetime.
    await this.#sql.run('DELETE FROM operator_sessions WHERE expires_at <= ?', [now]);
    await this.#sql.run('INSERT INTO operator_sessions (session_hash, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)', [sessionHash, tokenHash, now, expiresAt]);
  }

  /** The token hash a live session was created with. */
  async findSession(sessionHash: string, now: string): Promise<string | undefined> {
    return (await this.#sql.get<{ token_hash: string }>('SELECT token_hash FROM operator_sessions WHERE session_hash = ? AND expires_at > ?', [sessionHash, now]))?.token_hash;
  }

  async deleteSession(sessionHash: string): Promise<void> {
    await this.#sql.run('DELETE FROM operator_sessions WHERE session_hash = ?', [sessionHash]);
  }
}

import type { Database, Statement } from 'better-sqlite3';

/** A stored operator credential (its hash only; the token itself is shown once when created). */
export interface OperatorTokenRecord {
  name: string;
  createdAt: string;
}

/**
 * Operator tokens and dashboard sessions, both stored as SHA-256 hashes. Sessions live in the database
 * (not in memory) so that every instance of a cluster sharing the file accepts the same login.
 */
export class OperatorRepository {
  readonly #db: Database;
  readonly #tokenByHash: Statement<[string], { name: string; created_at: string }>;
  readonly #sessionByHash: Statement<[string, string], { token_hash: string }>;

  constructor(db: Database) {
    this.#db = db;
    this.#tokenByHash = db.prepare('SELECT name, created_at FROM operator_tokens WHERE token_hash = ?');
    this.#sessionByHash = db.prepare('SELECT token_hash FROM operator_sessions WHERE session_hash = ? AND expires_at > ?');
  }

  tokenCount(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM operator_tokens').get() as { n: number }).n;
  }

  findToken(tokenHash: string): OperatorTokenRecord | undefined {
    const row = this.#tokenByHash.get(tokenHash);
    return row && { name: row.name, createdAt: row.created_at };
  }

  /** Stores (or replaces) the token named `name`; its sessions end with it. */
  putToken(name: string, tokenHash: string, now: string): void {
    this.#db.transaction(() => {
      const old = this.#db.prepare<[string], { token_hash: string }>('SELECT token_hash FROM operator_tokens WHERE name = ?').get(name);
      if (old !== undefined) this.#db.prepare('DELETE FROM operator_sessions WHERE token_hash = ?').run(old.token_hash);
      this.#db.prepare('DELETE FROM operator_tokens WHERE name = ?').run(name);
      this.#db.prepare('INSERT INTO operator_tokens (token_hash, name, created_at) VALUES (?, ?, ?)').run(tokenHash, name, now);
    })();
  }

  /** Inserts only when no token exists yet; false when another instance created one first (cluster start). */
  insertFirstToken(name: string, tokenHash: string, now: string): boolean {
    return this.#db.transaction(() => {
      if (this.tokenCount() > 0) return false;
      this.#db.prepare('INSERT INTO operator_tokens (token_hash, name, created_at) VALUES (?, ?, ?)').run(tokenHash, name, now);
      return true;
    }).immediate();
  }

  /** A session is bound to the hash of the token that logged in: rotating the token ends it. */
  createSession(sessionHash: string, tokenHash: string, now: string, expiresAt: string): void {
    // Expired rows are removed here, so the table stays bounded by the logins of one lifetime.
    this.#db.prepare('DELETE FROM operator_sessions WHERE expires_at <= ?').run(now);
    this.#db
      .prepare('INSERT INTO operator_sessions (session_hash, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(sessionHash, tokenHash, now, expiresAt);
  }

  /** The token hash a live session was created with. */
  findSession(sessionHash: string, now: string): string | undefined {
    return this.#sessionByHash.get(sessionHash, now)?.token_hash;
  }

  deleteSession(sessionHash: string): void {
    this.#db.prepare('DELETE FROM operator_sessions WHERE session_hash = ?').run(sessionHash);
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/store.js';

/** Name of the token created on first start (or given by ADMIN_TOKEN). */
export const ADMIN_TOKEN_NAME = 'admin';
/** Shortest ADMIN_TOKEN accepted: operator tokens guard every command, so no short passwords. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

/** SHA-256 hex: enough for 256-bit random secrets (no dictionary to protect against, unlike passwords). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A fresh operator token or session id: 32 random bytes, base64url, with a prefix that says what it is. */
export function newSecret(prefix: 'cwo' | 'cws'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export interface OperatorCredentialsOptions {
  store: Store;
  /** ADMIN_TOKEN: when set, it is the admin credential and nothing is generated or stored. */
  adminToken?: string | undefined;
  /** Lifetime of a dashboard session. @default 43200000 (12 h) */
  sessionTtlMs?: number;
  now: () => string;
}

/** Who made a request, and with what. */
export interface Operator {
  name: string;
  via: 'bearer' | 'session';
}

/**
 * Operator tokens and dashboard sessions. With ADMIN_TOKEN set, that token (compared by hash in constant
 * time) is the admin credential; otherwise the first start generates one, stores its hash, and hands the
 * plain token back exactly once (`ensureAdminToken`) for the banner.
 */
export class OperatorCredentials {
  readonly #store: Store;
  readonly #adminHash: Buffer | undefined;
  readonly #sessionTtlMs: number;
  readonly #now: () => string;

  constructor(options: OperatorCredentialsOptions) {
    this.#store = options.store;
    this.#adminHash = options.adminToken === undefined ? undefined : Buffer.from(hashSecret(options.adminToken), 'hex');
    this.#sessionTtlMs = options.sessionTtlMs ?? 12 * 3600_000;
    this.#now = options.now;
  }

  /** Whether ADMIN_TOKEN is in use (stored tokens are then ignored). */
  get fromEnvironment(): boolean {
    return this.#adminHash !== undefined;
  }

  get sessionTtlMs(): number {
    return this.#sessionTtlMs;
  }

  /**
   * Creates the admin token when none exists (and ADMIN_TOKEN is not set), or replaces it when `rotate`.
   * @returns the plain token when one was created now (print it once), else undefined.
   */
  async ensureAdminToken(rotate = false): Promise<string | undefined> {
    if (this.#adminHash !== undefined) return undefined;
    const token = newSecret('cwo');
    if (rotate) {
      await this.#store.transaction((tx) => tx.operators.putToken(ADMIN_TOKEN_NAME, hashSecret(token), this.#now()));
      return token;
    }
    return (await this.#store.operators.insertFirstToken(ADMIN_TOKEN_NAME, hashSecret(token), this.#now())) ? token : undefined;
  }

  /** The operator a bearer token belongs to. */
  async verifyToken(token: string): Promise<string | undefined> {
    if (token.length === 0 || token.length > 512) return undefined;
    return this.#nameOfTokenHash(hashSecret(token));
  }

  async #nameOfTokenHash(hash: string): Promise<string | undefined> {
    if (this.#adminHash !== undefined) {
      return timingSafeEqual(Buffer.from(hash, 'hex'), this.#adminHash) ? ADMIN_TOKEN_NAME : undefined;
    }
    return (await this.#store.operators.findToken(hash))?.name;
  }

  /**
   * Logs in with a token: a new session id for the cookie (never stored in plain), or undefined when the
   * token is not valid.
   */
  async login(token: string): Promise<string | undefined> {
    if ((await this.verifyToken(token)) === undefined) return undefined;
    const id = newSecret('cws');
    const now = this.#now();
    const expires = new Date(Date.parse(now) + this.#sessionTtlMs).toISOString();
    await this.#store.operators.createSession(hashSecret(id), hashSecret(token), now, expires);
    return id;
  }

  /** The operator of a live session; a session outlives neither its token's rotation nor a change of ADMIN_TOKEN. */
  async verifySession(id: string): Promise<string | undefined> {
    if (!id.startsWith('cws_') || id.length > 100) return undefined;
    const tokenHash = await this.#store.operators.findSession(hashSecret(id), this.#now());
    return tokenHash === undefined ? undefined : this.#nameOfTokenHash(tokenHash);
  }

  async endSession(id: string): Promise<void> {
    await this.#store.operators.deleteSession(hashSecret(id));
  }
}

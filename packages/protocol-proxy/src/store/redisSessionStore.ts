import type { SessionStoreRedis } from './sessionStoreRedis.js';
import { INCREMENT_AT_LEAST, REMOVE_REMOTE_START, SAVE_TRANSACTION, SET_ID_TOKEN_TYPE, TAKE_REMOTE_START } from './redisScripts.js';
import type { RemoteStartRecord, SessionStore, TransactionRecord } from './sessionStore.js';

export interface RedisSessionStoreOptions {
  /** An ioredis (5 or 6) client; the store never creates or closes connections of its own. */
  redis: SessionStoreRedis;
  /** Prefix of every key. @default 'chargewire:proxy:' */
  keyPrefix?: string;
  /** Ended transactions kept per charger for late messages. @default 100 */
  maxEndedTransactions?: number;
  /** idToken types remembered per charger; the least recently named is forgotten first. @default 1000 */
  maxIdTokens?: number;
}

const KINDS = ['ctr', 'tx', 'tx16', 'active', 'ended', 'rs', 'kv', 'tok', 'tokq'] as const;
type Kind = (typeof KINDS)[number];

/**
 * Session store in Redis, shared by several proxy instances. Counters use HINCRBY; multi-key updates run as
 * Lua scripts, so allocation of 1.6 transaction ids and consumption of remote starts are atomic.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: SessionStoreRedis;
  readonly #prefix: string;
  readonly #maxEnded: number;
  readonly #maxIdTokens: number;

  constructor(options: RedisSessionStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'chargewire:proxy:';
    this.#maxEnded = options.maxEndedTransactions ?? 100;
    this.#maxIdTokens = options.maxIdTokens ?? 1000;
  }

  #key(identity: string, kind: Kind): string {
    // The hash tag keeps one charger's keys in one cluster slot (the scripts touch several of them).
    return `${this.#prefix}{${identity}}:${kind}`;
  }

  async increment(identity: string, counter: string, atLeast?: number): Promise<number> {
    if (atLeast === undefined || atLeast <= 1) return this.#redis.hincrby(this.#key(identity, 'ctr'), counter, 1);
    return Number(await this.#redis.eval(INCREMENT_AT_LEAST, 1, this.#key(identity, 'ctr'), counter, String(Math.floor(atLeast))));
  }

  async saveTransaction(identity: string, record: TransactionRecord): Promise<void> {
    const k = (kind: Kind) => this.#key(identity, kind);
    await this.#redis.eval(
      SAVE_TRANSACTION,
      5,
      k('tx'),
      k('tx16'),
      k('active'),
      k('ended'),
      k('ctr'),
      record.id201,
      String(record.id16),
      JSON.stringify(record),
      record.evseId === undefined ? '' : String(record.evseId),
      record.ended ? '1' : '0',
      String(this.#maxEnded),
    );
  }

  async getTransactionBy16(identity: string, id16: number): Promise<TransactionRecord | undefined> {
    const id201 = await this.#redis.hget(this.#key(identity, 'tx16'), String(id16));
    return id201 === null ? undefined : this.getTransactionBy201(identity, id201);
  }

  async getTransactionBy201(identity: string, id201: string): Promise<TransactionRecord | undefined> {
    const raw = await this.#redis.hget(this.#key(identity, 'tx'), id201);
    return raw === null ? undefined : (JSON.parse(raw) as TransactionRecord);
  }

  async listTransactions(identity: string): Promise<TransactionRecord[]> {
    const raw = await this.#redis.hvals(this.#key(identity, 'tx'));
    return raw.map((json) => JSON.parse(json) as TransactionRecord);
  }

  async getActiveTransaction(identity: string, evseId: number): Promise<TransactionRecord | undefined> {
    const id201 = await this.#redis.hget(this.#key(identity, 'active'), String(evseId));
    return id201 === null ? undefined : this.getTransactionBy201(identity, id201);
  }

  async addRemoteStart(identity: string, record: RemoteStartRecord): Promise<void> {
    await this.#redis.rpush(this.#key(identity, 'rs'), JSON.stringify(record));
  }

  async takeRemoteStart(identity: string, evseId: number, idTag: string, now: number): Promise<RemoteStartRecord | undefined> {
    const raw = (await this.#redis.eval(TAKE_REMOTE_START, 1, this.#key(identity, 'rs'), String(evseId), idTag, String(now))) as string | null;
    return typeof raw === 'string' ? (JSON.parse(raw) as RemoteStartRecord) : undefined;
  }

  async removeRemoteStart(identity: string, remoteStartId: number): Promise<void> {
    await this.#redis.eval(REMOVE_REMOTE_START, 1, this.#key(identity, 'rs'), String(remoteStartId));
  }

  async setValue(identity: string, key: string, value: string): Promise<void> {
    await this.#redis.hset(this.#key(identity, 'kv'), key, value);
  }

  async getValue(identity: string, key: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#key(identity, 'kv'), key)) ?? undefined;
  }

  async setIdTokenType(identity: string, idToken: string, type: string): Promise<void> {
    await this.#redis.eval(
      SET_ID_TOKEN_TYPE,
      3,
      this.#key(identity, 'tok'),
      this.#key(identity, 'tokq'),
      this.#key(identity, 'ctr'),
      idToken,
      type,
      String(this.#maxIdTokens),
    );
  }

  async getIdTokenType(identity: string, idToken: string): Promise<string | undefined> {
    return (await this.#redis.hget(this.#key(identity, 'tok'), idToken)) ?? undefined;
  }

  async clear(identity: string): Promise<void> {
    await this.#redis.del(...KINDS.map((kind) => this.#key(identity, kind)));
  }
}

/**
 * Checks every {@link OCPPClientOptions} field at construction, so a misconfiguration fails at once with an
 * error naming the option instead of misbehaving later (`offlineQueue: true` used to fail on the first
 * offline call with "Offline queue is full (true calls)"; a timeout above 2^31-1 ms fires after 1 ms).
 * A value of the wrong type is a TypeError, a number out of range a RangeError; unknown options (typos such
 * as `offlineQueueSize`) are a TypeError too, since a misspelt limit would silently not apply.
 */
import type { OCPPClientOptions } from './options.js';

type Check = (value: unknown, name: string) => void;

/** setTimeout/setInterval treat anything above this as 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** RFC 7230 §3.2.6 token: what a subprotocol name (RFC 6455 §4.1) and a header name may contain. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What node's http module accepts in a header value (its checkInvalidHeaderChar). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TLS_VERSIONS: readonly string[] = ['TLSv1.2', 'TLSv1.3'];
const JITTERS: readonly string[] = ['none', 'full', 'equal', 'decorrelated'];

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function typeError(name: string, expected: string, value: unknown): TypeError {
  return new TypeError(`OCPPClient option ${name} must be ${expected}, got ${describe(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const boolean: Check = (value, name) => {
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value);
};

const fn: Check = (value, name) => {
  if (typeof value !== 'function') throw typeError(name, 'a function', value);
};

const nonEmptyString: Check = (value, name) => {
  if (typeof value !== 'string' || value.length === 0) throw typeError(name, 'a non-empty string', value);
};

/** A number within [min, max]; `integer` also asks for a whole number; Infinity only when `max` is. */
function number(min: number, max: number, integer: boolean, minExclusive = false): Check {
  return (value, name) => {
    if (typeof value !== 'number' || Number.isNaN(value)) throw typeError(name, 'a number', value);
    const tooSmall = minExclusive ? value <= min : value < min;
    if (tooSmall || value > max || (integer && value !== Infinity && !Number.isInteger(value))) {
      const whole = integer ? 'a whole number' : 'a number';
      const lower = minExclusive ? `> ${min}` : `>= ${min}`;
      const upper = max === Infinity ? ' (or Infinity)' : ` and <= ${max}`;
      throw new RangeError(`OCPPClient option ${name} must be ${whole} ${lower}${upper}, got ${describe(value)}`);
    }
  };
}

const timeoutMs = number(0, MAX_TIMER_MS, false, true);
const intervalMs = number(0, MAX_TIMER_MS, false);

/** A plain object whose keys are all in `checks` (each checked when present). */
function object(checks: Readonly<Record<string, Check>>): Check {
  return (value, name) => {
    if (!isPlainObject(value)) throw typeError(name, 'a plain object', value);
    for (const [key, field] of Object.entries(value)) {
      const check = checks[key];
      if (!check) throw new TypeError(`OCPPClient option ${name} has an unknown field ${JSON.stringify(key)}`);
      if (field !== undefined) check(field, `${name}.${key}`);
    }
  };
}

const pem: Check = (value, name) => {
  const one = (v: unknown): boolean => (typeof v === 'string' && v.length > 0) || Buffer.isBuffer(v);
  if (!(one(value) || (Array.isArray(value) && value.length > 0 && value.every(one)))) {
    throw typeError(name, 'a PEM string, a Buffer or a non-empty array of them', value);
  }
};

const tlsFields = object({
  ca: pem,
  cert: pem,
  key: pem,
  passphrase: (value, name) => {
    if (typeof value !== 'string') throw typeError(name, 'a string', value);
  },
  rejectUnauthorized: boolean,
  servername: nonEmptyString,
  minVersion: (value, name) => {
    // OCPP 2.0.1 Part 2 A00.FR.3xx (and the 1.6 security whitepaper): TLS 1.2 or higher.
    if (typeof value !== 'string' || !TLS_VERSIONS.includes(value)) throw typeError(name, `one of ${TLS_VERSIONS.join(', ')}`, value);
  },
});

const tls: Check = (value, name) => {
  tlsFields(value, name);
  const t = value as Record<string, unknown>;
  // A certificate without its key (or the reverse) cannot do mutual TLS; fail here, not at the handshake.
  if ((t['cert'] === undefined) !== (t['key'] === undefined)) throw new TypeError(`OCPPClient option ${name}.cert and ${name}.key must be given together`);
};

const strictMode: Check = (value, name) => {
  if (typeof value === 'boolean') return;
  object({
    inboundRequests: boolean,
    outboundResponses: boolean,
    outboundRequests: boolean,
    inboundResponses: boolean,
    protocols: (v, n) => {
      if (!Array.isArray(v) || !v.every((p) => typeof p === 'string')) throw typeError(n, 'an array of strings', v);
    },
  })(value, name);
};

const protocols: Check = (value, name) => {
  if (!Array.isArray(value) || value.length === 0) throw typeError(name, 'a non-empty array of subprotocol names', value);
  const seen = new Set<string>();
  for (const p of value as unknown[]) {
    // RFC 6455 §4.1: each subprotocol is a token, and ws refuses duplicates at connect time.
    if (typeof p !== 'string' || !TOKEN.test(p)) throw typeError(`${name}[]`, 'a subprotocol token such as "ocpp1.6"', p);
    if (seen.has(p)) throw new TypeError(`OCPPClient option ${name} lists ${JSON.stringify(p)} twice`);
    seen.add(p);
  }
};

const password: Check = (value, name) => {
  if (!((typeof value === 'string' && value.length > 0) || (value instanceof Uint8Array && value.length > 0))) {
    throw typeError(name, 'a non-empty string or Uint8Array', value);
  }
};

const headers: Check = (value, name) => {
  if (!isPlainObject(value)) throw typeError(name, 'a plain object of header names to strings', value);
  for (const [key, v] of Object.entries(value)) {
    if (!TOKEN.test(key)) throw new TypeError(`OCPPClient option ${name} has an invalid header name ${JSON.stringify(key)}`);
    // Node's rule for header values (no control characters: CR/LF would split the request), which it
    // would otherwise apply only at connect time.
    if (typeof v !== 'string' || !HEADER_VALUE.test(v)) throw typeError(`${name}.${key}`, 'a string without control characters', v);
  }
};

const query: Check = (value, name) => {
  if (!isPlainObject(value)) throw typeError(name, 'a plain object', value);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) {
      throw typeError(`${name}.${key}`, 'a string, a finite number or a boolean', v);
    }
  }
};

const backoff = object({
  initialMs: intervalMs,
  maxMs: intervalMs,
  factor: number(1, Number.MAX_SAFE_INTEGER, false),
  jitter: (value, name) => {
    if (typeof value !== 'string' || !JITTERS.includes(value)) throw typeError(name, `one of ${JITTERS.join(', ')}`, value);
  },
  maxAttempts: number(1, Infinity, true),
});

const perMessageDeflate: Check = (value, name) => {
  if (typeof value !== 'boolean' && !isPlainObject(value)) throw typeError(name, 'a boolean or ws PerMessageDeflateOptions', value);
};

/** One check per option; an option missing here is refused as unknown, so a new option must be added. */
const CHECKS: Readonly<Record<keyof OCPPClientOptions, Check>> = {
  endpoint: nonEmptyString,
  identity: nonEmptyString,
  protocols,
  password,
  tls,
  headers,
  query,
  strictMode,
  callTimeoutMs: timeoutMs,
  callConcurrency: number(1, Infinity, true),
  maxBadMessages: number(0, Infinity, true),
  inboundConcurrency: number(1, Infinity, true),
  inboundQueueLimit: number(0, Infinity, true),
  validators: fn,
  generateMessageId: fn,
  reconnect: boolean,
  retryInitialConnect: boolean,
  backoff,
  offlineQueue: number(0, Number.MAX_SAFE_INTEGER, true),
  pingIntervalMs: intervalMs,
  deadPeerTimeoutMs: timeoutMs,
  handshakeTimeoutMs: timeoutMs,
  closeTimeoutMs: intervalMs,
  perMessageDeflate,
  maxPayloadBytes: number(1, Number.MAX_SAFE_INTEGER, true),
  random: fn,
};

const REQUIRED = ['endpoint', 'identity', 'protocols'] as const;

/**
 * Throws a TypeError (wrong type, unknown option) or RangeError (out of range) naming the first bad option.
 * Options set to `undefined` count as not set. URL syntax and identity rules are checked by the URL builder.
 */
export function validateClientOptions(options: unknown): void {
  if (!isPlainObject(options) && !(typeof options === 'object' && options !== null && !Array.isArray(options))) {
    throw new TypeError(`OCPPClient options must be an object, got ${describe(options)}`);
  }
  const given = options as Record<string, unknown>;
  for (const key of REQUIRED) if (given[key] === undefined) throw new TypeError(`OCPPClient option ${key} is required`);
  for (const [key, value] of Object.entries(given)) {
    const check = (CHECKS as Readonly<Record<string, Check>>)[key];
    if (!check) throw new TypeError(`OCPPClient has no option ${JSON.stringify(key)}`);
    if (value !== undefined) check(value, key);
  }
  // TLS settings on a plain ws:// endpoint would silently not apply (a client certificate never sent,
  // a pinned CA never checked): a misconfiguration, not a choice.
  if (given['tls'] !== undefined && /^(ws|http):/i.test(given['endpoint'] as string)) {
    throw new TypeError('OCPPClient option tls needs a wss:// endpoint');
  }
}

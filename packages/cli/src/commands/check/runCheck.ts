import { EndpointError } from '../../exitCodes.js';
import { urlFor, type Endpoint } from '../../net/endpoint.js';
import { frameRules } from './frameRules.js';
import { identityRules, negotiationRules, supportedProtocols, transportRules } from './handshakeRules.js';
import { SECTIONS, summarize, type RuleResult, type RuleStatus } from './ruleResult.js';

/** Options of {@link runCheck}. */
export interface CheckOptions {
  endpoint: Endpoint;
  /** The versions to check (those the server does not accept are reported n/a). */
  protocols: readonly string[];
  /** Deadline for each expected answer or close. @default 2000 */
  timeoutMs?: number;
  /** Called with each result as soon as it is known. */
  onResult?: (result: RuleResult) => void;
  /** Basic-auth password (security profiles 1/2); the user name is the identity. */
  password?: string;
}

export interface CheckReport {
  endpoint: string;
  supported: string[];
  results: RuleResult[];
  summary: Record<RuleStatus, number>;
}

/** Runs every conformance rule against the endpoint. Throws EndpointError when it cannot be reached. */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const results: RuleResult[] = [];
  const add = (list: RuleResult[]): void => {
    for (const r of list) {
      results.push(r);
      options.onResult?.(r);
    }
  };
  const { password } = options;
  const supported = await supportedProtocols(options.endpoint, options.protocols, password);
  add(
    options.protocols.map((p) => ({
      id: 'subprotocol.accepted',
      title: `subprotocol ${p} is accepted when offered`,
      section: SECTIONS.version,
      protocol: p,
      status: supported.includes(p) ? 'pass' : 'n/a',
      detail: supported.includes(p) ? 'selected' : 'not supported by the server (the remaining rules for it are skipped)',
    })),
  );
  if (supported.length === 0) {
    throw new EndpointError(`the server accepts none of the subprotocols ${options.protocols.join(', ')}`);
  }
  add(await negotiationRules(options.endpoint, supported, timeoutMs, password));
  add(await identityRules(options.endpoint, supported, timeoutMs, password));
  for (const protocol of supported) {
    add(await transportRules(options.endpoint, protocol, timeoutMs, password));
    add(await frameRules(urlFor(options.endpoint, options.endpoint.identity), protocol, timeoutMs, password));
  }
  return { endpoint: options.endpoint.url, supported, results, summary: summarize(results) };
}

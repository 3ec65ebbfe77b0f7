import type { ServerStats } from './stats.js';

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/**
 * Renders `server.stats()` in the Prometheus text exposition format (version 0.0.4), e.g. for a
 * `/metrics` endpoint.
 * @example app.get('/metrics', (_req, res) => res.type('text/plain').send(formatPrometheus(server.stats())));
 */
export function formatPrometheus(stats: ServerStats, prefix = 'chargewire_'): string {
  const out: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter' | 'summary', help: string, samples: Array<[Record<string, string>, number]>): void => {
    out.push(`# HELP ${prefix}${name} ${help}`, `# TYPE ${prefix}${name} ${type}`);
    for (const [labels, value] of samples) {
      const entries = Object.entries(labels);
      const text = entries.length ? `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      out.push(`${prefix}${name}${text} ${Number.isFinite(value) ? value : 0}`);
    }
  };
  const byLabel = (label: string, record: Record<string, number>): Array<[Record<string, string>, number]> =>
    Object.entries(record).map(([k, v]) => [{ [label]: k }, v]);

  metric('connections', 'gauge', 'Open OCPP connections by subprotocol.', byLabel('protocol', stats.connections.byProtocol));
  metric('connections_open', 'gauge', 'Open OCPP connections.', [[{}, stats.connections.current]]);
  metric('connections_accepted_total', 'counter', 'Accepted OCPP connections.', [[{}, stats.connections.accepted]]);
  metric('connections_rejected_total', 'counter', 'Refused connection attempts by status.', byLabel('status', stats.connections.rejected));
  metric('connections_limit_closed_total', 'counter', 'Connections closed by a limit, by close code.', byLabel('code', stats.connections.closedByLimit));
  metric('connections_send_buffer_closed_total', 'counter', 'Connections dropped because the peer stopped reading.', [[{}, stats.connections.closedBySendBuffer]]);
  metric('calls_total', 'counter', 'OCPP CALLs by direction.', [[{ direction: 'in' }, stats.calls.in], [{ direction: 'out' }, stats.calls.out]]);
  metric('call_errors_total', 'counter', 'CALLERRORs by error code.', byLabel('code', stats.errors));
  metric('bad_messages_total', 'counter', 'Frames that could not be processed.', [[{}, stats.badMessages]]);
  for (const direction of ['in', 'out'] as const) {
    const s = stats.latencyMs[direction];
    metric(`call_latency_${direction}_milliseconds`, 'summary', `Latency of ${direction === 'in' ? 'answering inbound' : 'outbound'} CALLs (recent samples).`, [
      [{ quantile: '0.5' }, s.p50],
      [{ quantile: '0.9' }, s.p90],
      [{ quantile: '0.99' }, s.p99],
    ]);
    out.push(`${prefix}call_latency_${direction}_milliseconds_count ${s.count}`);
    // The summary's quantiles cover only recent samples; this histogram covers every call since start, so
    // rate()/histogram_quantile() over any range are exact to the bucket.
    const name = `${prefix}call_duration_${direction}_milliseconds`;
    out.push(`# HELP ${name} Duration of ${direction === 'in' ? 'answering inbound' : 'outbound'} CALLs since start.`, `# TYPE ${name} histogram`);
    for (const { le, count } of s.buckets) out.push(`${name}_bucket{le="${Number.isFinite(le) ? le : '+Inf'}"} ${count}`);
    out.push(`${name}_sum ${Number.isFinite(s.sumMs) ? s.sumMs : 0}`, `${name}_count ${s.count}`);
  }
  return out.join('\n') + '\n';
}

import { describe, expect, it } from 'vitest';
import { formatPrometheus } from './prometheus.js';
import { StatsCollector } from './stats.js';

describe('stats and formatPrometheus', () => {
  it('counts connections by protocol and renders them', () => {
    const s = new StatsCollector();
    s.opened('ocpp1.6');
    s.opened('ocpp1.6');
    s.opened('ocpp2.0.1');
    s.closed('ocpp1.6');
    s.reject(401);
    s.error('NotImplemented');
    s.callsIn = 5;
    s.badMessages = 2;
    for (let i = 1; i <= 100; i++) s.latencyIn.record(i);
    const snap = s.snapshot();
    expect(snap.connections).toMatchObject({ current: 2, accepted: 3, byProtocol: { 'ocpp1.6': 1, 'ocpp2.0.1': 1 }, rejected: { '401': 1 } });
    expect(snap.latencyMs.in).toMatchObject({ count: 100, p50: 50, p90: 90, p99: 99, max: 100 });
    const text = formatPrometheus(snap);
    expect(text).toContain('# TYPE chargewire_connections gauge');
    expect(text).toContain('chargewire_connections{protocol="ocpp1.6"} 1');
    expect(text).toContain('chargewire_connections_open 2');
    expect(text).toContain('chargewire_connections_rejected_total{status="401"} 1');
    expect(text).toContain('chargewire_call_errors_total{code="NotImplemented"} 1');
    expect(text).toContain('chargewire_calls_total{direction="in"} 5');
    expect(text).toContain('chargewire_bad_messages_total 2');
    expect(text).toContain('chargewire_call_latency_in_milliseconds{quantile="0.99"} 99');
    expect(text.endsWith('\n')).toBe(true);
    // Every sample line is "name{labels} number".
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+$/);
    }
  });

  it('escapes label values', () => {
    const s = new StatsCollector();
    s.opened('we"ird\\proto');
    expect(formatPrometheus(s.snapshot(), 'x_')).toContain('x_connections{protocol="we\\"ird\\\\proto"} 1');
  });
});

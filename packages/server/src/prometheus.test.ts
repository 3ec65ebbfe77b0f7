import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS } from './latencySampler.js';
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

  it('renders each direction as a cumulative histogram with +Inf, sum and count', () => {
    const s = new StatsCollector();
    const samples = [0.1, 0.25, 3, 20, 20, 99.5, 100, 2500, 90_000];
    for (const ms of samples) s.latencyOut.record(ms);
    const text = formatPrometheus(s.snapshot());
    const lines = text.split('\n');
    const name = 'chargewire_call_duration_out_milliseconds';
    expect(lines).toContain(`# TYPE ${name} histogram`);
    const buckets = lines
      .map((l) => /^chargewire_call_duration_out_milliseconds_bucket\{le="([^"]+)"\} (\d+)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => ({ le: m[1]!, count: Number(m[2]) }));
    expect(buckets.map((b) => b.le)).toEqual([...LATENCY_BUCKETS_MS.map(String), '+Inf']);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.count).toBeGreaterThanOrEqual(buckets[i - 1]!.count);
    const count = (le: string): number | undefined => buckets.find((b) => b.le === le)?.count;
    expect(count('0.25')).toBe(2);
    expect(count('3')).toBe(3);
    expect(count('20')).toBe(5);
    expect(count('75')).toBe(5);
    expect(count('100')).toBe(7);
    expect(count('5000')).toBe(8);
    expect(count('+Inf')).toBe(samples.length);
    expect(lines).toContain(`${name}_count ${samples.length}`);
    const sum = Number(lines.find((l) => l.startsWith(`${name}_sum `))!.split(' ')[1]);
    expect(sum).toBeCloseTo(samples.reduce((a, b) => a + b, 0), 6);
    // The inbound histogram is rendered even before any call, all zeros.
    expect(lines).toContain('chargewire_call_duration_in_milliseconds_bucket{le="+Inf"} 0');
    expect(lines).toContain('chargewire_call_duration_in_milliseconds_count 0');
    // The recent-samples summary is still there alongside.
    expect(lines).toContain('# TYPE chargewire_call_latency_out_milliseconds summary');
  });

  it('escapes label values', () => {
    const s = new StatsCollector();
    s.opened('we"ird\\proto');
    expect(formatPrometheus(s.snapshot(), 'x_')).toContain('x_connections{protocol="we\\"ird\\\\proto"} 1');
  });
});

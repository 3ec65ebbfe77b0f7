import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { Simulator } from '../simulator.js';

/** Live summary of a headless fleet: how many chargers are in each state, traffic and failures. */
export function FleetApp({ fleet, refreshMs = 500 }: { fleet: readonly Simulator[]; refreshMs?: number }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);
  const count = (state: string): number => fleet.filter((s) => s.state === state).length;
  const sum = (key: 'sent' | 'received' | 'failures'): number => fleet.reduce((acc, s) => acc + s.stats[key], 0);
  const charging = fleet.reduce((acc, s) => acc + s.connectors.filter((c) => c.status === 'Charging').length, 0);
  const problems = fleet.flatMap((s) => {
    const line = [...s.log].reverse().find((l) => l.kind === 'error');
    return line ? [`${s.identity}: ${line.text}`] : [];
  });
  return (
    <Box flexDirection="column">
      <Text bold>chargewire fleet — {fleet.length} chargers</Text>
      <Text>
        <Text color="green">online {count('online')}</Text>  <Text color="yellow">connecting {count('connecting')}</Text>{'  '}
        <Text color="red">offline/disconnected {count('offline') + count('disconnected')}</Text>  booted {fleet.filter((s) => s.booted).length}  charging {charging}
      </Text>
      <Text>
        frames sent {sum('sent')}  received {sum('received')}  failed calls {sum('failures')}
      </Text>
      {problems.slice(-5).map((p) => (
        <Text key={p} color="red" wrap="truncate-end">
          {p}
        </Text>
      ))}
      <Text dimColor>Ctrl-C to stop</Text>
    </Box>
  );
}

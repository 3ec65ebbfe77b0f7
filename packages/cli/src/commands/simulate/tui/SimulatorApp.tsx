import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { Outcome } from '../drivers/driver.js';
import type { Simulator } from '../simulator.js';
import { CONNECTOR_HEADER, connectorCells, formatLogLine } from './format.js';

/** Props of the interactive simulator view. */
export interface SimulatorAppProps {
  sim: Simulator;
  /** Tag presented by the `t` key. */
  tag: string;
  /** Log lines shown. @default 12 */
  logLines?: number;
  /** Called after `q`, once the simulator is closed. */
  onQuit?: () => void;
}

const STATE_COLOR: Record<string, string> = { online: 'green', connecting: 'yellow', offline: 'red', disconnected: 'red' };

function pad(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
}

/** The live TUI: connection state, per-connector electrical values, message log and key help. */
export function SimulatorApp({ sim, tag, logLines = 12, onQuit }: SimulatorAppProps) {
  const { exit } = useApp();
  const [, setVersion] = useState(0);
  const [selected, setSelected] = useState(1);
  // The key handler reads the selection through a ref so a key typed right after a switch sees it.
  const selectedRef = useRef(1);
  const [last, setLast] = useState<Outcome | undefined>();
  const [pending, setPending] = useState(0);
  // Keys are never dropped: operations run one after another in the order they were typed.
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    const rerender = (): void => setVersion((v) => v + 1);
    sim.on('change', rerender);
    return () => void sim.off('change', rerender);
  }, [sim]);

  const run = (op: () => Promise<Outcome>): void => {
    setPending((n) => n + 1);
    queue.current = queue.current
      .then(op)
      .then(setLast, (err: unknown) => setLast({ ok: false, detail: String(err) }))
      .finally(() => setPending((n) => n - 1));
  };

  useInput((input) => {
    const selected = selectedRef.current;
    if (/^[1-9]$/.test(input) && sim.connector(Number(input))) {
      selectedRef.current = Number(input);
      return setSelected(Number(input));
    }
    switch (input) {
      case 'p':
        return run(() => (sim.connector(selected)?.plugged ? sim.unplug(selected) : sim.plug(selected)));
      case 't':
        return run(() => sim.tap(selected, tag));
      case 's':
        return run(() => {
          const now = sim.connector(selected);
          return now?.transactionId !== undefined ? sim.stop(selected, 'Local') : sim.start(selected, now?.authorizedTag ?? tag);
        });
      case 'm':
        return run(() => sim.meter(selected));
      case 'o':
        return run(() => (sim.state === 'offline' ? sim.online() : sim.offline()));
      case 'f':
        return run(() => (sim.connector(selected)?.status === 'Faulted' ? sim.clearFault(selected) : sim.fault(selected)));
      case 'b':
        return run(() => sim.boot());
      case 'h':
        return run(() => sim.heartbeat());
      case 'q':
        void sim.close().finally(() => {
          onQuit?.();
          exit();
        });
        return;
    }
  });

  const rows = sim.connectors.map(connectorCells);
  const widths = CONNECTOR_HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>chargewire simulator</Text> {sim.identity} {sim.protocol}{' '}
        <Text color={STATE_COLOR[sim.state] ?? 'white'}>● {sim.state}</Text>
        {sim.booted ? ' booted' : ' not booted'}
      </Text>
      <Text dimColor>{`  ${pad(CONNECTOR_HEADER, widths)}`}</Text>
      {rows.map((row, i) => (
        <Text key={row[0]} inverse={sim.connectors[i]?.id === selected}>
          {`${sim.connectors[i]?.id === selected ? '>' : ' '} ${pad(row, widths)}`}
        </Text>
      ))}
      <Box flexDirection="column" marginTop={1}>
        {sim.log.slice(-logLines).map((line, i) => (
          <Text key={`${line.at.getTime()}-${i}`} color={line.kind === 'error' ? 'red' : line.kind === 'info' ? 'cyan' : undefined} wrap="truncate-end">
            {formatLogLine(line)}
          </Text>
        ))}
      </Box>
      <Text dimColor>
        [1-9] connector [p] plug/unplug [t] tap {tag} [s] start/stop [m] meter [o] offline/online [f] fault/clear [b] boot [h] heartbeat [q] quit
      </Text>
      {last && <Text color={last.ok ? 'green' : 'red'}>{`${last.ok ? '✔' : '✘'} ${last.detail}`}</Text>}
      {pending > 0 && <Text color="yellow">{`… ${pending} pending`}</Text>}
    </Box>
  );
}

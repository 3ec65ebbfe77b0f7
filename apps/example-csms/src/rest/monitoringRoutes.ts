import { Router } from 'express';
import type { ServerStats } from '@chargewire/server';
import type { ConnectionHistory } from '../domain/connectionHistory.js';
import type { MessageLog } from '../domain/messageLog.js';
import type { StatsHistory } from '../domain/statsHistory.js';
import { chargerIdParam } from './chargerRoutes.js';
import type { EventStream } from './eventStream.js';

export interface MonitoringSources {
  stats: () => ServerStats;
  statsHistory: StatsHistory;
  connections: ConnectionHistory;
  messages: MessageLog;
  events: EventStream;
}

/** `/stats` (server counters, their recent history, connects/disconnects) and `/chargers/:id/messages`. */
export function monitoringRoutes(sources: MonitoringSources): Router {
  const router = Router();

  router.get('/stats', (_req, res) => {
    res.json({
      current: sources.stats(),
      history: sources.statsHistory.list(),
      connections: sources.connections.list(),
      eventStreams: { open: sources.events.size, dropped: sources.events.dropped },
    });
  });

  // The log of this instance: in cluster mode, a charger connected to another node has its log there.
  router.get('/chargers/:id/messages', (req, res) => {
    res.json({ items: sources.messages.list(chargerIdParam(req)) });
  });

  return router;
}

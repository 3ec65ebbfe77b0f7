import type { WebSocket } from 'ws';

export type Frame = [number, string, ...unknown[]];

/** Collects every frame a raw server socket receives and lets a test await specific ones. */
export class FrameLog {
  readonly frames: Frame[] = [];
  #waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];

  constructor(ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  /** The next (or an already received, not yet taken) frame matching `match`. */
  next(match: (f: Frame) => boolean = () => true): Promise<Frame> {
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  calls(action?: string): Frame[] {
    return this.frames.filter((f) => f[0] === 2 && (action === undefined || f[2] === action));
  }
}

/** Answers every CALL from the client with `answer(action, params)` as a CALLRESULT. */
export function autoAnswer(ws: WebSocket, answer: (action: string, params: unknown) => unknown): FrameLog {
  const log = new FrameLog(ws);
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    if (frame[0] === 2) ws.send(JSON.stringify([3, frame[1], answer(String(frame[2]), frame[3])]));
  });
  return log;
}

export const BOOT_16 = { chargePointVendor: 'ACME', chargePointModel: 'X1' } as const;
export const bootAccepted16 = (): Record<string, unknown> => ({
  status: 'Accepted',
  currentTime: new Date().toISOString(),
  interval: 300,
});

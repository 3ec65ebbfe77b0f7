import { OCPPClient } from '@chargewire/client';

/** Options of a scripted OCPP 1.6 charger used by the scenarios. */
export interface Charger16Options {
  endpoint: string;
  identity: string;
  /** Energy added per MeterValues sample, in Wh. @default 500 */
  whPerSample?: number;
  /** MeterValues samples sent during a remotely started transaction before it waits for the stop. @default 2 */
  samples?: number;
}

/** A transaction this charger ran, as the charger saw it. */
export interface ChargerTransaction {
  transactionId: number;
  idTag: string;
  meterStart: number;
  meterStop?: number;
}

/**
 * A one-connector OCPP 1.6 charger on top of OCPPClient that behaves like real hardware for the flows the
 * scenarios exercise: it boots, reports its connector, and runs a transaction when the CSMS sends
 * RemoteStartTransaction (Start + MeterValues) and ends it on RemoteStopTransaction (Stop).
 */
export class Charger16 {
  readonly client: OCPPClient;
  readonly transactions: ChargerTransaction[] = [];
  /** The charger's configuration keys (GetConfiguration / ChangeConfiguration). */
  readonly configuration = new Map<string, string>([
    ['HeartbeatInterval', '300'],
    ['MeterValueSampleInterval', '60'],
  ]);
  #meter = 0;
  #active: ChargerTransaction | undefined;
  #work: Promise<unknown> = Promise.resolve();
  readonly #whPerSample: number;
  readonly #samples: number;

  constructor(options: Charger16Options) {
    this.#whPerSample = options.whPerSample ?? 500;
    this.#samples = options.samples ?? 2;
    this.client = new OCPPClient({
      endpoint: options.endpoint,
      identity: options.identity,
      protocols: ['ocpp1.6'],
      reconnect: true,
      backoff: { initialMs: 100, maxMs: 1_000 },
      offlineQueue: 100,
      callTimeoutMs: 15_000,
    });
    this.client.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => {
      if (this.#active) return { status: 'Rejected' };
      this.#enqueue(() => this.#runTransaction(params.idTag));
      return { status: 'Accepted' };
    });
    this.client.handle('ocpp1.6', 'GetConfiguration', ({ params }) => {
      const keys = params.key ?? [...this.configuration.keys()];
      return {
        configurationKey: keys.filter((k) => this.configuration.has(k)).map((key) => ({ key, readonly: false, value: this.configuration.get(key) ?? '' })),
        unknownKey: keys.filter((k) => !this.configuration.has(k)),
      };
    });
    this.client.handle('ocpp1.6', 'ChangeConfiguration', ({ params }) => {
      if (!this.configuration.has(params.key)) return { status: 'NotSupported' };
      this.configuration.set(params.key, params.value);
      return { status: 'Accepted' };
    });
    this.client.handle('ocpp1.6', 'RemoteStopTransaction', ({ params }) => {
      const active = this.#active;
      if (!active || active.transactionId !== params.transactionId) return { status: 'Rejected' };
      this.#enqueue(() => this.#stop(active));
      return { status: 'Accepted' };
    });
  }

  get identity(): string {
    return this.client.identity;
  }

  /** The transaction in progress, if any. */
  get active(): ChargerTransaction | undefined {
    return this.#active;
  }

  /** Connects, boots and reports connector 1 Available. */
  async start(): Promise<void> {
    await this.client.connect();
    const boot = await this.client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'chargewire', chargePointModel: 'e2e' });
    if (boot.status !== 'Accepted') throw new Error(`${this.identity}: BootNotification ${boot.status}`);
    await this.#status('Available');
  }

  /** Settles once every transaction step queued by CSMS commands so far has been sent. */
  idle(): Promise<unknown> {
    return this.#work;
  }

  async close(): Promise<void> {
    await this.client.close({ force: true });
  }

  #enqueue(step: () => Promise<void>): void {
    // Transaction messages go out after the handler's CALLRESULT, one after the other, like firmware does.
    this.#work = this.#work.then(() => new Promise((resolve) => setImmediate(resolve))).then(step);
  }

  #status(status: 'Available' | 'Charging' | 'Finishing'): Promise<unknown> {
    return this.client.call('ocpp1.6', 'StatusNotification', { connectorId: 1, status, errorCode: 'NoError' });
  }

  async #runTransaction(idTag: string): Promise<void> {
    const meterStart = this.#meter;
    const started = await this.client.call('ocpp1.6', 'StartTransaction', {
      connectorId: 1,
      idTag,
      meterStart,
      timestamp: new Date().toISOString(),
    });
    const tx: ChargerTransaction = { transactionId: started.transactionId, idTag, meterStart };
    this.transactions.push(tx);
    this.#active = tx;
    await this.#status('Charging');
    for (let i = 0; i < this.#samples; i++) {
      this.#meter += this.#whPerSample;
      await this.client.call('ocpp1.6', 'MeterValues', {
        connectorId: 1,
        transactionId: tx.transactionId,
        meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: String(this.#meter), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
      });
    }
  }

  async #stop(tx: ChargerTransaction): Promise<void> {
    tx.meterStop = this.#meter;
    await this.client.call('ocpp1.6', 'StopTransaction', {
      transactionId: tx.transactionId,
      meterStop: tx.meterStop,
      timestamp: new Date().toISOString(),
      reason: 'Remote',
    });
    this.#active = undefined;
    await this.#status('Available');
  }
}

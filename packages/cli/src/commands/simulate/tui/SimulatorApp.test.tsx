import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCsms, type LocalCsms } from '../../serve/localCsms.js';
import { Simulator } from '../simulator.js';
import { SimulatorApp } from './SimulatorApp.js';
import { FleetApp } from './FleetApp.js';

let csms: LocalCsms;
beforeAll(async () => void (csms = await startLocalCsms({ port: 0, protocols: ['ocpp1.6'], onLog: () => undefined })));
afterAll(() => csms.close());

/**
 * Resolves when the rendered frame satisfies `predicate`. The app re-renders on simulator changes and on
 * its own state (the outcome line), so the frame is re-checked on a short interval until the deadline.
 */
function frameMatching(lastFrame: () => string | undefined, predicate: (frame: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      // Colours depend on the environment (FORCE_COLOR under Nx): compare the plain text.
      const frame = stripVTControlCharacters(lastFrame() ?? '');
      if (predicate(frame)) {
        clearInterval(timer);
        resolve(frame);
      } else if (Date.now() - started > 10_000) {
        clearInterval(timer);
        reject(new Error(`frame never matched:\n${frame}`));
      }
    }, 10);
  });
}

describe('simulator TUI', () => {
  it('shows state, connectors and the log, and drives the charger with keys', async () => {
    const sim = new Simulator({ endpoint: `ws://127.0.0.1:${csms.address.port}/ocpp`, identity: 'TUI-1', protocol: 'ocpp1.6', connectors: 2 });
    await sim.connect();
    const { lastFrame, stdin, unmount } = render(<SimulatorApp sim={sim} tag="RFID-7" />);
    const first = await frameMatching(lastFrame, (f) => f.includes('[p] plug/unplug'));
    expect(first).toMatch(/chargewire simulator TUI-1 ocpp1\.6 ● online not booted/);
    // useInput subscribes to stdin in an effect: let it run before typing.
    await new Promise((resolve) => setImmediate(resolve));

    stdin.write('b');
    await frameMatching(lastFrame, (f) => f.includes('booted') && !f.includes('not booted') && f.includes('✔ BootNotification accepted'));
    stdin.write('2');
    await frameMatching(lastFrame, (f) => /> 2\s+Available/.test(f));
    stdin.write('p');
    await frameMatching(lastFrame, (f) => /> 2\s+Preparing\s+yes/.test(f));
    stdin.write('t');
    await frameMatching(lastFrame, (f) => f.includes('✔ tag RFID-7 accepted'));
    stdin.write('s');
    const charging = await frameMatching(lastFrame, (f) => /> 2\s+Charging\s+yes\s+RFID-7/.test(f) && f.includes('✔ transaction'));
    expect(charging).toMatch(/→ \[2,"[^"]+","StartTransaction"/);
    stdin.write('m');
    await frameMatching(lastFrame, (f) => /> 2\s+Charging\s+yes\s+RFID-7\s+\d+\s+228\s+32\.0\s+21\.89/.test(f));
    stdin.write('f');
    await frameMatching(lastFrame, (f) => /> 2\s+Faulted/.test(f));
    stdin.write('o');
    await frameMatching(lastFrame, (f) => f.includes('● offline'));
    stdin.write('o');
    await frameMatching(lastFrame, (f) => f.includes('● online') && f.includes('back online'));
    unmount();
    await sim.close();
  });

  it('summarises a fleet', async () => {
    const fleet = [1, 2].map((i) => new Simulator({ endpoint: `ws://127.0.0.1:${csms.address.port}/ocpp`, identity: `TF-${i}`, protocol: 'ocpp1.6' }));
    for (const sim of fleet) {
      await sim.connect();
      await sim.boot();
    }
    const { lastFrame, unmount } = render(<FleetApp fleet={fleet} refreshMs={20} />);
    const frame = await frameMatching(lastFrame, (f) => f.includes('chargewire fleet'));
    expect(frame).toMatch(/chargewire fleet — 2 chargers/);
    expect(frame).toMatch(/online 2/);
    expect(frame).toMatch(/booted 2/);
    unmount();
    for (const sim of fleet) await sim.close();
  });
});

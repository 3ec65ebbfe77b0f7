import { render } from 'ink';
import type { Simulator } from '../simulator.js';
import { FleetApp } from './FleetApp.js';
import { SimulatorApp } from './SimulatorApp.js';

/** A mounted ink view. */
export interface MountedView {
  unmount(): void;
  waitUntilExit(): Promise<unknown>;
}

/** Mounts the interactive simulator on the terminal (Ctrl-C exits). */
export function mountSimulator(sim: Simulator, tag: string): MountedView {
  return render(<SimulatorApp sim={sim} tag={tag} />, { exitOnCtrlC: true });
}

/** Mounts the live fleet summary on the terminal. */
export function mountFleet(fleet: readonly Simulator[]): MountedView {
  return render(<FleetApp fleet={fleet} />, { exitOnCtrlC: false });
}

import type { RequestOf } from '@chargewire/ocpp-types';
import type { OCPPServer } from '@chargewire/server';
import { describe, expectTypeOf, it } from 'vitest';
import type { ProfileCommand } from './dispatchTypes.js';
import { setChargingProfile, type ProfileSpec } from './profiles.js';
import { sendThroughServer, type ChargerDirectory } from './sendThroughServer.js';

declare const spec: ProfileSpec;

describe('types', () => {
  it('types a built request by its protocol', () => {
    expectTypeOf(setChargingProfile('ocpp1.6', 1, spec)).toEqualTypeOf<RequestOf<'ocpp1.6', 'SetChargingProfile'>>();
    expectTypeOf(setChargingProfile('ocpp2.0.1', 1, spec)).toEqualTypeOf<RequestOf<'ocpp2.0.1', 'SetChargingProfile'>>();
    expectTypeOf(setChargingProfile('ocpp2.1', 1, spec)).toEqualTypeOf<RequestOf<'ocpp2.1', 'SetChargingProfile'>>();
    // @ts-expect-error a protocol without builder
    setChargingProfile('ocpp1.5', 1, spec);
  });

  it('narrows a command\'s request by its protocol', () => {
    const command = {} as ProfileCommand;
    if (command.protocol === 'ocpp1.6') expectTypeOf(command.request.csChargingProfiles.chargingProfileId).toEqualTypeOf<number>();
    else expectTypeOf(command.request.chargingProfile.chargingSchedule).toBeArray();
  });

  it('accepts an OCPPServer as the charger directory', () => {
    expectTypeOf<OCPPServer>().toExtend<ChargerDirectory>();
    expectTypeOf(sendThroughServer).parameter(0).toEqualTypeOf<ChargerDirectory>();
  });
});

import type { ActionOf, PayloadKind, RequestOf, ResponseOf, Validator } from '@chargewire/ocpp-types';

export type { PayloadKind, RpcErrorCode, ValidationResult, Validator, Violation } from '@chargewire/ocpp-types';

/** 1.6 action names. */
export type Action16 = ActionOf<'ocpp1.6'>;
/** 2.0.1 action names. */
export type Action201 = ActionOf<'ocpp2.0.1'>;
export type Req16<A extends Action16> = RequestOf<'ocpp1.6', A>;
export type Res16<A extends Action16> = ResponseOf<'ocpp1.6', A>;
export type Req201<A extends Action201> = RequestOf<'ocpp2.0.1', A>;
export type Res201<A extends Action201> = ResponseOf<'ocpp2.0.1', A>;

/** The protocol the proxy speaks upstream. 2.1 keeps the 2.0.1 shape for every translated action (see README). */
export type UpstreamProtocol = 'ocpp2.0.1' | 'ocpp2.1';

/** Looks up the validator of one protocol/action/kind; `undefined` when unknown (ocpp-types `getValidator`). */
export type ValidatorLookup = (protocol: string, action: string, kind: PayloadKind) => Validator | undefined;

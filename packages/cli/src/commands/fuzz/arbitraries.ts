import fc from 'fast-check';
import { familyOf, knownMessageTypes, type FuzzCase } from './oracle.js';

/** A valid message id: 1-36 characters (§4.1.3 / Part 4 §4.2.1). */
export const messageId = (): fc.Arbitrary<string> => fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/);

const jsonLeaf = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 20 }));

const nonObject = (): fc.Arbitrary<unknown> => fc.oneof(jsonLeaf(), fc.array(jsonLeaf(), { maxLength: 3 }));

const isJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Text that JSON.parse rejects: cut-off frames, stray characters and random text. */
export const invalidJson = (action = 'Heartbeat'): fc.Arbitrary<FuzzCase> =>
  fc
    .oneof(
      fc.tuple(messageId(), fc.nat()).map(([id, cut]) => {
        const text = JSON.stringify([2, id, action, {}]);
        return text.slice(0, 1 + (cut % (text.length - 1)));
      }),
      fc.tuple(messageId(), fc.constantFrom("'", '{', '}', ',', 'undefined', 'NaN', '\\')).map(([id, junk]) => `[2,"${id}","${action}",{}${junk}]`),
      fc.string({ minLength: 1, maxLength: 40 }),
    )
    .filter((text) => !isJson(text))
    .map((text) => ({ kind: 'invalidJson', text }));

/** JSON that is not an OCPP-J array: objects, scalars, [] and arrays that do not start with a number. */
export const notAFrame = (action = 'Heartbeat'): fc.Arbitrary<FuzzCase> =>
  fc
    .oneof(
      fc.dictionary(fc.string({ maxLength: 8 }), jsonLeaf(), { maxKeys: 3 }),
      jsonLeaf(),
      fc.constant([]),
      fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null), fc.boolean()), messageId()).map(([type, id]) => [type, id, action, {}]),
    )
    .map((value) => ({ kind: 'notAFrame', value }));

/** Integer message types the version does not define. */
export const unknownType = (protocol: string): fc.Arbitrary<FuzzCase> => {
  const known = knownMessageTypes(familyOf(protocol));
  return fc
    .tuple(fc.integer({ min: -5, max: 99 }).filter((t) => !known.includes(t)), messageId(), fc.array(jsonLeaf(), { maxLength: 3 }))
    .map(([messageType, id, rest]) => ({ kind: 'unknownType', messageType, id, rest }));
};

/** CALLRESULT / CALLERROR / CALLRESULTERROR frames for ids the CSMS never used. */
export const strayResponse = (): fc.Arbitrary<FuzzCase> =>
  fc.oneof(
    fc.tuple(messageId(), fc.dictionary(fc.string({ maxLength: 8 }), jsonLeaf(), { maxKeys: 2 })).map(
      ([id, payload]): FuzzCase => ({ kind: 'strayResponse', messageType: 3, id, rest: [payload] }),
    ),
    fc.tuple(fc.constantFrom<3 | 4 | 5>(4, 5), messageId(), fc.constantFrom('GenericError', 'InternalError', 'NotImplemented')).map(
      ([messageType, id, code]): FuzzCase => ({ kind: 'strayResponse', messageType, id, rest: [code, '', {}] }),
    ),
  );

/** 2.1 SEND frames (an unknown type elsewhere). */
export const send = (): fc.Arbitrary<FuzzCase> =>
  fc.tuple(messageId(), fc.constantFrom('NotifyPeriodicEventStream', 'Heartbeat')).map(([id, action]) => ({ kind: 'send', id, action, payload: {} }));

/** CALLs with an unusable id: not a string, or empty. */
export const badId = (action = 'Heartbeat'): fc.Arbitrary<FuzzCase> =>
  fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant(''), fc.array(fc.nat(), { maxLength: 2 }), fc.constant({})).map((id) => ({ kind: 'badId', id, action }));

/** CALLs with ids of 37 to 200 characters. */
export const longId = (action = 'Heartbeat'): fc.Arbitrary<FuzzCase> =>
  fc.stringMatching(/^[A-Za-z0-9]{37,200}$/).map((id) => ({ kind: 'longId', id, action }));

/** CALLs with 2, 3 or 5+ elements. */
export const badArity = (action = 'Heartbeat'): fc.Arbitrary<FuzzCase> =>
  fc
    .tuple(messageId(), fc.oneof(fc.constant<unknown[]>([]), fc.constant<unknown[]>([action]), fc.array(jsonLeaf(), { minLength: 1, maxLength: 3 }).map((extra) => [action, {}, ...extra])))
    .map(([id, elements]) => ({ kind: 'badArity', id, elements }));

/** CALLs whose action is not a string. */
export const badAction = (): fc.Arbitrary<FuzzCase> =>
  fc.tuple(messageId(), fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant(['Heartbeat']))).map(([id, action]) => ({ kind: 'badAction', id, action }));

/** CALLs of actions no OCPP version defines. */
export const unknownAction = (isKnown: (action: string) => boolean): fc.Arbitrary<FuzzCase> =>
  fc
    .tuple(messageId(), fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z]{0,30}$/), fc.string({ minLength: 1, maxLength: 40 })))
    .filter(([, action]) => !isKnown(action))
    .map(([id, action]) => ({ kind: 'unknownAction', id, action }));

/** CALLs of a known action whose payload is not an object. */
export const badPayload = (action = 'Heartbeat'): fc.Arbitrary<FuzzCase> =>
  fc.tuple(messageId(), nonObject()).map(([id, payload]) => ({ kind: 'badPayload', id, action, payload }));

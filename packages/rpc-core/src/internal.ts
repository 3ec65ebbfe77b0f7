/**
 * `@chargewire/rpc-core/internal`: what the other @chargewire packages (server, client, cli) build on and users
 * do not need — wire framing, protocol limits, close-frame rules, the handler table and option helpers. No
 * compatibility promise: it changes with the packages that use it, in any release.
 */
export { MessageType, capDescription, errorFrame, parseFrame, serializeFrame } from './frames.js';
export type {
  CallErrorFrame,
  CallFrame,
  CallResultErrorFrame,
  CallResultFrame,
  Frame,
  FrameParseFailure,
  FrameParseResult,
  MessageTypeNumber,
  SendFrame,
} from './frames.js';
export { MAX_ERROR_DESCRIPTION_LENGTH, MAX_MESSAGE_ID_LENGTH, UNKNOWN_MESSAGE_ID, isValidMessageId, ruleSetOf } from './protocolRules.js';
export type { RuleSet } from './protocolRules.js';
export { countOption } from './options.js';
export { definePeerMethods } from './peerMethods.js';
export type { PeerMethods } from './peerMethods.js';
export { isSendableCloseCode, truncateCloseReason } from './closeFrame.js';
export { deferListenerTable } from './listenerTable.js';

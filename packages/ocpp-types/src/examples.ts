/**
 * Schema-derived example payloads for tests, simulators and fuzzers:
 * `import { exampleFor, brokenExamplesFor } from '@chargewire/ocpp-types/examples'`.
 */
export { exampleFor } from './exampleGenerator.js';
export type { ExampleOptions } from './exampleGenerator.js';
export { brokenExamplesFor } from './brokenExamples.js';
export type { BrokenExample } from './brokenExamples.js';

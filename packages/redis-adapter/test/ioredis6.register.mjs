// Loaded with `node --import` (through NODE_OPTIONS) in the ioredis 6 test run: every `import 'ioredis'` of the
// process, including the cluster nodes the fault tests spawn, loads the workspace's `ioredis6` alias instead.
import { register } from 'node:module';

register('./ioredis6.hooks.mjs', import.meta.url);

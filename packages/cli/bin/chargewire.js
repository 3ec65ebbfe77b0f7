#!/usr/bin/env node
// The `chargewire` bin. A committed file (not dist/) so that npm links it even in a fresh clone of the
// repository, where dist/ only appears after `npm run build`.
import '../dist/bin.js';

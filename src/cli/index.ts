#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { run } from './main';

// WebAssembly (libpg-query, PGlite) runs on V8's baseline compiler only. With the default tier-up,
// V8 also compiles the hot functions of a 1.7 MB parser again with its optimising compiler, which
// a short-lived process never gets back: `check` of an 84-migration project took 0.38 s instead of
// 0.27 s, and the steady-state parse speed is the same (docs/benchmarks.md). The flag has to be set
// before the first module is compiled; the extension host is shared, so only the CLI does this.
setFlagsFromString('--liftoff-only');
run();

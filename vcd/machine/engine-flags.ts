// V8's flags for the emulator's WebAssembly, wherever the lab starts the JavaScript engine itself (Node, and the
// headless Chromium of the tests, the grader and the CI): one list, read by node-host.ts and the Playwright
// configurations.
//
// v86 compiles hot guest code into many small WebAssembly modules, and a kbuild keeps making new ones (every new
// process's code). V8 starts each on its baseline compiler (Liftoff) and then recompiles it with its optimizing
// compiler on background threads; under v86 those recompiles cost more than they give. Measured on this 2-core
// host: two lab pages side by side, each building a small module cold, 305 s with V8's defaults (the renderers'
// background threads took 405 s of CPU, 11 M page faults, against 154 s for the two emulators themselves) and
// 54 s with Liftoff only (background threads 2 s); one page alone, a shell loop of 300,000 iterations 20.7 s
// against 16.5 s. In Node: the sample module's kbuild 46 s (71 s of CPU) against 38 s (38 s), the shell loop 19.8
// against 15.0 s. A page cannot set V8's flags for a student's browser (see the README's "The lab").
export const V8_WASM_FLAGS: readonly string[] = ["--liftoff-only"];

/** The same flags as Chromium's command line arguments. */
export const CHROMIUM_ENGINE_ARGS: readonly string[] = [`--js-flags=${V8_WASM_FLAGS.join(" ")}`];

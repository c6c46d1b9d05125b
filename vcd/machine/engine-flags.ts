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
//
// Node sets these only after it has compiled v86.wasm with V8's defaults, so that v86's own code still tiers up
// (v86Core in node-host.ts; what it gained is in the README's "V8 and the emulator's code"). A browser's flags are
// fixed when it starts.
export const V8_WASM_FLAGS: readonly string[] = ["--liftoff-only"];

/** The same flags as Chromium's command line arguments. */
export const CHROMIUM_ENGINE_ARGS: readonly string[] = [`--js-flags=${V8_WASM_FLAGS.join(" ")}`];

/**
 * What a page can do instead, with V8's defaults: make v86's compiled modules smaller (one guest page each instead of
 * v86's three), so V8's optimizing compiler has less to recompile per module. Measured on this 2-core host with V8's
 * defaults: in Node, the starter's first kbuild in a restored machine 21.4 and 24.2 s against 27.7 and 29.6 s (34-39 s
 * of CPU against 50-54 s), a warm one 8.6 and 9.8 s against 9.6 and 14.1 s; in the lab page (two tabs each,
 * alternated, a host busy with a background compile) 88.6 and 103.6 s against 111.0 and 117.1 s, warm 38.5 and 46.0
 * against 48.6 and 49.1 s; a shell loop the same. With Liftoff only it costs instead (Node: 23.9 against 21.6 s, one
 * run each), so Node keeps v86's default and the page takes `?jit-pages=N` (3 is v86's default) for a lab room whose
 * browsers run with the flags above.
 */
export const PAGE_JIT_MAX_PAGES = 1;

#!/usr/bin/env node
// vgpu-lab's one command line. The commands are TypeScript, loaded through tsx.
import { register } from "tsx/esm/api";
register();
// --flavour picks the guest (stock or course kernel) for every command; it must be known before any module that
// locates the built guest is loaded.
const argv = process.argv.slice(2);
const at = argv.indexOf("--flavour");
if (at >= 0) {
  process.env.VGPU_FLAVOUR = argv[at + 1] ?? "";
  argv.splice(at, 2);
}
const { main } = await import("./cli.ts");
process.exitCode = await main(argv);

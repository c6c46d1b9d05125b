#!/usr/bin/env node
// vgpu-lab's one command line. The commands are TypeScript, loaded through tsx.
import { register } from "tsx/esm/api";
register();
// --flavour picks the guest (stock or course kernel) for every command; it must be known before any module that
// locates the built guest is loaded.
const argv = process.argv.slice(2);
const end = argv.includes("--") ? argv.indexOf("--") : argv.length; // exec's command after -- is the guest's
const at = argv.slice(0, end).indexOf("--flavour");
if (at >= 0) {
  const { parseFlavour } = await import("../vcd/machine/flavour.ts");
  try {
    process.env.VGPU_FLAVOUR = parseFlavour(argv[at + 1] ?? "--flavour without a value");
  } catch (e) {
    process.stderr.write(`vgpu-lab: ${e.message}\n`);
    process.exit(2);
  }
  argv.splice(at, 2);
} else if (argv[0] === "grade" && !process.env.VGPU_FLAVOUR) {
  // Grading runs on the course kernel unless told otherwise: its detectors give evidence a stock kernel does not.
  process.env.VGPU_FLAVOUR = "course";
}
const { main } = await import("./cli.ts");
process.exitCode = await main(argv);

#!/usr/bin/env node
// vgpu-lab's one command line. The commands are TypeScript, loaded through tsx.
import { register } from "tsx/esm/api";
register();
const { main } = await import("./cli.ts");
process.exitCode = await main(process.argv.slice(2));

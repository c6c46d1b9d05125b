// `vgpu-lab serve`: build the guest if needed, then serve the lab page.
import { createServer } from "vite";
import { join } from "node:path";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { ensureImage } from "./cli.ts";

/** `quiet` is for headless runs (bench, grading): no log, no file watching, no hot reload in the middle of a run. */
export async function startServer(port: number, quiet = false) {
  await ensureImage();
  const server = await createServer({
    configFile: join(PROJECT_DIR, "vite.config.ts"),
    server: { port, strictPort: true, host: "127.0.0.1", ...(quiet ? { hmr: false, watch: null } : {}) },
    logLevel: quiet ? "error" : "info",
  });
  await server.listen();
  return server;
}

export async function serve(args: string[]): Promise<number> {
  const i = args.indexOf("--port");
  const port = i >= 0 ? Number(args[i + 1]) : 5173;
  const server = await startServer(port);
  server.printUrls();
  await new Promise(() => {}); // until interrupted
  return 0;
}

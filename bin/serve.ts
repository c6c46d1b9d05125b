// `vgpu-lab serve`: the lab's static build (dist/, rebuilt when its inputs changed) on a small server with HTTP
// ranges, as any host would serve it; `serve --dev` runs Vite's dev server instead (hot reload, sources).
import { createServer } from "vite";
import { join } from "node:path";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { ensureImage } from "./cli.ts";

/** The dev server. `quiet` is for headless runs (bench, grading): no log, no file watching, no hot reload in the middle of a run. */
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
  if (args.includes("--dev")) {
    // --no-watch: no hot reload in the middle of a run (the e2e suite edits nothing, but a developer might).
    const server = await startServer(port, args.includes("--no-watch"));
    server.printUrls();
  } else {
    const { buildSite, serveStatic, DIST } = await import("./site.ts");
    const { parseKernels } = await import("./site.ts");
    await buildSite({ kernels: parseKernels(args) });
    await serveStatic(DIST, port);
    process.stdout.write(`  the lab (static build in dist/): http://127.0.0.1:${port}/\n`);
  }
  await new Promise(() => {}); // until interrupted
  return 0;
}

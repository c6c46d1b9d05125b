import { defineConfig, type Plugin } from "vite";
import { existsSync, statSync } from "node:fs";
import { sendFile } from "./bin/http-range.ts";
import { join, normalize } from "node:path";

import { currentFlavour, guestDirName } from "./vcd/machine/flavour.ts";

/** The built guest of the flavour VGPU_FLAVOUR names (`npx vgpu-lab --flavour course serve --dev`). */
const GUEST_DIR = join(process.env.VGPU_BUILD ?? join(import.meta.dirname, "build"), guestDirName(currentFlavour()));

/** Serves the built guest (build/guest, or build/guest-course) at /guest/, with HTTP ranges so v86 fetches the disk lazily. */
function guestFiles(): Plugin {
  return {
    name: "vgpu-guest-files",
    configureServer(server) {
      server.middlewares.use("/guest", (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^(\.\.[/\\])+/, "");
        const file = join(GUEST_DIR, rel);
        if (!file.startsWith(GUEST_DIR) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("Content-Type", "application/octet-stream");
        sendFile(req, res, file);
      });
    },
  };
}

export default defineConfig({
  root: "web",
  plugins: [guestFiles()],
  // The page imports vcd/ and node_modules from above web/; the instructor's reference driver is never served.
  server: { fs: { allow: [".."], deny: [".env", ".env.*", "*.{crt,pem}", "**/kmod/reference/**"] } },
  // Relative asset paths: a published lab works from any folder of any static host.
  base: "./",
  build: { outDir: "../dist", emptyOutDir: true, target: "es2022" },
});

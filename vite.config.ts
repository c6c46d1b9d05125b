import { defineConfig, type Plugin } from "vite";
import { existsSync, statSync } from "node:fs";
import { sendFile } from "./bin/http-range.ts";
import { join, normalize } from "node:path";

import { currentFlavour, FLAVOURS, guestDirName, KERNELS_INDEX, siteGuestDir, type KernelsIndex } from "./vcd/machine/flavour.ts";

const BUILD = process.env.VGPU_BUILD ?? join(import.meta.dirname, "build");

/**
 * The built guests: VGPU_FLAVOUR's (`npx vgpu-lab --flavour course serve --dev`) at /guest/, and every other flavour
 * built here at /guest-<flavour>/, listed in /kernels.json for the page's `?kernel=`. HTTP ranges, so v86 fetches
 * the disk lazily.
 */
function guestFiles(): Plugin {
  const own = currentFlavour();
  const built = () => FLAVOURS.filter((f) => f === own || existsSync(join(BUILD, guestDirName(f), "manifest.json")));
  const index = (): KernelsIndex => ({ default: own, offered: [own, ...built().filter((f) => f !== own)] });
  return {
    name: "vgpu-guest-files",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
        if (path === `/${KERNELS_INDEX}`) {
          res.setHeader("Content-Type", "application/json");
          res.setHeader("Cache-Control", "no-cache");
          return res.end(JSON.stringify(index()));
        }
        const m = /^\/(guest(?:-[a-z]+)?)(\/.*)$/.exec(path);
        if (!m) return next();
        const idx = index();
        const f = idx.offered.find((k) => siteGuestDir(idx, k) === m[1]);
        if (!f) return next();
        const dir = join(BUILD, guestDirName(f));
        const file = join(dir, normalize(m[2]).replace(/^(\.\.[/\\])+/, ""));
        if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return next();
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
  // The machine's worker (web/src/machine/worker.ts) is a module worker: it shares the page's modules' chunks.
  worker: { format: "es" },
});

import { defineConfig, type Plugin } from "vite";
import { createReadStream, existsSync, statSync } from "node:fs";
import { join, normalize } from "node:path";

const GUEST_DIR = process.env.VGPU_BUILD ? join(process.env.VGPU_BUILD, "guest") : join(import.meta.dirname, "build", "guest");

/** Serves the built guest (build/guest) at /guest/, with HTTP ranges so v86 fetches the disk lazily. */
function guestFiles(): Plugin {
  return {
    name: "vgpu-guest-files",
    configureServer(server) {
      server.middlewares.use("/guest", (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? "/").split("?")[0])).replace(/^(\.\.[/\\])+/, "");
        const file = join(GUEST_DIR, rel);
        if (!file.startsWith(GUEST_DIR) || !existsSync(file) || !statSync(file).isFile()) return next();
        const size = statSync(file).size;
        res.setHeader("Accept-Ranges", "bytes");
        res.setHeader("Cache-Control", "no-cache");
        res.setHeader("Content-Type", "application/octet-stream");
        const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
        if (m) {
          const start = Number(m[1]);
          const end = m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
          if (start > end || start >= size) { res.statusCode = 416; res.setHeader("Content-Range", `bytes */${size}`); return res.end(); }
          res.statusCode = 206;
          res.setHeader("Content-Range", `bytes ${start}-${end}/${size}`);
          res.setHeader("Content-Length", String(end - start + 1));
          createReadStream(file, { start, end }).pipe(res);
        } else {
          res.setHeader("Content-Length", String(size));
          createReadStream(file).pipe(res);
        }
      });
    },
  };
}

export default defineConfig({
  root: "web",
  plugins: [guestFiles()],
  // The page imports vcd/ and node_modules from above web/; the instructor's reference driver is never served.
  server: { fs: { allow: [".."], deny: [".env", ".env.*", "*.{crt,pem}", "**/kmod/reference/**"] } },
  build: { outDir: "../dist", emptyOutDir: true, target: "es2022" },
});

// The kernels a site carries, as `serve`, `npm run build` and `publish` read them from --kernels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";
import { checkSite, parseKernels, referenceMarkers } from "./site.ts";

test("--kernels: this process's flavour first (the plain URL's), the others after it, each once", () => {
  assert.equal(process.env.VGPU_FLAVOUR ?? "", "", "run with the stock flavour");
  assert.deepEqual(parseKernels([]), ["stock"]);
  assert.deepEqual(parseKernels(["--port", "5173", "--kernels", "course,stock,course"]), ["stock", "course"]);
  assert.throws(() => parseKernels(["--kernels"]), /needs a list/);
  assert.throws(() => parseKernels(["--kernels", "debug"]), /unknown guest flavour "debug"/);
});

test("the site's leak check: lines only the reference driver has, none the bundled starter shares", () => {
  const markers = referenceMarkers();
  assert.ok(markers.length >= 20, `${markers.length} markers`);
  const starterDir = join(PROJECT_DIR, "kmod/starter");
  const starter = readdirSync(starterDir).map((f) => readFileSync(join(starterDir, f), "utf8")).join("\n");
  for (const m of markers) assert.ok(!starter.includes(m), `the starter has "${m}"`);
  const site = mkdtempSync(join(tmpdir(), "site-"));
  mkdirSync(join(site, "assets"));
  // The page bundles the starter as a string (newlines escaped): that is allowed.
  writeFileSync(join(site, "assets/index.js"), `const s = ${JSON.stringify(starter)};`);
  assert.deepEqual(checkSite(site), []);
  const reference = readFileSync(join(PROJECT_DIR, "kmod/reference/pm2ref.c"), "utf8");
  writeFileSync(join(site, "assets/leak.js"), `const r = ${JSON.stringify(reference)};`);
  assert.match(checkSite(site).join(), /assets\/leak\.js \(has /);
  writeFileSync(join(site, "assets/index.js.map"), "{}");
  assert.ok(checkSite(site).includes("assets/index.js.map"));
});

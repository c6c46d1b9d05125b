// The kernels a site carries, as `serve`, `npm run build` and `publish` read them from --kernels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseKernels } from "./site.ts";

test("--kernels: this process's flavour first (the plain URL's), the others after it, each once", () => {
  assert.equal(process.env.VGPU_FLAVOUR ?? "", "", "run with the stock flavour");
  assert.deepEqual(parseKernels([]), ["stock"]);
  assert.deepEqual(parseKernels(["--port", "5173", "--kernels", "course,stock,course"]), ["stock", "course"]);
  assert.throws(() => parseKernels(["--kernels"]), /needs a list/);
  assert.throws(() => parseKernels(["--kernels", "debug"]), /unknown guest flavour "debug"/);
});

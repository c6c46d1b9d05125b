// The kernel a page URL gets: `?kernel=` against what the site offers (kernels.json), or the site's one guest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseKernel, parseFlavour, type KernelsIndex } from "../flavour.ts";

const both: KernelsIndex = { default: "stock", offered: ["stock", "course"] };

test("a plain URL gets the site's default kernel, in guest/", () => {
  assert.deepEqual(chooseKernel(both, ""), { flavour: "stock", dir: "guest" });
  assert.deepEqual(chooseKernel({ default: "course", offered: ["course"] }, "?variant=x"), { flavour: "course", dir: "guest" });
});

test("?kernel= names another offered kernel, in guest-<flavour>/", () => {
  assert.deepEqual(chooseKernel(both, "?kernel=course"), { flavour: "course", dir: "guest-course" });
  assert.deepEqual(chooseKernel({ default: "course", offered: ["course", "stock"] }, "?kernel=stock"), { flavour: "stock", dir: "guest-stock" });
});

test("a kernel the site does not offer, or no such kernel, is an error that says what there is", () => {
  assert.throws(() => chooseKernel({ default: "stock", offered: ["stock"] }, "?kernel=course"), /offers no course kernel.*it offers: stock/);
  assert.throws(() => chooseKernel(both, "?kernel=debug"), /unknown guest flavour "debug" \(one of stock, course\)/);
});

test("a site without kernels.json has its one guest; the page checks a wanted kernel against its manifest", () => {
  assert.deepEqual(chooseKernel(undefined, ""), { flavour: undefined, dir: "guest" });
  assert.deepEqual(chooseKernel(undefined, "?kernel=course"), { flavour: "course", dir: "guest" });
  assert.equal(parseFlavour(undefined), "stock");
});

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { unzipSync, strFromU8 } from "fflate";
import { deriveVariant } from "../vcd/card/variants/derive.ts";
import { parseVariant } from "../vcd/card/variants/check.ts";
import { permedia2v } from "../vcd/card/variants/permedia2v.ts";
import { PUBLISHED_INDEX, type PublishedIndex } from "../vcd/card/variants/published.ts";
import { HEADER_PATH } from "../kmod/starter/handout.ts";
import { STARTER_PROJECT } from "../kmod/starter/project.ts";
import { checkPublished, prepareOut, writeVariants } from "./publish.ts";
import { PROJECT_DIR } from "../vcd/machine/node-host.ts";

const SEED = "spring semester secret 7f3a";
const ring = deriveVariant(permedia2v, { name: "2027 Spring", seed: SEED, irqAck: "read", commands: "ring" });
const tmp = () => mkdtempSync(join(tmpdir(), "vgpu-publish-"));

test("publish writes each variant's card without its seed, its manual and its handout, and an index", () => {
  const out = tmp();
  const index = writeVariants(out, [ring, permedia2v]);
  const listed = JSON.parse(readFileSync(join(out, PUBLISHED_INDEX), "utf8")) as PublishedIndex;
  assert.deepEqual(listed, index);
  assert.equal(index.default, ring.id);
  assert.deepEqual(index.variants.map((v) => v.id), [ring.id, permedia2v.id]);

  const e = index.variants[0]!;
  const cardText = readFileSync(join(out, e.card), "utf8");
  assert.ok(!cardText.includes(SEED), "the published card holds no seed");
  assert.ok(!cardText.includes('"origin"'));
  const card = parseVariant(cardText, e.card); // what the page parses
  assert.equal(card.id, ring.id);
  assert.deepEqual(card.registers, ring.registers);
  assert.deepEqual(card.behaviour, { irqAck: "read", commands: "ring" });

  assert.match(readFileSync(join(out, e.manual), "utf8"), /^<!doctype html>/);
  assert.ok(readFileSync(join(out, e.manualMarkdown), "utf8").includes(ring.name));

  const zip = unzipSync(readFileSync(join(out, e.handout)));
  const names = Object.keys(zip).sort();
  for (const s of STARTER_PROJECT) assert.ok(names.includes(s.path), `the handout has ${s.path}`);
  assert.ok(names.includes("MANUAL.md") && names.includes("manual.html"));
  const header = strFromU8(zip[HEADER_PATH]!);
  assert.match(header, new RegExp(`PM2_PCI_DEVICE_ID\\s+0x${ring.pci.deviceId.toString(16).padStart(4, "0")}`));
  assert.match(header, /PM2_CMD_RING/);
  assert.ok(!header.includes(SEED));
  // The default card's handout keeps the repository's header byte for byte (the image's precompiled headers).
  const zip2 = unzipSync(readFileSync(join(out, index.variants[1]!.handout)));
  assert.equal(strFromU8(zip2[HEADER_PATH]!), readFileSync(join(PROJECT_DIR, "kmod/include/generated/pm2v_regs.h"), "utf8"));
  assert.equal(strFromU8(zip2["pm2ref.c"]!), readFileSync(join(PROJECT_DIR, "kmod/starter/pm2ref.c"), "utf8"));

  assert.deepEqual(checkPublished(out, [ring, permedia2v]), []);
});

test("the published tree is checked file by file: a seed, the reference driver or grading material is named", () => {
  const out = tmp();
  writeVariants(out, [ring]);
  writeFileSync(join(out, "notes.json"), JSON.stringify({ seed: SEED }));
  mkdirSync(join(out, "grading"));
  writeFileSync(join(out, "grading", "weights.json"), "{}");
  // The starter's driver has the reference's name: the reference is told by its lines, not its name.
  writeFileSync(join(out, "pm2ref.c"), readFileSync(join(PROJECT_DIR, "kmod/reference/pm2ref.c")));
  writeFileSync(join(out, "starter.c"), readFileSync(join(PROJECT_DIR, "kmod/starter/pm2ref.c")));
  const bad = checkPublished(out, [ring]);
  assert.ok(bad.some((b) => b.startsWith("notes.json") && b.includes("seed")), bad.join("; "));
  assert.ok(bad.some((b) => b.startsWith("grading")), bad.join("; "));
  assert.ok(bad.some((b) => b.startsWith("pm2ref.c (has ")), bad.join("; "));
  assert.ok(!bad.some((b) => b.startsWith("starter.c")), bad.join("; "));
});

test("publish refuses a folder that holds other files unless forced, and two variants with one id", () => {
  const out = tmp();
  writeFileSync(join(out, "thesis.tex"), "keep me");
  assert.throws(() => prepareOut(out, false), /holds other files \(thesis\.tex\).*--force/);
  assert.ok(existsSync(join(out, "thesis.tex")), "nothing was touched");
  prepareOut(out, true);
  assert.ok(!existsSync(join(out, "thesis.tex")));
  // An earlier publish (its stamp) may be replaced without --force.
  writeFileSync(join(out, ".vgpu-lab-publish"), "x");
  writeFileSync(join(out, "index.html"), "old");
  prepareOut(out, false);
  assert.ok(!existsSync(join(out, "index.html")));
  assert.throws(() => writeVariants(tmp(), [ring, ring]), /two variants have the id/);
});

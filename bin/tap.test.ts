import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTap, tapProblems } from "./tap.ts";

test("TAP: plan, passes, failures, skips and noise", () => {
  const r = parseTap("TAP version 13\n1..4\nok 1 - mode set 640x480\n# a comment\nnot ok 2 - triangle matches\nok 3 - burst # SKIP no burst knob\nok 4\r\ngarbage\n");
  assert.equal(r.planned, 4);
  assert.deepEqual(r.tests.map((t) => [t.n, t.ok]), [[1, true], [2, false], [3, true], [4, true]]);
  assert.equal(r.tests[0]!.name, "mode set 640x480");
  assert.equal(r.tests[2]!.directive, "SKIP");
  assert.deepEqual(tapProblems(r), ["not ok 2 - triangle matches"]);
});

test("TAP: a crash before the plan's end is a problem", () => {
  assert.deepEqual(tapProblems(parseTap("1..3\nok 1 - a\n")), ["planned 3 tests, ran 1"]);
  assert.deepEqual(tapProblems(parseTap("ok 1\n")), ["no plan line (1..N): the program may have crashed"]);
  assert.deepEqual(tapProblems(parseTap("1..1\nBail out! no device\n")), ["bailed out: no device", "planned 1 tests, ran 0"]);
});

test("nested subtests (indented) count only through their parent's line", () => {
  const r = parseTap("TAP version 13\nok 1 - build\n# pm2ref-tests\n    ok 1 - mode\n    not ok 2 - fill # TODO\n    1..2\nok 2 - pm2ref-tests\n1..2\n");
  assert.equal(r.planned, 2);
  assert.deepEqual(r.tests.map((t) => t.name), ["build", "pm2ref-tests"]);
  assert.deepEqual(tapProblems(r), []);
  assert.equal(parseTap("ok 1\n    1..5\n").planned, null);
});

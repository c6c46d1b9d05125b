import { test } from "node:test";
import assert from "node:assert/strict";
import { moduleOf, testCommand } from "./make.ts";

test("the module to load is the Makefile's first obj-m, else the one .ko built", () => {
  assert.equal(moduleOf({ Makefile: "obj-m := pm2-driver.o\nccflags-y := -I$(src)/include\n" }, []), "pm2-driver.ko");
  assert.equal(moduleOf({ Makefile: "obj-m += a.o b.o\n" }, ["/b.ko", "/a.ko"]), "a.ko");
  assert.equal(moduleOf({ Makefile: "all:\n\tmake\n" }, ["/x.ko", "/tests/y"]), "x.ko");
  assert.equal(moduleOf({}, ["/x.ko", "/y.ko"]), null);
});

test("tests run through the Makefile's test target, else tests/run-tests.sh, else not at all", () => {
  assert.equal(testCommand({ Makefile: "all:\n\ttrue\ntest: all\n\t./t\n" }), "make -s test 2>&1");
  assert.equal(testCommand({ Makefile: "all:\n", "tests/run-tests.sh": "" }), "sh tests/run-tests.sh 2>&1");
  assert.equal(testCommand({ Makefile: "all:\n" }), null);
});

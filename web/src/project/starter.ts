// The starter project: kmod/starter/ as raw text, bundled into the page (the default project, and "New project
// from starter"). A placeholder stands in while the tree has no starter.
const raw = import.meta.glob("../../../kmod/starter/**/*", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const PREFIX = "../../../kmod/starter/";

const PLACEHOLDER: Record<string, string> = {
  "Makefile": `obj-m := hello.o
KDIR ?= /lib/modules/$(shell uname -r)/build

all:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) clean
`,
  "hello.c": `// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>

static int __init hello_init(void)
{
\tpr_info("hello: loaded\\n");
\treturn 0;
}

static void __exit hello_exit(void)
{
\tpr_info("hello: unloaded\\n");
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
`,
};

export function starterProject(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const rel = k.slice(PREFIX.length);
    if (!rel || /(^|\/)(\.|README)/.test(rel) && !rel.endsWith(".md")) continue;
    files[rel] = v;
  }
  return Object.keys(files).length ? files : { ...PLACEHOLDER };
}

/** The file a fresh project opens first: the driver's main C file. */
export function starterOpenFiles(files: Record<string, string>): string[] {
  const c = Object.keys(files).filter((p) => !p.includes("/") && p.endsWith(".c")).sort();
  return c.length ? [c[0]!] : Object.keys(files).slice(0, 1);
}

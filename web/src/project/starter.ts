// The starter project: kmod/starter/ as raw text, bundled into the page (the default project, and "New project
// from starter"). A placeholder stands in while the tree has no starter.
import { permedia2v } from "../../../vcd/card/variants/permedia2v.ts";

const raw = import.meta.glob("../../../kmod/starter/**/*", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

const PREFIX = "../../../kmod/starter/";

const hex = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;

/** Stands in for kmod/starter: a PCI driver that binds the card (IDs from the variant) and does nothing else. */
const PLACEHOLDER: Record<string, string> = {
  "Makefile": `obj-m := pm2skel.o
KDIR ?= /lib/modules/$(shell uname -r)/build

all:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
\t$(MAKE) -C $(KDIR) M=$(CURDIR) clean
`,
  "pm2skel.c": `// SPDX-License-Identifier: GPL-2.0
// A PCI driver skeleton for the lab's card: it binds the device and does nothing else yet.
#include <linux/module.h>
#include <linux/pci.h>

static const struct pci_device_id pm2skel_ids[] = {
\t{ PCI_DEVICE(${hex(permedia2v.pci.vendorId)}, ${hex(permedia2v.pci.deviceId)}) },
\t{ }
};
MODULE_DEVICE_TABLE(pci, pm2skel_ids);

static int pm2skel_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
\t/* TODO 1: pcim_enable_device(), TODO 2: map BAR0, TODO 3: pci_set_master(), TODO 4: request the IRQ */
\tpci_info(pdev, "pm2skel: bound\\n");
\treturn 0;
}

static void pm2skel_remove(struct pci_dev *pdev)
{
\tpci_info(pdev, "pm2skel: removed\\n");
}

static struct pci_driver pm2skel_driver = {
\t.name = "pm2skel",
\t.id_table = pm2skel_ids,
\t.probe = pm2skel_probe,
\t.remove = pm2skel_remove,
};
module_pci_driver(pm2skel_driver);
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

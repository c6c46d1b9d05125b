// SPDX-License-Identifier: GPL-2.0
/*
 * hello_pci - the smallest PCI driver: it registers, logs what it binds to, and leaves.
 * Used to check that out-of-tree kbuild works in the guest.
 */
#include <linux/module.h>
#include <linux/pci.h>

static const struct pci_device_id hello_pci_ids[] = {
	{ PCI_DEVICE(0x3d3d, 0x0009) },
	{ }
};
MODULE_DEVICE_TABLE(pci, hello_pci_ids);

static int hello_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	pci_info(pdev, "hello_pci: bound to %04x:%04x\n", pdev->vendor, pdev->device);
	return 0;
}

static void hello_pci_remove(struct pci_dev *pdev)
{
	pci_info(pdev, "hello_pci: unbound\n");
}

static struct pci_driver hello_pci_driver = {
	.name = "hello_pci",
	.id_table = hello_pci_ids,
	.probe = hello_pci_probe,
	.remove = hello_pci_remove,
};

static int __init hello_pci_init(void)
{
	pr_info("hello_pci: loaded\n");
	return pci_register_driver(&hello_pci_driver);
}

static void __exit hello_pci_exit(void)
{
	pci_unregister_driver(&hello_pci_driver);
	pr_info("hello_pci: unloaded\n");
}

module_init(hello_pci_init);
module_exit(hello_pci_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Smallest PCI driver, for checking the guest's kbuild");

// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu - the virtual graphics card's device module.
 *
 * Plugs the emulator's graphics card into the Virtual PCI Bus. From then on it is an ordinary PCI
 * device: the PCI core enumerates it and any driver that matches its IDs binds through
 * pci_register_driver(). Unloading this module hot-unplugs the card, so the bound driver's
 * remove() runs, as when a real card is pulled from a hot-plug slot.
 *
 * Emulator controls (not part of the card): the "burst" parameter completes DMA buffers back to
 * back so completion interrupts arrive in rapid succession; "time_scale" speeds simulated time up.
 *   echo 1 > /sys/module/vgpu/parameters/burst
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>

#include <vpcib.h>
#include <generated/vpcib_hw.h>

static int slot = -1;
static struct pci_dev *card;
static bool burst;
static unsigned int time_scale = 100;

static int burst_set(const char *val, const struct kernel_param *kp)
{
	int ret = param_set_bool(val, kp);

	if (!ret && slot >= 0)
		vpcib_sideband_write(slot, VGPU_SB_BURST, burst);
	return ret;
}

static const struct kernel_param_ops burst_ops = {
	.set = burst_set,
	.get = param_get_bool,
};
module_param_cb(burst, &burst_ops, &burst, 0644);
MODULE_PARM_DESC(burst, "Complete DMA buffers back to back (completion interrupts in rapid succession)");

static int time_scale_set(const char *val, const struct kernel_param *kp)
{
	unsigned int v;
	int ret = kstrtouint(val, 0, &v);

	if (ret)
		return ret;
	if (v < 1 || v > 1000000)
		return -EINVAL;
	time_scale = v;
	if (slot >= 0)
		vpcib_sideband_write(slot, VGPU_SB_TIME_SCALE, time_scale);
	return 0;
}

static const struct kernel_param_ops time_scale_ops = {
	.set = time_scale_set,
	.get = param_get_uint,
};
module_param_cb(time_scale, &time_scale_ops, &time_scale, 0644);
MODULE_PARM_DESC(time_scale, "Simulated time in percent of real time (100 = real time)");

static int __init vgpu_init(void)
{
	/* The card is whatever display controller the emulator offers: its IDs change with the variant. */
	slot = vpcib_find_slot(0xff0000, PCI_BASE_CLASS_DISPLAY << 16);
	if (slot < 0) {
		pr_err("the emulator offers no graphics card\n");
		return slot;
	}
	vpcib_sideband_write(slot, VGPU_SB_BURST, burst);
	vpcib_sideband_write(slot, VGPU_SB_TIME_SCALE, time_scale);
	card = vpcib_plug(slot);
	if (IS_ERR(card)) {
		int ret = PTR_ERR(card);

		pr_err("cannot plug the card in slot %d: %d\n", slot, ret);
		slot = -1;
		return ret;
	}
	pci_info(card, "virtual graphics card [%04x:%04x] plugged in\n", card->vendor, card->device);
	return 0;
}

static void __exit vgpu_exit(void)
{
	pci_info(card, "unplugging the virtual graphics card\n");
	vpcib_unplug(card);
	slot = -1;
}

module_init(vgpu_init);
module_exit(vgpu_exit);

MODULE_DESCRIPTION("vgpu-lab virtual graphics card: plugs it into the Virtual PCI Bus");
MODULE_AUTHOR("vgpu-lab");
MODULE_LICENSE("GPL");

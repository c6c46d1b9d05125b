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
 * back so completion interrupts arrive in rapid succession; "time_scale" speeds simulated time up;
 * "irq_timing" chooses when a raised interrupt reaches the CPU: prompt (the default), adversarial
 * (right after the register write that raised it, so a lock the driver holds with interrupts on
 * meets its interrupt handler at once) or random (seeded by "irq_seed").
 *   echo 1 > /sys/module/vgpu/parameters/burst
 *   echo adversarial > /sys/module/vgpu/parameters/irq_timing
 * irq_timing and irq_seed are the emulator's settings, read back from it: they outlive a reload of
 * this module unless given on its command line.
 *
 * While loaded, the module also tells the emulator where each module loaded after it keeps its code
 * (text range and function symbols), so that the host can name the function a wedged guest is stuck
 * in without asking the guest.
 *
 * And it checks one classic of a first driver that no kernel detector names: a module that goes
 * away leaving its handler on the card's interrupt line (free_irq() missing from remove()). The
 * next interrupt would run code that is no longer there. When a module has been unloaded, the card
 * has no driver, and its line has a handler it did not have when the card was plugged in, the
 * module is named on the console (the lab reads it as a report; vcd/machine/console-watch.ts).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/string.h>

#include <vpcib.h>
#include <generated/vpcib_hw.h>

static int slot = -1;
static struct pci_dev *card;
static bool irq_shared_at_plug;	/* the card's line had a handler before any driver of the card */
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

static const char *const irq_timings[] = {
	[VGPU_IRQ_TIMING_PROMPT] = "prompt",
	[VGPU_IRQ_TIMING_ADVERSARIAL] = "adversarial",
	[VGPU_IRQ_TIMING_RANDOM] = "random",
};
/* -1: not given on the command line (leave the emulator's setting alone on load) */
static int irq_timing = -1;
static long long irq_seed = -1;

static int irq_timing_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(irq_timings, val);

	if (i < 0)
		return -EINVAL;
	irq_timing = i;
	if (slot >= 0)
		vpcib_sideband_write(slot, VGPU_SB_IRQ_TIMING, irq_timing);
	return 0;
}

static int irq_timing_get(char *buf, const struct kernel_param *kp)
{
	u32 v = slot >= 0 ? vpcib_sideband_read(slot, VGPU_SB_IRQ_TIMING) : max(irq_timing, 0);

	return sysfs_emit(buf, "%s\n", v < ARRAY_SIZE(irq_timings) ? irq_timings[v] : "unknown");
}

static const struct kernel_param_ops irq_timing_ops = {
	.set = irq_timing_set,
	.get = irq_timing_get,
};
module_param_cb(irq_timing, &irq_timing_ops, NULL, 0644);
MODULE_PARM_DESC(irq_timing, "When interrupts reach the CPU: prompt, adversarial (right after the register write that raised them) or random");

static int irq_seed_set(const char *val, const struct kernel_param *kp)
{
	u32 v;
	int ret = kstrtou32(val, 0, &v);

	if (ret)
		return ret;
	irq_seed = v;
	if (slot >= 0)
		vpcib_sideband_write(slot, VGPU_SB_IRQ_SEED, v);
	return 0;
}

static int irq_seed_get(char *buf, const struct kernel_param *kp)
{
	u32 v = slot >= 0 ? vpcib_sideband_read(slot, VGPU_SB_IRQ_SEED) : (u32)max(irq_seed, 0LL);

	return sysfs_emit(buf, "%u\n", v);
}

static const struct kernel_param_ops irq_seed_ops = {
	.set = irq_seed_set,
	.get = irq_seed_get,
};
module_param_cb(irq_seed, &irq_seed_ops, NULL, 0644);
MODULE_PARM_DESC(irq_seed, "Seed of the random interrupt timing (the same seed, the same delays)");

/* ---- where other modules keep their code, for the host to name a deadlock ---- */

static DEFINE_MUTEX(modinfo_lock);

static void modinfo_word(u32 w)
{
	vpcib_sideband_write(slot, VGPU_SB_MODULE_INFO, w);
}

static void modinfo_name(const char *s)
{
	size_t n = strnlen(s, 255), i;

	modinfo_word(n);
	for (i = 0; i < n; i += 4) {
		u32 w = 0;
		size_t j;

		for (j = 0; j < 4 && i + j < n; j++)
			w |= (u32)(u8)s[i + j] << (8 * j);
		modinfo_word(w);
	}
}

static bool modinfo_in_text(const struct module_layout *l, unsigned long a)
{
	return a >= (unsigned long)l->base && a < (unsigned long)l->base + l->text_size;
}

static void modinfo_loaded(struct module *mod)
{
	struct mod_kallsyms *ks = rcu_dereference_raw(mod->kallsyms);
	unsigned int i, count = 0;

	for (i = 1; i < ks->num_symtab; i++)
		if (modinfo_in_text(&mod->core_layout, ks->symtab[i].st_value) ||
		    modinfo_in_text(&mod->init_layout, ks->symtab[i].st_value))
			count++;
	modinfo_word(VGPU_MODINFO_LOAD);
	modinfo_word((unsigned long)mod->core_layout.base);
	modinfo_word(mod->core_layout.text_size);
	modinfo_name(mod->name);
	modinfo_word(count);
	for (i = 1; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];

		if (!modinfo_in_text(&mod->core_layout, sym->st_value) &&
		    !modinfo_in_text(&mod->init_layout, sym->st_value))
			continue;
		modinfo_word(sym->st_value);
		modinfo_name(ks->strtab + sym->st_name);
	}
}

static int vgpu_module_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct module *mod = data;

	if (slot < 0 || (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING))
		return NOTIFY_DONE;
	mutex_lock(&modinfo_lock);
	if (action == MODULE_STATE_COMING) {
		modinfo_loaded(mod);
	} else {
		modinfo_word(VGPU_MODINFO_GONE);
		modinfo_name(mod->name);
		/* GOING comes after the module's exit ran: a driver of the card has unregistered */
		if (!irq_shared_at_plug && card->irq && !READ_ONCE(card->dev.driver) && irq_has_action(card->irq))
			pr_err("%s left a handler on IRQ %d, the card's (%s), after unloading: free_irq() is missing from its remove() or exit\n",
			       mod->name, card->irq, pci_name(card));
	}
	mutex_unlock(&modinfo_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vgpu_module_nb = {
	.notifier_call = vgpu_module_event,
};

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
	if (irq_seed >= 0)
		vpcib_sideband_write(slot, VGPU_SB_IRQ_SEED, irq_seed);
	if (irq_timing >= 0)
		vpcib_sideband_write(slot, VGPU_SB_IRQ_TIMING, irq_timing);
	card = vpcib_plug(slot);
	if (IS_ERR(card)) {
		int ret = PTR_ERR(card);

		pr_err("cannot plug the card in slot %d: %d\n", slot, ret);
		slot = -1;
		return ret;
	}
	/*
	 * A handler on the line now is another device's, unless a driver of the card bound during the plug
	 * (it was loaded before this module: run-tests.sh's re-plug does that) and the handler is its own.
	 */
	irq_shared_at_plug = card->irq && irq_has_action(card->irq) && !READ_ONCE(card->dev.driver);
	pci_info(card, "virtual graphics card [%04x:%04x] plugged in\n", card->vendor, card->device);
	register_module_notifier(&vgpu_module_nb);
	return 0;
}

static void __exit vgpu_exit(void)
{
	unregister_module_notifier(&vgpu_module_nb);
	pci_info(card, "unplugging the virtual graphics card\n");
	vpcib_unplug(card);
	slot = -1;
}

module_init(vgpu_init);
module_exit(vgpu_exit);

MODULE_DESCRIPTION("vgpu-lab virtual graphics card: plugs it into the Virtual PCI Bus");
MODULE_AUTHOR("vgpu-lab");
MODULE_LICENSE("GPL");

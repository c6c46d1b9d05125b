// SPDX-License-Identifier: GPL-2.0
/*
 * card_selftest - checks the virtual card from a plain PCI driver, the way a student's driver
 * will use it: map BAR0, read identity registers, send a few tag words by input DMA from a
 * coherent buffer, take the DMA completion interrupt, unbind cleanly. Results go to the kernel
 * log as "card_selftest: PASS ..." / "card_selftest: FAIL ..." lines for the host to check.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>

#include <generated/pm2v_regs.h>

#define NWORDS 8

struct selftest {
	void __iomem *regs;
	struct completion dma_done;
	u32 flags_seen;
	unsigned int irqs;
};

static irqreturn_t selftest_irq(int irq, void *data)
{
	struct selftest *st = data;
	u32 flags = ioread32(st->regs + PM2R_INT_FLAGS);

	if (!flags)
		return IRQ_NONE;
	iowrite32(flags, st->regs + PM2R_INT_FLAGS);
	st->flags_seen |= flags;
	st->irqs++;
	if (flags & PM2_INT_DMA)
		complete(&st->dma_done);
	return IRQ_HANDLED;
}

static void check(struct pci_dev *pdev, bool ok, const char *what, u32 value)
{
	pci_info(pdev, "%s %s (0x%08x)\n", ok ? "PASS" : "FAIL", what, value);
}

static int selftest_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct selftest *st;
	dma_addr_t handle;
	u32 *buf, v;
	int ret, n = 0;

	st = devm_kzalloc(&pdev->dev, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	init_completion(&st->dma_done);
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(PM2_BAR_REGISTERS), KBUILD_MODNAME);
	if (ret)
		return ret;
	st->regs = pcim_iomap_table(pdev)[PM2_BAR_REGISTERS];
	pci_set_master(pdev);
	pci_set_drvdata(pdev, st);

	v = ioread32(st->regs + PM2R_IN_FIFO_SPACE);
	check(pdev, v == PM2_INPUT_FIFO_DEPTH, "InFIFOSpace reads the FIFO depth", v);
	v = ioread32(st->regs + PM2R_MEM_CONFIG);
	check(pdev, v == 0xe0000000, "MemConfig reset value", v);
	iowrite32(0x12345678, st->regs + PM2R_SCREEN_STRIDE);
	v = ioread32(st->regs + PM2R_SCREEN_STRIDE);
	check(pdev, v != 0xffffffff, "ScreenStride is writable", v);

	ret = devm_request_irq(&pdev->dev, pdev->irq, selftest_irq, IRQF_SHARED, KBUILD_MODNAME, st);
	if (ret) {
		pci_err(pdev, "cannot take IRQ %d: %d\n", pdev->irq, ret);
		return ret;
	}
	iowrite32(PM2_INT_DMA | PM2_INT_ERROR, st->regs + PM2R_INT_ENABLE);

	buf = dmam_alloc_coherent(&pdev->dev, PAGE_SIZE, &handle, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	buf[n++] = PM2_HOLD(PM2TAG_START_X_DOM, 1);
	buf[n++] = PM2_FIXED16(100);
	buf[n++] = PM2_HOLD(PM2TAG_START_Y, 1);
	buf[n++] = PM2_FIXED16(50);
	buf[n++] = PM2_HOLD(PM2TAG_D_Y, 1);
	buf[n++] = PM2_FIXED16(1);
	buf[n++] = PM2_HOLD(PM2TAG_COUNT, 1);
	buf[n++] = 7;
	iowrite32(handle, st->regs + PM2R_DMA_ADDRESS);
	iowrite32(n, st->regs + PM2R_DMA_COUNT);
	if (!wait_for_completion_timeout(&st->dma_done, msecs_to_jiffies(5000))) {
		check(pdev, false, "DMA interrupt within 5 s; DMACount", ioread32(st->regs + PM2R_DMA_COUNT));
	} else {
		check(pdev, true, "DMA interrupt", st->flags_seen);
		v = ioread32(st->regs + PM2R_DMA_COUNT);
		check(pdev, v == 0, "DMACount is 0 after the interrupt", v);
		v = ioread32(st->regs + PM2_GP_OFFSET(PM2TAG_START_Y));
		check(pdev, v == PM2_FIXED16(50), "StartY holds the value sent by DMA", v);
		v = ioread32(st->regs + PM2R_ERROR_FLAGS);
		check(pdev, v == 0, "no error flags", v);
	}
	pci_info(pdev, "probe done: %u interrupts on IRQ %d\n", st->irqs, pdev->irq);
	return 0;
}

static void selftest_remove(struct pci_dev *pdev)
{
	struct selftest *st = pci_get_drvdata(pdev);

	iowrite32(0, st->regs + PM2R_INT_ENABLE);
	pci_info(pdev, "remove() called\n");
}

static const struct pci_device_id selftest_ids[] = {
	{ PCI_DEVICE(PM2_PCI_VENDOR_ID, PM2_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, selftest_ids);

static struct pci_driver selftest_driver = {
	.name = KBUILD_MODNAME,
	.id_table = selftest_ids,
	.probe = selftest_probe,
	.remove = selftest_remove,
};
module_pci_driver(selftest_driver);

MODULE_DESCRIPTION("vgpu-lab: end-to-end check of the virtual card");
MODULE_LICENSE("GPL");

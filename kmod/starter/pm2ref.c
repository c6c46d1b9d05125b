// SPDX-License-Identifier: GPL-2.0
/*
 * pm2ref - your driver for the course's virtual Permedia 2v card.
 *
 * As it is, it builds, loads and binds the card (`lspci -k` shows "Kernel driver in use: pm2ref"),
 * and gives user space /dev/pm2ref0, whose calls all fail: the tests run and fail cleanly.
 * Work through the numbered TODOs in order. After each one: Build, Load, look at `dmesg`,
 * `lspci -vv -k`, `cat /proc/interrupts` and the Inspector, then Run tests.
 *
 * The card's registers, fields and command tags are in include/generated/pm2v_regs.h and in
 * the Manual pane; the ioctls your device must answer are in include/uapi/pm2ref.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <generated/pm2v_regs.h>
#include <uapi/pm2ref.h>

struct pm2ref {
	struct pci_dev *pdev;
	void __iomem *regs;		/* BAR PM2_BAR_REGISTERS, once mapped (TODO 2) */
	spinlock_t lock;		/* shared by the ioctls and the interrupt handler */
	wait_queue_head_t wq;		/* processes waiting for the card */
	struct miscdevice misc;		/* /dev/pm2ref0 */
};

static inline u32 rd(struct pm2ref *dev, u32 reg)
{
	return ioread32(dev->regs + reg);
}

static inline void wr(struct pm2ref *dev, u32 reg, u32 val)
{
	iowrite32(val, dev->regs + reg);
}

/*
 * TODO 5: the interrupt handler. The line is shared: read IntFlags and return IRQ_NONE when none
 * of the bits you enabled is set. Otherwise acknowledge what you handle (the manual says how),
 * finish the buffer the card completed, start the next queued one and wake_up() the waiters.
 * Remember this runs with the lock's other users interrupted: which spin_lock form must they use?
 */
static irqreturn_t __maybe_unused pm2ref_irq(int irq, void *data)
{
	return IRQ_NONE;
}

/*
 * TODO 7: the course's ioctls (include/uapi/pm2ref.h): PM2REF_IOC_INFO first, then SET_MODE,
 * SUBMIT (copy the user's words into a DMA buffer, never trust a length), WAIT and SYNC,
 * then SUBMIT_BUF for buffers the process filled through mmap().
 */
static long pm2ref_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	default:
		return -ENOTTY;
	}
}

/*
 * TODO 8: mmap(). PM2REF_MMAP_FB maps the framebuffer (BAR PM2_BAR_VRAM) with remap_pfn_range()
 * and pgprot_writecombine(); PM2REF_MMAP_BUF(i) maps this file's DMA buffer i
 * (dma_mmap_coherent()).
 */
static int pm2ref_mmap(struct file *file, struct vm_area_struct *vma)
{
	return -ENODEV;
}

/* TODO 6: per-open state: allocate this file's DMA buffers with dma_alloc_coherent() here and
 * free them in release (after the card is done with them). */
static int pm2ref_open(struct inode *inode, struct file *file)
{
	struct pm2ref *dev = container_of(file->private_data, struct pm2ref, misc);

	file->private_data = dev;
	return 0;
}

static int pm2ref_release(struct inode *inode, struct file *file)
{
	return 0;
}

static const struct file_operations pm2ref_fops = {
	.owner = THIS_MODULE,
	.open = pm2ref_open,
	.release = pm2ref_release,
	.unlocked_ioctl = pm2ref_ioctl,
	.mmap = pm2ref_mmap,
};

static int pm2ref_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pm2ref *dev;
	int ret;

	dev = devm_kzalloc(&pdev->dev, sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->pdev = pdev;
	spin_lock_init(&dev->lock);
	init_waitqueue_head(&dev->wq);
	pci_set_drvdata(pdev, dev);

	/* TODO 1: enable the device: pcim_enable_device(). */

	/* TODO 2: claim and map BAR PM2_BAR_REGISTERS (pcim_iomap_regions(), pcim_iomap_table()),
	 * then check the chip answers: read a register whose reset value the manual gives. */

	/* TODO 3: the card fetches command buffers itself: set a 32-bit DMA mask
	 * (dma_set_mask_and_coherent()) and turn bus mastering on (pci_set_master()). */

	/* TODO 4: reset the chip (ResetStatus), request the interrupt (devm_request_irq() with
	 * IRQF_SHARED and pm2ref_irq), then enable the card's DMA and error interrupts (IntEnable). */

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = "pm2ref0";
	dev->misc.fops = &pm2ref_fops;
	dev->misc.parent = &pdev->dev;
	ret = misc_register(&dev->misc);
	if (ret)
		return ret;

	pci_info(pdev, "bound; /dev/%s is ready\n", dev->misc.name);
	return 0;
}

static void pm2ref_remove(struct pci_dev *pdev)
{
	struct pm2ref *dev = pci_get_drvdata(pdev);

	misc_deregister(&dev->misc);
	/* TODO 9: quiesce the card before its resources go away: interrupts off on the card
	 * (IntEnable), no DMA running, waiters woken. The managed (pcim_/devm_) resources are
	 * released after this function returns. */
}

static const struct pci_device_id pm2ref_ids[] = {
	{ PCI_DEVICE(PM2_PCI_VENDOR_ID, PM2_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, pm2ref_ids);

static struct pci_driver pm2ref_driver = {
	.name = KBUILD_MODNAME,
	.id_table = pm2ref_ids,
	.probe = pm2ref_probe,
	.remove = pm2ref_remove,
};
module_pci_driver(pm2ref_driver);

MODULE_DESCRIPTION("Driver for the course's virtual Permedia 2v card");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0
/*
 * pm2ref - vgpu-lab reference driver for the 3Dlabs Permedia 2v (reduced virtual model).
 *
 * The instructor's solution: PCI probe/remove with managed resources, chip reset and engine
 * initialisation as pm2fb and the X.org glint driver do it, mode setting, and a queue of
 * coherent DMA command buffers driven by the DMA completion interrupt.
 *
 * Locking. dev->lock (a spinlock, taken with interrupts off in process context) protects the
 * queue, the buffer in flight (dev->active), the sequence numbers and the statistics; it is shared
 * by the ioctl path and the interrupt handler, and the only code that writes DMAAddress/DMACount
 * runs under it (pm2ref_start). A buffer is complete when DMACount reads 0 after it was started;
 * the handler loops until IntFlags has no enabled bit left, so completions that arrive back to
 * back while it runs (the card's burst mode) are all seen. dev->hw_lock (a mutex) serialises
 * host-side programming (mode set, Sync handshake); those hold the queue (dev->hold) so that
 * no DMA runs while the host writes the FIFO.
 *
 * One driver for every card of the lab. The generated header says which of two behaviours this
 * card has, and the few functions under "behavioural choices" below are the only ones that differ:
 * interrupts are acknowledged by writing 1 to clear (PM2_IRQ_ACK_W1C) or by reading
 * (PM2_IRQ_ACK_READ); buffers reach the card by DMA address/count (PM2_CMD_DMA) or are copied into
 * a command ring whose tail the driver advances (PM2_CMD_RING). Either way one buffer is in flight.
 *
 * Lifetime. struct pm2ref_dev is reference-counted: open files keep it after a hot-unplug
 * (rmmod vgpu). remove() marks it gone under both locks; every path that touches the card checks
 * that first, so no MMIO happens once the managed mappings are released. The open files' DMA
 * buffers belong to the device, so they go in remove() too: once no ioctl is filling one
 * (nothing starts filling after gone), every user mapping of the device node is zapped (a later
 * touch is SIGBUS, not a read of freed pages) and the buffers are freed. dev->map_lock orders
 * that against mmap() and release(), which also free or map them; it is taken under mmap_lock
 * and never around user memory.
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

#define PM2REF_NCOPY		2	/* per-file bounce buffers for PM2REF_IOC_SUBMIT */
#define PM2REF_NALL		(PM2REF_NBUFS + PM2REF_NCOPY)
#define PM2REF_TIMEOUT_MS	10000	/* a buffer in flight longer than this is stuck */
#define PM2REF_IRQS		(PM2_INT_DMA | PM2_INT_ERROR)
#define PM2REF_IRQ_MAX_LOOPS	100000	/* IntFlags rounds before the handler gives up */
#define PM2REF_RING_WORDS	(2 * PM2REF_BUF_WORDS)	/* PM2_CMD_RING: any one buffer fits */

#if defined(PM2_IRQ_ACK_W1C) == defined(PM2_IRQ_ACK_READ) || defined(PM2_CMD_DMA) == defined(PM2_CMD_RING)
#error "the generated header must define one of PM2_IRQ_ACK_W1C/PM2_IRQ_ACK_READ and one of PM2_CMD_DMA/PM2_CMD_RING"
#endif

enum pm2ref_buf_state {
	PM2REF_BUF_IDLE,
	PM2REF_BUF_FILLING,	/* a bounce buffer being filled by PM2REF_IOC_SUBMIT */
	PM2REF_BUF_QUEUED,
	PM2REF_BUF_ACTIVE,
};

struct pm2ref_file;

struct pm2ref_buf {
	struct list_head node;		/* in dev->queue while queued */
	struct pm2ref_file *owner;
	u32 *cpu;
	dma_addr_t dma;
	u32 nwords;
	u64 seq;
	u32 err;			/* ErrorFlags seen while it ran, PM2REF_ERR_* */
	enum pm2ref_buf_state state;
};

struct pm2ref_dev {
	struct pci_dev *pdev;
	void __iomem *regs;
	resource_size_t fb_phys;
	u32 vram_size;
	struct kref kref;
	struct miscdevice misc;
	char name[16];
	int id;

	spinlock_t lock;		/* see the top of the file */
	struct list_head queue;
	struct pm2ref_buf *active;
	unsigned long active_since;
	unsigned int hold;
	bool gone;
	u64 submit_seq;
	u64 done_seq;
	u32 stray_err;
	wait_queue_head_t wq;
	struct pm2ref_info stats;	/* counters only */

#ifdef PM2_CMD_RING
	u32 *ring;			/* PM2REF_RING_WORDS, coherent */
	dma_addr_t ring_dma;
	u32 ring_tail;			/* what we last wrote to RingTail; under dev->lock */
#endif

	struct mutex hw_lock;		/* mode set and Sync handshake */
	u32 width, height, bpp, stride;

	struct mutex map_lock;		/* open files' buffers: mmap, release, remove */
	struct list_head files;		/* open files; changed under map_lock and lock */
};

struct pm2ref_file {
	struct pm2ref_dev *dev;
	struct list_head node;		/* in dev->files */
	struct address_space *mapping;	/* of the device node it was opened through */
	struct pm2ref_buf bufs[PM2REF_NALL];
	u64 last_seq;
	u32 err_flags;			/* under dev->lock */
};

struct pm2ref_timing {
	u16 width, height;
	u16 hfp, hsync, hbp;		/* pixels */
	u16 vfp, vsync, vbp;		/* lines */
};

/* VESA 60 Hz timings; the virtual card only uses the totals and blanking lengths. */
static const struct pm2ref_timing pm2ref_timings[] = {
	{ 640, 480, 16, 96, 48, 10, 2, 33 },
	{ 800, 600, 40, 128, 88, 1, 4, 23 },
	{ 1024, 768, 24, 136, 160, 3, 6, 29 },
};

static DEFINE_IDA(pm2ref_ida);

static inline u32 rd(struct pm2ref_dev *dev, u32 reg)
{
	return ioread32(dev->regs + reg);
}

static inline void wr(struct pm2ref_dev *dev, u32 reg, u32 val)
{
	iowrite32(val, dev->regs + reg);
}

/* ---- behavioural choices: interrupt acknowledge and command delivery ---- */

/* The pending interrupt flags, acknowledged. */
static u32 pm2ref_ack_irqs(struct pm2ref_dev *dev)
{
#ifdef PM2_IRQ_ACK_READ
	return rd(dev, PM2R_INT_FLAGS) & PM2REF_IRQS;	/* reading clears them */
#else
	u32 flags = rd(dev, PM2R_INT_FLAGS) & PM2REF_IRQS;

	if (flags)
		wr(dev, PM2R_INT_FLAGS, flags);		/* write 1 to clear */
	return flags;
#endif
}

/* The sticky error bits, acknowledged. */
static u32 pm2ref_ack_errors(struct pm2ref_dev *dev)
{
	u32 err = rd(dev, PM2R_ERROR_FLAGS);

#ifdef PM2_IRQ_ACK_W1C
	wr(dev, PM2R_ERROR_FLAGS, err);
#endif
	return err;
}

/* Forget every pending interrupt flag. */
static void pm2ref_clear_irqs(struct pm2ref_dev *dev)
{
#ifdef PM2_IRQ_ACK_READ
	rd(dev, PM2R_INT_FLAGS);
#else
	wr(dev, PM2R_INT_FLAGS, ~0u);
#endif
}

/* Forget every pending flag and error (set-up). */
static void pm2ref_clear_flags(struct pm2ref_dev *dev)
{
#ifdef PM2_IRQ_ACK_READ
	rd(dev, PM2R_ERROR_FLAGS);
	rd(dev, PM2R_INT_FLAGS);
#else
	wr(dev, PM2R_ERROR_FLAGS, ~0u);
	wr(dev, PM2R_INT_FLAGS, ~0u);
#endif
}

/* Words of the buffer in flight the card has not fetched yet. */
static u32 pm2ref_hw_pending(struct pm2ref_dev *dev)
{
#ifdef PM2_CMD_RING
	return (dev->ring_tail - rd(dev, PM2R_RING_HEAD) + PM2REF_RING_WORDS) % PM2REF_RING_WORDS;
#else
	return rd(dev, PM2R_DMA_COUNT);
#endif
}

/* After a reset: the command path is empty (a ring is defined again, head and tail at 0). */
static void pm2ref_hw_commands_init(struct pm2ref_dev *dev)
{
#ifdef PM2_CMD_RING
	wr(dev, PM2R_RING_BASE, dev->ring_dma);
	wr(dev, PM2R_RING_SIZE, PM2REF_RING_WORDS);
	dev->ring_tail = 0;
#endif
}

/* Hand one buffer to the card; nothing else is in flight. */
static void pm2ref_hw_submit(struct pm2ref_dev *dev, dma_addr_t dma, const u32 *cpu, u32 nwords)
{
#ifdef PM2_CMD_RING
	u32 t = dev->ring_tail, first = min(nwords, PM2REF_RING_WORDS - t);

	memcpy(dev->ring + t, cpu, first * 4);
	memcpy(dev->ring, cpu + first, (nwords - first) * 4);
	t = (t + nwords) % PM2REF_RING_WORDS;
	dma_wmb();			/* the words before the tail that exposes them */
	dev->ring_tail = t;
	wr(dev, PM2R_RING_TAIL, t);
#else
	wr(dev, PM2R_DMA_ADDRESS, dma);
	wr(dev, PM2R_DMA_COUNT, nwords);
#endif
}

/* ---- engine: reset, initialisation, video ---- */

static int pm2ref_wait_fifo(struct pm2ref_dev *dev, u32 n)
{
	unsigned int i;

	for (i = 0; rd(dev, PM2R_IN_FIFO_SPACE) < n; i++) {
		if (i > 100000)
			return -ETIMEDOUT;
		udelay(1);
	}
	return 0;
}

/* One GP register write through the input FIFO. Only while no DMA runs. */
static void gp(struct pm2ref_dev *dev, u32 tag, u32 val)
{
	if (pm2ref_wait_fifo(dev, 1))
		dev_warn_ratelimited(&dev->pdev->dev, "input FIFO stays full (tag 0x%x)\n", tag);
	wr(dev, PM2_GP_OFFSET(tag), val);
}

/* FBReadMode partial products for a pitch in pixels: sum of 2^(p+4) over three codes. */
static u32 pm2ref_packed_pp(u32 pitch)
{
	u32 a, b, c;

	for (a = 0; a < 8; a++)
		for (b = 0; b < 8; b++)
			for (c = 0; c < 8; c++) {
				u32 p = (a ? 1u << (a + 4) : 0) + (b ? 1u << (b + 4) : 0) +
					(c ? 1u << (c + 4) : 0);

				if (p == pitch)
					return a | b << 3 | c << 6;
			}
	return 0;
}

static void pm2ref_rdac(struct pm2ref_dev *dev, u32 index, u32 val)
{
	wr(dev, PM2R_RD_INDEX_HIGH, index >> 8);
	wr(dev, PM2R_RD_INDEX_LOW, index & 0xff);
	wr(dev, PM2R_RD_INDEXED_DATA, val);
}

static int pm2ref_reset(struct pm2ref_dev *dev)
{
	unsigned int i;

	wr(dev, PM2R_RESET_STATUS, 0);
	for (i = 0; rd(dev, PM2R_RESET_STATUS) & PM2R_RESET_STATUS_BEING_RESET_MASK; i++) {
		if (i > 100000) {
			pci_err(dev->pdev, "chip reset does not finish: ResetStatus 0x%08x\n",
				rd(dev, PM2R_RESET_STATUS));
			return -ETIMEDOUT;
		}
		udelay(1);
	}
	return 0;
}

/*
 * Reset the chip and set up the control registers, the display and the graphics processor for
 * the current mode (pm2fb reset_config + set_par, X Permedia2InitializeEngine). Does not sleep:
 * also used by the interrupt handler to recover the card. No DMA may run.
 */
static int pm2ref_hw_setup(struct pm2ref_dev *dev)
{
	const struct pm2ref_timing *t = NULL;
	u32 bytes = dev->bpp / 8, ppu = 8 / bytes;	/* pixels per 64-bit unit */
	u32 hblank, vblank, pp, dither, fmt_pix, fmt_col, read_pixel;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(pm2ref_timings); i++)
		if (pm2ref_timings[i].width == dev->width)
			t = &pm2ref_timings[i];
	if (WARN_ON_ONCE(!t))
		return -EINVAL;

	wr(dev, PM2R_INT_ENABLE, 0);
	ret = pm2ref_reset(dev);
	if (ret)
		return ret;

	/* control and memory registers */
	wr(dev, PM2R_CHIP_CONFIG, rd(dev, PM2R_CHIP_CONFIG) &
	   ~(PM2R_CHIP_CONFIG_VGA_ENABLE_MASK | PM2R_CHIP_CONFIG_VGA_FIXED_MASK));
	wr(dev, PM2R_APERTURE_ONE, 0);
	wr(dev, PM2R_APERTURE_TWO, 0);
	wr(dev, PM2R_DMA_CONTROL, 0);
	wr(dev, PM2R_FIFO_DISCON, 0);
	wr(dev, PM2R_BYPASS_WRITE_MASK, ~0u);
	wr(dev, PM2R_FRAMEBUFFER_WRITE_MASK, ~0u);
	wr(dev, PM2R_FIFO_CONTROL, 0);
	pm2ref_clear_flags(dev);
	pm2ref_hw_commands_init(dev);

	/* video timing, in 64-bit units horizontally */
	hblank = (t->hfp + t->hsync + t->hbp) / ppu;
	vblank = t->vfp + t->vsync + t->vbp;
	wr(dev, PM2R_VIDEO_CONTROL, 0);
	wr(dev, PM2R_H_TOTAL, t->width / ppu + hblank - 1);
	wr(dev, PM2R_HS_START, t->hfp / ppu);
	wr(dev, PM2R_HS_END, (t->hfp + t->hsync) / ppu);
	wr(dev, PM2R_HB_END, hblank);
	wr(dev, PM2R_HG_END, hblank);
	wr(dev, PM2R_V_TOTAL, t->height + vblank - 1);
	wr(dev, PM2R_VS_START, t->vfp - 1);
	wr(dev, PM2R_VS_END, t->vfp + t->vsync - 1);
	wr(dev, PM2R_VB_END, vblank);
	wr(dev, PM2R_SCREEN_BASE, 0);
	wr(dev, PM2R_SCREEN_STRIDE, dev->stride / 8);

	if (dev->bpp == 32) {
		fmt_pix = PM2_FMT_X8R8G8B8_RD_PIXEL_SIZE;
		fmt_col = PM2_FMT_X8R8G8B8_RD_COLOR_FORMAT;
		read_pixel = PM2_FMT_X8R8G8B8_READ_PIXEL;
		dither = FIELD_PREP(PM2TAG_DITHER_MODE_COLOR_FORMAT_MASK, PM2_FMT_X8R8G8B8_DITHER_FORMAT) |
			 FIELD_PREP(PM2TAG_DITHER_MODE_COLOR_FORMAT_EXTENSION_MASK,
				    PM2_FMT_X8R8G8B8_DITHER_EXTENSION);
	} else {
		fmt_pix = PM2_FMT_R5G6B5_RD_PIXEL_SIZE;
		fmt_col = PM2_FMT_R5G6B5_RD_COLOR_FORMAT;
		read_pixel = PM2_FMT_R5G6B5_READ_PIXEL;
		dither = FIELD_PREP(PM2TAG_DITHER_MODE_COLOR_FORMAT_MASK, PM2_FMT_R5G6B5_DITHER_FORMAT) |
			 FIELD_PREP(PM2TAG_DITHER_MODE_COLOR_FORMAT_EXTENSION_MASK,
				    PM2_FMT_R5G6B5_DITHER_EXTENSION);
	}
	dither |= PM2TAG_DITHER_MODE_UNIT_ENABLE_MASK | PM2TAG_DITHER_MODE_COLOR_ORDER_BGR;

	pm2ref_rdac(dev, PM2I_MISC_CONTROL, 0x09);	/* 8-bit DAC, direct colour */
	pm2ref_rdac(dev, PM2I_SYNC_CONTROL, 0);
	pm2ref_rdac(dev, PM2I_DAC_CONTROL, 0);
	pm2ref_rdac(dev, PM2I_PIXEL_SIZE, fmt_pix);
	pm2ref_rdac(dev, PM2I_COLOR_FORMAT, fmt_col);
	wr(dev, PM2R_PIXEL_MASK, 0xff);

	/* graphics processor: every unit the card does not model off, then the pixel path */
	pp = pm2ref_packed_pp(dev->width);
	gp(dev, PM2TAG_RASTERIZER_MODE, 0);
	gp(dev, PM2TAG_AREA_STIPPLE_MODE, 0);
	gp(dev, PM2TAG_TEXTURE_ADDRESS_MODE, 0);
	gp(dev, PM2TAG_TEXTURE_READ_MODE, 0);
	gp(dev, PM2TAG_TEXTURE_COLOR_MODE, 0);
	gp(dev, PM2TAG_FOG_MODE, 0);
	gp(dev, PM2TAG_ALPHA_BLEND_MODE, 0);
	gp(dev, PM2TAG_LB_WRITE_MODE, 0);
	gp(dev, PM2TAG_WINDOW, 0);
	gp(dev, PM2TAG_STENCIL_MODE, 0);
	gp(dev, PM2TAG_DEPTH_MODE, 0);
	gp(dev, PM2TAG_STATISTIC_MODE, 0);
	gp(dev, PM2TAG_YUV_MODE, 0);
	gp(dev, PM2TAG_DELTA_MODE, 0);
	gp(dev, PM2TAG_CONFIG, 0);
	gp(dev, PM2TAG_FB_SOURCE_OFFSET, 0);
	gp(dev, PM2TAG_FB_PIXEL_OFFSET, 0);
	gp(dev, PM2TAG_WINDOW_ORIGIN, 0);
	gp(dev, PM2TAG_LOGICAL_OP_MODE, 0);
	gp(dev, PM2TAG_COLOR_DDA_MODE, 0);
	gp(dev, PM2TAG_FILTER_MODE, PM2TAG_FILTER_MODE_SYNC_TAG_MASK);
	gp(dev, PM2TAG_FB_SOFTWARE_WRITE_MASK, ~0u);
	gp(dev, PM2TAG_FB_HARDWARE_WRITE_MASK, ~0u);
	gp(dev, PM2TAG_FB_READ_PIXEL, read_pixel);
	gp(dev, PM2TAG_FB_READ_MODE, pp);
	gp(dev, PM2TAG_LB_READ_MODE, pp);
	gp(dev, PM2TAG_TEXTURE_MAP_FORMAT, pp);
	gp(dev, PM2TAG_FB_WINDOW_BASE, 0);
	gp(dev, PM2TAG_FB_WRITE_MODE, PM2TAG_FB_WRITE_MODE_WRITE_ENABLE_MASK);
	gp(dev, PM2TAG_DITHER_MODE, dither);
	gp(dev, PM2TAG_SCREEN_SIZE, FIELD_PREP(PM2TAG_SCREEN_SIZE_WIDTH_MASK, dev->width) |
				    FIELD_PREP(PM2TAG_SCREEN_SIZE_HEIGHT_MASK, dev->height));
	gp(dev, PM2TAG_SCISSOR_MODE, PM2TAG_SCISSOR_MODE_SCREEN_SCISSOR_ENABLE_MASK);
	gp(dev, PM2TAG_START_X_DOM, 0);
	gp(dev, PM2TAG_D_X_DOM, 0);
	gp(dev, PM2TAG_START_X_SUB, 0);
	gp(dev, PM2TAG_D_X_SUB, 0);
	gp(dev, PM2TAG_START_Y, 0);
	gp(dev, PM2TAG_D_Y, PM2_FIXED16(1));

	wr(dev, PM2R_VIDEO_CONTROL, PM2R_VIDEO_CONTROL_ENABLE_MASK |
	   PM2R_VIDEO_CONTROL_DATA64_ENABLE_MASK |
	   FIELD_PREP(PM2R_VIDEO_CONTROL_H_SYNC_CTL_MASK, 1) |
	   FIELD_PREP(PM2R_VIDEO_CONTROL_V_SYNC_CTL_MASK, 1));

	pm2ref_clear_irqs(dev);
	wr(dev, PM2R_INT_ENABLE, PM2REF_IRQS);
	return 0;
}

/*
 * The Sync handshake (datasheet section 7): the Sync tag reaches the output FIFO only after
 * every earlier command was drawn. Process context, queue held, no DMA running.
 */
static int pm2ref_sync_hw(struct pm2ref_dev *dev)
{
	unsigned long end = jiffies + msecs_to_jiffies(PM2REF_TIMEOUT_MS);
	u32 v;

	gp(dev, PM2TAG_FILTER_MODE, PM2TAG_FILTER_MODE_SYNC_TAG_MASK);
	gp(dev, PM2TAG_SYNC, 0);
	for (;;) {
		if (rd(dev, PM2R_OUT_FIFO_WORDS)) {
			v = rd(dev, PM2_FIFO_WINDOW);
			if (v == PM2TAG_SYNC)
				return 0;
			continue;	/* something a user stream sent to the output FIFO */
		}
		if (time_after(jiffies, end)) {
			pci_err(dev->pdev, "Sync tag 0x%x never reached the output FIFO; FIFODiscon 0x%08x\n",
				PM2TAG_SYNC, rd(dev, PM2R_FIFO_DISCON));
			return -ETIMEDOUT;
		}
		usleep_range(20, 100);
	}
}

/* Fill the visible frame with black by a GP fast fill. */
static void pm2ref_clear_hw(struct pm2ref_dev *dev)
{
	gp(dev, PM2TAG_FB_BLOCK_COLOR, 0);
	gp(dev, PM2TAG_RECTANGLE_ORIGIN, 0);
	gp(dev, PM2TAG_RECTANGLE_SIZE, FIELD_PREP(PM2TAG_RECTANGLE_SIZE_WIDTH_MASK, dev->width) |
				       FIELD_PREP(PM2TAG_RECTANGLE_SIZE_HEIGHT_MASK, dev->height));
	gp(dev, PM2TAG_RENDER, PM2TAG_RENDER_PRIMITIVE_TYPE_RECTANGLE |
			       PM2TAG_RENDER_FAST_FILL_ENABLE_MASK |
			       PM2TAG_RENDER_INCREASE_X_MASK | PM2TAG_RENDER_INCREASE_Y_MASK);
}

/* ---- the DMA queue (dev->lock held) ---- */

static void pm2ref_start(struct pm2ref_dev *dev)
{
	struct pm2ref_buf *b;

	if (dev->active || dev->hold || dev->gone || list_empty(&dev->queue))
		return;
	/* Only one buffer is ever in flight, and only this function starts one. */
	if (WARN_ON_ONCE(pm2ref_hw_pending(dev)))
		return;
	b = list_first_entry(&dev->queue, struct pm2ref_buf, node);
	list_del_init(&b->node);
	b->state = PM2REF_BUF_ACTIVE;
	dev->active = b;
	dev->active_since = jiffies;
	pm2ref_hw_submit(dev, b->dma, b->cpu, b->nwords);
}

static void pm2ref_finish(struct pm2ref_dev *dev, struct pm2ref_buf *b, u32 err)
{
	b->err |= err;
	b->state = PM2REF_BUF_IDLE;
	if (b->seq > dev->done_seq)
		dev->done_seq = b->seq;
	dev->stats.completed++;
	if (b->err) {
		dev->stats.errors++;
		b->owner->err_flags |= b->err;
	}
	if (dev->active == b)
		dev->active = NULL;
	wake_up_all(&dev->wq);
}

/* After a malformed buffer or a stuck one: soft reset and re-initialise; the queue goes on. */
static void pm2ref_recover(struct pm2ref_dev *dev)
{
	dev->stats.recoveries++;
	if (pm2ref_hw_setup(dev))
		pci_err(dev->pdev, "recovery failed; the card may be dead\n");
}

static irqreturn_t pm2ref_irq(int irq, void *data)
{
	struct pm2ref_dev *dev = data;
	unsigned int loops = 0;
	u32 flags, err;

	spin_lock(&dev->lock);
	if (dev->gone) {
		spin_unlock(&dev->lock);
		return IRQ_NONE;
	}
	while ((flags = pm2ref_ack_irqs(dev))) {
		if (++loops > PM2REF_IRQ_MAX_LOOPS) {
			pci_err(dev->pdev, "interrupt storm: IntFlags 0x%x; interrupts off\n", flags);
			wr(dev, PM2R_INT_ENABLE, 0);
			break;
		}
		if (flags & PM2_INT_ERROR) {
			err = pm2ref_ack_errors(dev);
			if (dev->active)
				dev->active->err |= err;
			else
				dev->stray_err |= err;
		}
		/*
		 * The card's fetch position is the truth: the buffer in flight is done when nothing of it
		 * is left to fetch (DMACount 0, or RingHead at our tail), whichever flag brought us here
		 * (a malformed buffer stops with Error and no DMA flag).
		 */
		if (dev->active && !pm2ref_hw_pending(dev)) {
			struct pm2ref_buf *b = dev->active;

			pm2ref_finish(dev, b, 0);
			if (b->err) {
				dev_warn_ratelimited(&dev->pdev->dev,
						     "buffer %llu: card error, ErrorFlags 0x%x; resetting\n",
						     b->seq, b->err);
				pm2ref_recover(dev);
			}
		} else if (!dev->active && dev->stray_err && !dev->hold) {
			dev_warn_ratelimited(&dev->pdev->dev, "card error with no buffer in flight: 0x%x\n",
					     dev->stray_err);
			dev->stray_err = 0;
			pm2ref_recover(dev);
		}
		pm2ref_start(dev);
	}
	if (loops) {
		dev->stats.irqs++;
		if (loops > dev->stats.irq_max_loops)
			dev->stats.irq_max_loops = loops;
	}
	spin_unlock(&dev->lock);
	return loops ? IRQ_HANDLED : IRQ_NONE;
}

/* A buffer in flight for longer than PM2REF_TIMEOUT_MS: fail it and reset the card. */
static void pm2ref_check_stuck(struct pm2ref_dev *dev)
{
	struct pm2ref_buf *b;

	spin_lock_irq(&dev->lock);
	b = dev->active;
	if (b && !dev->gone &&
	    time_after(jiffies, dev->active_since + msecs_to_jiffies(PM2REF_TIMEOUT_MS))) {
		pci_err(dev->pdev, "buffer %llu stuck: %u words not fetched, FIFODiscon 0x%08x; resetting\n",
			b->seq, pm2ref_hw_pending(dev), rd(dev, PM2R_FIFO_DISCON));
		pm2ref_finish(dev, b, PM2REF_ERR_TIMEOUT);
		pm2ref_recover(dev);
		pm2ref_start(dev);
	}
	spin_unlock_irq(&dev->lock);
}

static bool pm2ref_done(struct pm2ref_dev *dev, u64 seq)
{
	bool done;

	spin_lock_irq(&dev->lock);
	done = dev->gone || dev->done_seq >= seq || (!dev->active && list_empty(&dev->queue));
	spin_unlock_irq(&dev->lock);
	return done;
}

/* Wait until submission seq was fetched; -ETIMEDOUT after timeout_ms. */
static int pm2ref_wait_seq(struct pm2ref_dev *dev, u64 seq, unsigned int timeout_ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(timeout_ms);
	long left;

	for (;;) {
		left = wait_event_interruptible_timeout(dev->wq, pm2ref_done(dev, seq),
							msecs_to_jiffies(1000));
		if (left < 0)
			return left;
		if (left > 0)
			return READ_ONCE(dev->gone) ? -ENODEV : 0;
		pm2ref_check_stuck(dev);
		if (time_after(jiffies, end))
			return -ETIMEDOUT;
	}
}

static bool pm2ref_no_active(struct pm2ref_dev *dev)
{
	bool idle;

	spin_lock_irq(&dev->lock);
	idle = dev->gone || !dev->active;
	spin_unlock_irq(&dev->lock);
	return idle;
}

/*
 * Stop starting buffers and wait for the one in flight. hw_lock held. Always pair with
 * pm2ref_unhold(), also when this fails.
 */
static int pm2ref_hold(struct pm2ref_dev *dev)
{
	spin_lock_irq(&dev->lock);
	dev->hold++;
	spin_unlock_irq(&dev->lock);
	while (!wait_event_timeout(dev->wq, pm2ref_no_active(dev), msecs_to_jiffies(1000)))
		pm2ref_check_stuck(dev);
	if (READ_ONCE(dev->gone))
		return -ENODEV;
	return 0;
}

static void pm2ref_unhold(struct pm2ref_dev *dev)
{
	spin_lock_irq(&dev->lock);
	if (!WARN_ON_ONCE(!dev->hold))
		dev->hold--;
	pm2ref_start(dev);
	spin_unlock_irq(&dev->lock);
}

/*
 * Framing check: headers and their data words must end exactly at the end of the buffer, so
 * the card's decoder never carries one submitter's header into the next buffer. Malformed
 * headers (reserved bits, mode 3) are left to the card: it flags them and drops the rest.
 */
static int pm2ref_check_stream(const u32 *w, u32 n)
{
	u32 i = 0, h, mode, count, data;

	while (i < n) {
		h = READ_ONCE(w[i]);
		i++;
		mode = (h >> PM2_TAGWORD_MODE_SHIFT) & 3;
		count = (h >> PM2_TAGWORD_COUNT_SHIFT) & PM2_TAGWORD_COUNT_MASK;
		if ((h & PM2_TAGWORD_RESERVED_MASK) || (mode != PM2_TAGWORD_MODE_HOLD &&
		    mode != PM2_TAGWORD_MODE_INCREMENT && mode != PM2_TAGWORD_MODE_INDEXED))
			return 0;
		data = mode == PM2_TAGWORD_MODE_INDEXED ? hweight32(count) : count + 1;
		if (data > n - i)
			return -EINVAL;
		i += data;
	}
	return 0;
}

static int pm2ref_queue(struct pm2ref_file *f, struct pm2ref_buf *b, u32 nwords, u64 *seq)
{
	struct pm2ref_dev *dev = f->dev;

	spin_lock_irq(&dev->lock);
	if (dev->gone) {
		b->state = PM2REF_BUF_IDLE;
		spin_unlock_irq(&dev->lock);
		wake_up_all(&dev->wq);	/* remove() waits for buffers being filled */
		return -ENODEV;
	}
	b->nwords = nwords;
	b->err = 0;
	b->seq = ++dev->submit_seq;
	b->state = PM2REF_BUF_QUEUED;
	list_add_tail(&b->node, &dev->queue);
	dev->stats.submitted++;
	f->last_seq = b->seq;
	*seq = b->seq;
	pm2ref_start(dev);
	spin_unlock_irq(&dev->lock);
	return 0;
}

/* Errors on this file's buffers since the last report, cleared. */
static u32 pm2ref_take_errors(struct pm2ref_file *f)
{
	struct pm2ref_dev *dev = f->dev;
	u32 err;

	spin_lock_irq(&dev->lock);
	err = f->err_flags;
	f->err_flags = 0;
	spin_unlock_irq(&dev->lock);
	return err;
}

/* ---- ioctls ---- */

static long pm2ref_ioc_info(struct pm2ref_file *f, void __user *arg)
{
	struct pm2ref_dev *dev = f->dev;
	struct pm2ref_info info;

	spin_lock_irq(&dev->lock);
	info = dev->stats;
	spin_unlock_irq(&dev->lock);
	mutex_lock(&dev->hw_lock);
	info.width = dev->width;
	info.height = dev->height;
	info.bpp = dev->bpp;
	info.stride = dev->stride;
	mutex_unlock(&dev->hw_lock);
	info.version = PM2REF_API_VERSION;
	info.vendor = dev->pdev->vendor;
	info.device = dev->pdev->device;
	info.revision = dev->pdev->revision;
	info.vram_size = dev->vram_size;
	info.fb_offset = 0;
	info.nbufs = PM2REF_NBUFS;
	info.buf_size = PM2REF_BUF_SIZE;
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static int pm2ref_set_mode(struct pm2ref_dev *dev, u32 width, u32 height, u32 bpp)
{
	u32 old_w = dev->width, old_h = dev->height, old_bpp = dev->bpp, old_stride = dev->stride;
	int ret;

	ret = pm2ref_hold(dev);
	if (ret)
		goto out_unhold;
	dev->width = width;
	dev->height = height;
	dev->bpp = bpp;
	dev->stride = width * bpp / 8;
	spin_lock_irq(&dev->lock);
	ret = pm2ref_hw_setup(dev);
	spin_unlock_irq(&dev->lock);
	if (ret)
		goto out_restore;
	pm2ref_clear_hw(dev);
	ret = pm2ref_sync_hw(dev);
	if (!ret)
		goto out_unhold;
out_restore:
	dev->width = old_w;
	dev->height = old_h;
	dev->bpp = old_bpp;
	dev->stride = old_stride;
out_unhold:
	pm2ref_unhold(dev);
	return ret;
}

static long pm2ref_ioc_set_mode(struct pm2ref_file *f, void __user *arg)
{
	struct pm2ref_dev *dev = f->dev;
	struct pm2ref_mode m;
	unsigned int i;
	int ret;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.flags || (m.bpp != 16 && m.bpp != 32))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(pm2ref_timings); i++)
		if (pm2ref_timings[i].width == m.width && pm2ref_timings[i].height == m.height)
			break;
	if (i == ARRAY_SIZE(pm2ref_timings))
		return -EINVAL;
	if ((u64)m.width * m.height * m.bpp / 8 > dev->vram_size)
		return -EINVAL;

	mutex_lock(&dev->hw_lock);
	ret = pm2ref_set_mode(dev, m.width, m.height, m.bpp);
	mutex_unlock(&dev->hw_lock);
	return ret;
}

static int pm2ref_submit_wait(struct pm2ref_file *f, u64 seq, u32 *error_flags)
{
	int ret = pm2ref_wait_seq(f->dev, seq, PM2REF_TIMEOUT_MS + 1000);

	*error_flags = pm2ref_take_errors(f);
	if (ret)
		return ret;
	return *error_flags ? -EIO : 0;
}

static long pm2ref_ioc_submit(struct pm2ref_file *f, void __user *arg)
{
	struct pm2ref_dev *dev = f->dev;
	struct pm2ref_submit s;
	struct pm2ref_buf *b = NULL;
	unsigned int i;
	int ret;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	if (!s.nwords || s.nwords > PM2REF_BUF_WORDS || (s.flags & ~PM2REF_SUBMIT_WAIT) || s.pad)
		return -EINVAL;

	/* take an idle bounce buffer, waiting for one if both are in use */
	for (;;) {
		spin_lock_irq(&dev->lock);
		if (dev->gone) {	/* no buffer starts filling once remove() has begun */
			spin_unlock_irq(&dev->lock);
			return -ENODEV;
		}
		for (i = PM2REF_NBUFS; i < PM2REF_NALL; i++) {
			if (f->bufs[i].state == PM2REF_BUF_IDLE) {
				b = &f->bufs[i];
				b->state = PM2REF_BUF_FILLING;
				break;
			}
		}
		spin_unlock_irq(&dev->lock);
		if (b)
			break;
		ret = wait_event_interruptible(dev->wq, READ_ONCE(dev->gone) ||
					       READ_ONCE(f->bufs[PM2REF_NBUFS].state) == PM2REF_BUF_IDLE ||
					       READ_ONCE(f->bufs[PM2REF_NBUFS + 1].state) == PM2REF_BUF_IDLE);
		if (ret)
			return ret;
		if (READ_ONCE(dev->gone))
			return -ENODEV;
	}

	if (copy_from_user(b->cpu, u64_to_user_ptr(s.words), s.nwords * 4)) {
		ret = -EFAULT;
		goto err_release_buf;
	}
	ret = pm2ref_check_stream(b->cpu, s.nwords);
	if (ret)
		goto err_release_buf;
	ret = pm2ref_queue(f, b, s.nwords, &s.seq);
	if (ret)
		return ret;
	s.error_flags = 0;
	if (s.flags & PM2REF_SUBMIT_WAIT)
		ret = pm2ref_submit_wait(f, s.seq, &s.error_flags);
	if (copy_to_user(arg, &s, sizeof(s)))
		return -EFAULT;
	return ret;

err_release_buf:
	spin_lock_irq(&dev->lock);
	b->state = PM2REF_BUF_IDLE;
	spin_unlock_irq(&dev->lock);
	wake_up_all(&dev->wq);
	return ret;
}

static long pm2ref_ioc_submit_buf(struct pm2ref_file *f, void __user *arg)
{
	struct pm2ref_dev *dev = f->dev;
	struct pm2ref_submit_buf s;
	struct pm2ref_buf *b;
	int ret;

	if (copy_from_user(&s, arg, sizeof(s)))
		return -EFAULT;
	if (s.index >= PM2REF_NBUFS || !s.nwords || s.nwords > PM2REF_BUF_WORDS ||
	    (s.flags & ~PM2REF_SUBMIT_WAIT))
		return -EINVAL;
	b = &f->bufs[s.index];

	spin_lock_irq(&dev->lock);
	if (dev->gone) {
		spin_unlock_irq(&dev->lock);
		return -ENODEV;
	}
	if (b->state != PM2REF_BUF_IDLE) {
		spin_unlock_irq(&dev->lock);
		return -EBUSY;
	}
	b->state = PM2REF_BUF_FILLING;
	spin_unlock_irq(&dev->lock);

	ret = pm2ref_check_stream(b->cpu, s.nwords);
	if (ret) {
		spin_lock_irq(&dev->lock);
		b->state = PM2REF_BUF_IDLE;
		spin_unlock_irq(&dev->lock);
		wake_up_all(&dev->wq);
		return ret;
	}
	ret = pm2ref_queue(f, b, s.nwords, &s.seq);
	if (ret)
		return ret;
	s.error_flags = 0;
	if (s.flags & PM2REF_SUBMIT_WAIT)
		ret = pm2ref_submit_wait(f, s.seq, &s.error_flags);
	if (copy_to_user(arg, &s, sizeof(s)))
		return -EFAULT;
	return ret;
}

static long pm2ref_ioc_wait(struct pm2ref_file *f, void __user *arg)
{
	struct pm2ref_dev *dev = f->dev;
	struct pm2ref_wait w;
	u64 submitted;
	int ret;

	if (copy_from_user(&w, arg, sizeof(w)))
		return -EFAULT;
	spin_lock_irq(&dev->lock);
	submitted = dev->submit_seq;
	if (!w.seq)
		w.seq = f->last_seq;
	spin_unlock_irq(&dev->lock);
	if (w.seq > submitted)
		return -EINVAL;
	ret = pm2ref_wait_seq(dev, w.seq, w.timeout_ms ? w.timeout_ms : PM2REF_TIMEOUT_MS);
	if (ret == -ERESTARTSYS || ret == -ETIMEDOUT || ret == -ENODEV)
		return ret;
	w.error_flags = pm2ref_take_errors(f);
	if (copy_to_user(arg, &w, sizeof(w)))
		return -EFAULT;
	return w.error_flags ? -EIO : 0;
}

static long pm2ref_ioc_sync(struct pm2ref_file *f)
{
	struct pm2ref_dev *dev = f->dev;
	u64 target;
	int ret;

	spin_lock_irq(&dev->lock);
	target = dev->submit_seq;
	spin_unlock_irq(&dev->lock);
	ret = pm2ref_wait_seq(dev, target, PM2REF_TIMEOUT_MS + 1000);
	if (ret)
		return ret;

	mutex_lock(&dev->hw_lock);
	ret = pm2ref_hold(dev);
	if (!ret)
		ret = pm2ref_sync_hw(dev);
	pm2ref_unhold(dev);
	mutex_unlock(&dev->hw_lock);
	return ret;
}

static long pm2ref_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pm2ref_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	if (READ_ONCE(f->dev->gone))
		return -ENODEV;
	switch (cmd) {
	case PM2REF_IOC_INFO:
		return pm2ref_ioc_info(f, uarg);
	case PM2REF_IOC_SET_MODE:
		return pm2ref_ioc_set_mode(f, uarg);
	case PM2REF_IOC_SUBMIT:
		return pm2ref_ioc_submit(f, uarg);
	case PM2REF_IOC_SUBMIT_BUF:
		return pm2ref_ioc_submit_buf(f, uarg);
	case PM2REF_IOC_WAIT:
		return pm2ref_ioc_wait(f, uarg);
	case PM2REF_IOC_SYNC:
		return pm2ref_ioc_sync(f);
	default:
		return -ENOTTY;
	}
}

/* ---- file operations ---- */

static void pm2ref_dev_release(struct kref *kref)
{
	struct pm2ref_dev *dev = container_of(kref, struct pm2ref_dev, kref);

	pci_dev_put(dev->pdev);
	kfree(dev);
}

/* In open()'s error path, or under map_lock: by release(), or by remove() for a file still open. */
static void pm2ref_free_bufs(struct pm2ref_file *f)
{
	unsigned int i;

	for (i = 0; i < PM2REF_NALL; i++) {
		if (f->bufs[i].cpu)
			dma_free_coherent(&f->dev->pdev->dev, PM2REF_BUF_SIZE, f->bufs[i].cpu,
					  f->bufs[i].dma);
		f->bufs[i].cpu = NULL;
	}
}

static int pm2ref_open(struct inode *inode, struct file *file)
{
	struct pm2ref_dev *dev = container_of(file->private_data, struct pm2ref_dev, misc);
	struct pm2ref_file *f;
	unsigned int i;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->dev = dev;
	for (i = 0; i < PM2REF_NALL; i++) {
		f->bufs[i].owner = f;
		INIT_LIST_HEAD(&f->bufs[i].node);
		f->bufs[i].cpu = dma_alloc_coherent(&dev->pdev->dev, PM2REF_BUF_SIZE,
						    &f->bufs[i].dma, GFP_KERNEL);
		if (!f->bufs[i].cpu)
			goto err_free_bufs;
	}
	kref_get(&dev->kref);	/* misc_open holds misc_mtx: remove() cannot run now */
	f->mapping = file->f_mapping;
	mutex_lock(&dev->map_lock);
	spin_lock_irq(&dev->lock);
	list_add_tail(&f->node, &dev->files);
	spin_unlock_irq(&dev->lock);
	mutex_unlock(&dev->map_lock);
	file->private_data = f;
	return 0;

err_free_bufs:
	pm2ref_free_bufs(f);
	kfree(f);
	return -ENOMEM;
}

static bool pm2ref_file_idle(struct pm2ref_file *f)
{
	struct pm2ref_dev *dev = f->dev;
	bool idle;

	spin_lock_irq(&dev->lock);
	idle = !dev->active || dev->active->owner != f;
	spin_unlock_irq(&dev->lock);
	return idle;
}

static int pm2ref_release(struct inode *inode, struct file *file)
{
	struct pm2ref_file *f = file->private_data;
	struct pm2ref_dev *dev = f->dev;
	unsigned int i;

	/* drop what has not started; wait for the one in flight (the card is reading it) */
	spin_lock_irq(&dev->lock);
	for (i = 0; i < PM2REF_NALL; i++) {
		if (f->bufs[i].state == PM2REF_BUF_QUEUED) {
			list_del_init(&f->bufs[i].node);
			f->bufs[i].state = PM2REF_BUF_IDLE;
		}
	}
	spin_unlock_irq(&dev->lock);
	wake_up_all(&dev->wq);
	while (!wait_event_timeout(dev->wq, pm2ref_file_idle(f), msecs_to_jiffies(1000)))
		pm2ref_check_stuck(dev);

	mutex_lock(&dev->map_lock);
	pm2ref_free_bufs(f);		/* unless remove() has */
	spin_lock_irq(&dev->lock);
	list_del(&f->node);
	spin_unlock_irq(&dev->lock);
	mutex_unlock(&dev->map_lock);
	kfree(f);
	kref_put(&dev->kref, pm2ref_dev_release);
	return 0;
}

static int pm2ref_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct pm2ref_file *f = file->private_data;
	struct pm2ref_dev *dev = f->dev;
	unsigned long off = vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct pm2ref_buf *b;
	int ret;

	if (off < dev->vram_size) {
		if (len > dev->vram_size - off)
			return -EINVAL;
	} else if (off < PM2REF_MMAP_BUF(0) || off >= PM2REF_MMAP_BUF(PM2REF_NBUFS) ||
		   (off - PM2REF_MMAP_BUF(0)) % PM2REF_BUF_SIZE || len > PM2REF_BUF_SIZE) {
		return -EINVAL;
	}
	/* under map_lock: remove() either sees this mapping and zaps it, or has happened */
	mutex_lock(&dev->map_lock);
	if (dev->gone) {
		ret = -ENODEV;
	} else if (off < dev->vram_size) {
		vma->vm_page_prot = pgprot_writecombine(vma->vm_page_prot);
		ret = vm_iomap_memory(vma, dev->fb_phys, dev->vram_size);
	} else {
		b = &f->bufs[(off - PM2REF_MMAP_BUF(0)) / PM2REF_BUF_SIZE];
		vma->vm_pgoff = 0;	/* dma_mmap_coherent: offset into the buffer */
		ret = dma_mmap_coherent(&dev->pdev->dev, vma, b->cpu, b->dma, PM2REF_BUF_SIZE);
	}
	mutex_unlock(&dev->map_lock);
	return ret;
}

static const struct file_operations pm2ref_fops = {
	.owner = THIS_MODULE,
	.open = pm2ref_open,
	.release = pm2ref_release,
	.unlocked_ioctl = pm2ref_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = pm2ref_mmap,
	.llseek = noop_llseek,
};

/* ---- PCI ---- */

static int pm2ref_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pm2ref_dev *dev;
	resource_size_t len;
	u32 cfg, banks_size;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	kref_init(&dev->kref);
	dev->pdev = pci_dev_get(pdev);
	spin_lock_init(&dev->lock);
	mutex_init(&dev->hw_lock);
	mutex_init(&dev->map_lock);
	INIT_LIST_HEAD(&dev->files);
	INIT_LIST_HEAD(&dev->queue);
	init_waitqueue_head(&dev->wq);
	dev->width = 640;
	dev->height = 480;
	dev->bpp = 32;
	dev->stride = 640 * 4;

	ret = pcim_enable_device(pdev);
	if (ret) {
		pci_err(pdev, "cannot enable the device: %d\n", ret);
		goto err_put_dev;
	}
	len = pci_resource_len(pdev, PM2_BAR_REGISTERS);
	if (len < PM2_BAR0_SIZE || !(pci_resource_flags(pdev, PM2_BAR_REGISTERS) & IORESOURCE_MEM)) {
		pci_err(pdev, "BAR%d is %pa bytes (flags 0x%lx), expected 0x%x bytes of memory\n",
			PM2_BAR_REGISTERS, &len, pci_resource_flags(pdev, PM2_BAR_REGISTERS),
			PM2_BAR0_SIZE);
		ret = -ENODEV;
		goto err_put_dev;
	}
	ret = pcim_iomap_regions(pdev, BIT(PM2_BAR_REGISTERS) | BIT(PM2_BAR_VRAM), KBUILD_MODNAME);
	if (ret) {
		pci_err(pdev, "cannot map BARs %d and %d: %d\n", PM2_BAR_REGISTERS, PM2_BAR_VRAM, ret);
		goto err_put_dev;
	}
	dev->regs = pcim_iomap_table(pdev)[PM2_BAR_REGISTERS];

	/* VRAM size from MemConfig, as pm2fb does; never more than the aperture */
	cfg = rd(dev, PM2R_MEM_CONFIG);
	banks_size = (FIELD_GET(PM2R_MEM_CONFIG_NUMBER_BANKS_MASK, cfg) + 1) * SZ_2M;
	len = pci_resource_len(pdev, PM2_BAR_VRAM);
	if (len < banks_size) {
		pci_err(pdev, "MemConfig 0x%08x says %u bytes of VRAM but BAR%d is %pa bytes\n",
			cfg, banks_size, PM2_BAR_VRAM, &len);
		ret = -ENODEV;
		goto err_put_dev;
	}
	dev->vram_size = banks_size;
	dev->fb_phys = pci_resource_start(pdev, PM2_BAR_VRAM);

	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret) {
		pci_err(pdev, "no 32-bit DMA: %d\n", ret);
		goto err_put_dev;
	}
	pci_set_master(pdev);
#ifdef PM2_CMD_RING
	dev->ring = dmam_alloc_coherent(&pdev->dev, PM2REF_RING_WORDS * 4, &dev->ring_dma, GFP_KERNEL);
	if (!dev->ring) {
		ret = -ENOMEM;
		goto err_put_dev;
	}
#endif

	ret = pm2ref_hw_setup(dev);
	if (ret)
		goto err_put_dev;
	wr(dev, PM2R_INT_ENABLE, 0);	/* until the handler is in place */
	pm2ref_clear_hw(dev);
	ret = pm2ref_sync_hw(dev);
	if (ret)
		goto err_put_dev;

	ret = ida_alloc(&pm2ref_ida, GFP_KERNEL);
	if (ret < 0)
		goto err_put_dev;
	dev->id = ret;
	snprintf(dev->name, sizeof(dev->name), KBUILD_MODNAME "%d", dev->id);

	ret = devm_request_irq(&pdev->dev, pdev->irq, pm2ref_irq, IRQF_SHARED, dev->name, dev);
	if (ret) {
		pci_err(pdev, "cannot take IRQ %d: %d\n", pdev->irq, ret);
		goto err_free_id;
	}
	pm2ref_clear_irqs(dev);
	wr(dev, PM2R_INT_ENABLE, PM2REF_IRQS);

	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = dev->name;
	dev->misc.fops = &pm2ref_fops;
	dev->misc.parent = &pdev->dev;
	dev->misc.mode = 0666;
	pci_set_drvdata(pdev, dev);
	ret = misc_register(&dev->misc);
	if (ret) {
		pci_err(pdev, "cannot register /dev/%s: %d\n", dev->name, ret);
		goto err_quiet_card;
	}
	pci_info(pdev, "/dev/%s: %ux%u %u bpp, %u MiB VRAM, IRQ %d\n", dev->name, dev->width,
		 dev->height, dev->bpp, dev->vram_size >> 20, pdev->irq);
	return 0;

err_quiet_card:
	wr(dev, PM2R_INT_ENABLE, 0);
	devm_free_irq(&pdev->dev, pdev->irq, dev);
err_free_id:
	ida_free(&pm2ref_ida, dev->id);
err_put_dev:
	kref_put(&dev->kref, pm2ref_dev_release);
	return ret;
}

static bool pm2ref_none_filling(struct pm2ref_dev *dev)
{
	struct pm2ref_file *f;
	bool none = true;
	unsigned int i;

	spin_lock_irq(&dev->lock);
	list_for_each_entry(f, &dev->files, node)
		for (i = 0; i < PM2REF_NALL; i++)
			none &= f->bufs[i].state != PM2REF_BUF_FILLING;
	spin_unlock_irq(&dev->lock);
	return none;
}

static void pm2ref_remove(struct pci_dev *pdev)
{
	struct pm2ref_dev *dev = pci_get_drvdata(pdev);
	struct pm2ref_buf *b, *tmp;
	struct pm2ref_file *f;

	misc_deregister(&dev->misc);	/* no new opens */

	mutex_lock(&dev->hw_lock);
	spin_lock_irq(&dev->lock);
	wr(dev, PM2R_INT_ENABLE, 0);
	if (dev->active)
		pm2ref_finish(dev, dev->active, PM2REF_ERR_CANCELED);
	list_for_each_entry_safe(b, tmp, &dev->queue, node) {
		list_del_init(&b->node);
		pm2ref_finish(dev, b, PM2REF_ERR_CANCELED);
	}
	pm2ref_reset(dev);		/* stops input DMA */
	wr(dev, PM2R_VIDEO_CONTROL, 0);
	dev->gone = true;
	spin_unlock_irq(&dev->lock);
	mutex_unlock(&dev->hw_lock);
	wake_up_all(&dev->wq);

	/* files still open: their buffers go with the device, user mappings first */
	wait_event(dev->wq, pm2ref_none_filling(dev));
	mutex_lock(&dev->map_lock);
	list_for_each_entry(f, &dev->files, node) {
		unmap_mapping_range(f->mapping, 0, 0, 1);
		pm2ref_free_bufs(f);
	}
	mutex_unlock(&dev->map_lock);

	devm_free_irq(&pdev->dev, pdev->irq, dev);
	ida_free(&pm2ref_ida, dev->id);
	pci_info(pdev, "removed: %llu buffers, %llu errors, %llu recoveries, %llu interrupts\n",
		 dev->stats.completed, dev->stats.errors, dev->stats.recoveries, dev->stats.irqs);
	kref_put(&dev->kref, pm2ref_dev_release);
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

MODULE_DESCRIPTION("vgpu-lab reference driver for the Permedia 2v virtual card");
MODULE_LICENSE("GPL");

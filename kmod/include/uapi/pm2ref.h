/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pm2ref: user-space interface of the vgpu-lab reference driver for the Permedia 2v card.
 *
 * One character device per card, /dev/pm2ref<N>. Every open file owns PM2REF_NBUFS coherent DMA
 * buffers of PM2REF_BUF_SIZE bytes that it can mmap() and submit by index, or it hands the driver
 * a command buffer to copy (PM2REF_IOC_SUBMIT). Command buffers hold tag-format words (see the
 * card's datasheet, section 4.2); the driver never accepts an address from user space.
 *
 * Every submission gets a sequence number; buffers are fetched by the card in submission order.
 * PM2REF_IOC_WAIT waits until a sequence number was fetched and reports card errors; PM2REF_IOC_SYNC
 * waits until everything submitted so far has been drawn (do it before reading the framebuffer).
 *
 * mmap offsets: PM2REF_MMAP_FB maps the framebuffer aperture (all of VRAM);
 * PM2REF_MMAP_BUF(i) maps DMA buffer i of this file (at most PM2REF_BUF_SIZE bytes).
 */
#ifndef _UAPI_PM2REF_H
#define _UAPI_PM2REF_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PM2REF_API_VERSION	1

#define PM2REF_NBUFS		4
#define PM2REF_BUF_SIZE		65536u
#define PM2REF_BUF_WORDS	(PM2REF_BUF_SIZE / 4)

#define PM2REF_MMAP_FB		0x0u
#define PM2REF_MMAP_BUF(i)	(0x10000000u + (unsigned int)(i) * PM2REF_BUF_SIZE)

/* error_flags: the card's ErrorFlags bits (PM2_ERR_*), plus these driver bits */
#define PM2REF_ERR_TIMEOUT	(1u << 30)	/* the buffer never completed; the card was reset */
#define PM2REF_ERR_CANCELED	(1u << 31)	/* dropped without running (card reset or removed) */

struct pm2ref_info {
	__u32 version;		/* PM2REF_API_VERSION */
	__u32 vendor;
	__u32 device;
	__u32 revision;
	__u32 vram_size;	/* bytes mappable at PM2REF_MMAP_FB */
	__u32 fb_offset;	/* byte offset of the visible frame in the aperture */
	__u32 width;		/* current mode */
	__u32 height;
	__u32 bpp;		/* 16 or 32 */
	__u32 stride;		/* bytes per line */
	__u32 nbufs;		/* PM2REF_NBUFS */
	__u32 buf_size;		/* PM2REF_BUF_SIZE */
	__u64 submitted;	/* buffers queued since probe */
	__u64 completed;	/* buffers the card finished fetching */
	__u64 errors;		/* buffers the card flagged */
	__u64 recoveries;	/* soft resets after errors or timeouts */
	__u64 irqs;		/* interrupt handler calls that found work */
	__u64 irq_max_loops;	/* most IntFlags rounds in one handler call */
};

struct pm2ref_mode {
	__u32 width;		/* 640, 800 or 1024 */
	__u32 height;		/* 480, 600 or 768 */
	__u32 bpp;		/* 16 or 32 */
	__u32 flags;		/* 0 */
};

#define PM2REF_SUBMIT_WAIT	(1u << 0)	/* return once fetched; -EIO plus error_flags on error */

struct pm2ref_submit {
	__u64 words;		/* user pointer to nwords tag-format words */
	__u32 nwords;		/* 1 .. PM2REF_BUF_WORDS */
	__u32 flags;		/* PM2REF_SUBMIT_* */
	__u64 seq;		/* out: sequence number */
	__u32 error_flags;	/* out, with PM2REF_SUBMIT_WAIT */
	__u32 pad;		/* 0 */
};

struct pm2ref_submit_buf {
	__u32 index;		/* 0 .. PM2REF_NBUFS - 1; the buffer must be idle */
	__u32 nwords;		/* 1 .. PM2REF_BUF_WORDS */
	__u32 flags;		/* PM2REF_SUBMIT_* */
	__u32 error_flags;	/* out, with PM2REF_SUBMIT_WAIT */
	__u64 seq;		/* out: sequence number */
};

struct pm2ref_wait {
	__u64 seq;		/* wait until this submission (and all before it) was fetched */
	__u32 timeout_ms;	/* 0: the driver's default (10 s) */
	__u32 error_flags;	/* out: errors on this file's buffers since the last report */
};

#define PM2REF_IOC_MAGIC	0xd2

#define PM2REF_IOC_INFO		_IOR(PM2REF_IOC_MAGIC, 0, struct pm2ref_info)
#define PM2REF_IOC_SET_MODE	_IOW(PM2REF_IOC_MAGIC, 1, struct pm2ref_mode)
#define PM2REF_IOC_SUBMIT	_IOWR(PM2REF_IOC_MAGIC, 2, struct pm2ref_submit)
#define PM2REF_IOC_SUBMIT_BUF	_IOWR(PM2REF_IOC_MAGIC, 3, struct pm2ref_submit_buf)
#define PM2REF_IOC_WAIT		_IOWR(PM2REF_IOC_MAGIC, 4, struct pm2ref_wait)
#define PM2REF_IOC_SYNC		_IO(PM2REF_IOC_MAGIC, 5)

#endif /* _UAPI_PM2REF_H */

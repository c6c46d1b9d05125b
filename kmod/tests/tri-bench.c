// SPDX-License-Identifier: GPL-2.0
/*
 * tri-bench - the 2009 paper's workload: N Gouraud-shaded triangles of height H pixels sent by
 * DMA, timed from the first buffer to the Sync that says the last one is drawn.
 *
 *   tri-bench [-n N] [-h H] [-c] [-q] [-G]
 *     -n N   triangles (default 1000000)
 *     -h H   height in pixels, dominant edge to the opposite vertex (default 20)
 *     -c     submit by copy (PM2REF_IOC_SUBMIT) instead of the mmap'ed DMA buffers
 *     -q     one result line only
 *     -G     generate the command buffers only, submit nothing: the CPU's share of the time
 *
 * The triangles all have the same shape (red top, green right, blue bottom; as in the card
 * model's benchmark), scattered over a 1024x768x32 screen; only their positions change, so the
 * CPU cost per triangle is four words patched into a 24-word template.
 */
#include "pm2lib.h"

#define W 1024
#define HGT 768
#define TEMPLATE_WORDS 24

static uint32_t rng = 1;

static uint32_t rnd(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

int main(int argc, char **argv)
{
	struct pm2ref_mode mode = { .width = W, .height = HGT, .bpp = 32 };
	struct pm2ref_submit_buf sb;
	struct pm2ref_wait wt;
	struct pm2ref_info info;
	struct pm2_stream t = { 0 };
	uint32_t tmpl[TEMPLATE_WORDS + 8], *bufs[PM2REF_NBUFS], *p;
	uint64_t seq[PM2REF_NBUFS] = { 0 };
	unsigned long n = 1000000, done = 0, buffers = 0;
	int h = 20, copy = 0, quiet = 0, gen_only = 0, opt, fd, i, cur = 0, per_buf, k;
	struct pm2_vertex a, b, c;
	double t0, t1;

	while ((opt = getopt(argc, argv, "n:h:cqG")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'h': h = atoi(optarg); break;
		case 'c': copy = 1; break;
		case 'q': quiet = 1; break;
		case 'G': gen_only = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n triangles] [-h height] [-c] [-q] [-G]\n", argv[0]);
			return 2;
		}
	}
	if (h < 2 || h > 700) {
		fprintf(stderr, "tri-bench: height must be 2..700\n");
		return 2;
	}
	fd = pm2_open();
	if (fd < 0) {
		perror("tri-bench: open " PM2_DEVICE);
		return 1;
	}
	if (ioctl(fd, PM2REF_IOC_SET_MODE, &mode) || ioctl(fd, PM2REF_IOC_INFO, &info)) {
		perror("tri-bench: mode 1024x768x32");
		return 1;
	}
	for (i = 0; i < PM2REF_NBUFS; i++) {
		bufs[i] = copy ? malloc(PM2REF_BUF_SIZE) :
			  mmap(NULL, PM2REF_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PM2REF_MMAP_BUF(i));
		if (!bufs[i] || bufs[i] == MAP_FAILED) {
			perror("tri-bench: DMA buffer");
			return 1;
		}
	}

	/* the template: a triangle with its top vertex at (0, 0) */
	a = (struct pm2_vertex){ 0, 0, 255, 0, 0 };
	b = (struct pm2_vertex){ h, h / 2, 0, 255, 0 };
	c = (struct pm2_vertex){ h * 0.3, h, 0, 0, 255 };
	t.w = tmpl;
	t.cap = sizeof(tmpl) / 4;
	pm2_triangle(&t, &a, &b, &c);
	if (t.n != TEMPLATE_WORDS) {
		fprintf(stderr, "tri-bench: template has %u words\n", t.n);
		return 1;
	}
	/* positions: tmpl[11] StartXDom, [13] StartXSub, [15] StartY, [20] second StartXSub */
	per_buf = (PM2REF_BUF_WORDS - 2) / TEMPLATE_WORDS;

	t0 = pm2_now();
	while (done < n) {
		int cnt = n - done < (unsigned long)per_buf ? (int)(n - done) : per_buf;
		uint32_t nw;

		if (seq[cur]) {
			memset(&wt, 0, sizeof(wt));
			wt.seq = seq[cur];
			if (ioctl(fd, PM2REF_IOC_WAIT, &wt)) {
				fprintf(stderr, "tri-bench: wait: %s (errors 0x%x)\n", strerror(errno), wt.error_flags);
				return 1;
			}
		}
		p = bufs[cur];
		p[0] = PM2_HOLD(PM2TAG_COLOR_DDA_MODE, 1);
		p[1] = PM2TAG_COLOR_DDA_MODE_UNIT_ENABLE_MASK | PM2TAG_COLOR_DDA_MODE_SHADE_MODE_GOURAUD;
		p += 2;
		for (k = 0; k < cnt; k++, p += TEMPLATE_WORDS) {
			uint32_t x = 4 + rnd() % (W - 8 - h), y = rnd() % (HGT - 1 - h);
			uint32_t fx = x << 16, fy = y << 16;

			memcpy(p, tmpl, TEMPLATE_WORDS * 4);
			p[11] += fx;
			p[13] += fx;
			p[15] += fy;
			p[20] += fx;
		}
		nw = 2 + cnt * TEMPLATE_WORDS;
		if (gen_only) {
			seq[cur] = 0;
		} else if (copy) {
			struct pm2ref_submit s = { .words = (uintptr_t)bufs[cur], .nwords = nw };

			if (ioctl(fd, PM2REF_IOC_SUBMIT, &s)) {
				perror("tri-bench: submit");
				return 1;
			}
			seq[cur] = 0;
		} else {
			memset(&sb, 0, sizeof(sb));
			sb.index = cur;
			sb.nwords = nw;
			if (ioctl(fd, PM2REF_IOC_SUBMIT_BUF, &sb)) {
				perror("tri-bench: submit");
				return 1;
			}
			seq[cur] = sb.seq;
		}
		done += cnt;
		buffers++;
		cur = (cur + 1) % PM2REF_NBUFS;
	}
	if (!gen_only && pm2_sync(fd)) {
		perror("tri-bench: sync");
		return 1;
	}
	t1 = pm2_now();
	memset(&wt, 0, sizeof(wt));
	if (ioctl(fd, PM2REF_IOC_WAIT, &wt) && errno == EIO) {
		fprintf(stderr, "tri-bench: the card flagged errors 0x%x\n", wt.error_flags);
		return 1;
	}
	if (quiet)
		printf("%d %lu %.3f %.0f\n", h, n, t1 - t0, n / (t1 - t0));
	else
		printf("tri-bench: %lu triangles of height %d in %lu DMA buffers (%s): %.3f s, %.0f triangles/s\n",
		       n, h, buffers, copy ? "copy" : "mmap", t1 - t0, n / (t1 - t0));
	close(fd);
	return 0;
}

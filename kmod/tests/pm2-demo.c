// SPDX-License-Identifier: GPL-2.0
/*
 * pm2-demo - something worth looking at: a spinning Gouraud-shaded colour wheel over a
 * graded backdrop of fast-filled bands, drawn by DMA frame after frame.
 *
 *   pm2-demo [-f FRAMES] [-o FILE.ppm]    (default 120 frames; the last frame is saved if -o)
 */
#include "pm2lib.h"

#define SPOKES 24

static uint32_t words[PM2REF_BUF_WORDS];

static void hue(double h, double *r, double *g, double *b)
{
	double x = fmod(h, 1.0) * 6;
	int i = (int)x;
	double f = x - i;

	switch (i) {
	case 0: *r = 255; *g = 255 * f; *b = 0; break;
	case 1: *r = 255 * (1 - f); *g = 255; *b = 0; break;
	case 2: *r = 0; *g = 255; *b = 255 * f; break;
	case 3: *r = 0; *g = 255 * (1 - f); *b = 255; break;
	case 4: *r = 255 * f; *g = 0; *b = 255; break;
	default: *r = 255; *g = 0; *b = 255 * (1 - f); break;
	}
}

int main(int argc, char **argv)
{
	struct pm2ref_mode mode = { 640, 480, 32, 0 };
	struct pm2ref_info in;
	struct pm2_stream s = { words, 0, PM2REF_BUF_WORDS };
	const char *out = NULL;
	int frames = 120, opt, fd, f, i;
	double t0;

	while ((opt = getopt(argc, argv, "f:o:")) != -1) {
		if (opt == 'f')
			frames = atoi(optarg);
		else if (opt == 'o')
			out = optarg;
		else
			return 2;
	}
	fd = pm2_open();
	if (fd < 0 || ioctl(fd, PM2REF_IOC_SET_MODE, &mode) || ioctl(fd, PM2REF_IOC_INFO, &in)) {
		perror("pm2-demo: " PM2_DEVICE);
		return 1;
	}
	t0 = pm2_now();
	for (f = 0; f < frames; f++) {
		double spin = f * 0.02, cx = 320 + 60 * sin(f * 0.05), cy = 240;

		s.n = 0;
		pm2_setup(&s, 640, 32);
		for (i = 0; i < 48; i++) {	/* backdrop: 48 bands from midnight blue to violet */
			uint32_t r = 10 + i * 2, g = 10 + i, b = 60 + i * 3;

			pm2_fill(&s, 0, i * 10, 640, 10, r << 16 | g << 8 | b, 32);
		}
		pm2_gouraud_on(&s);
		for (i = 0; i < SPOKES; i++) {
			double a0 = spin + 2 * M_PI * i / SPOKES, a1 = spin + 2 * M_PI * (i + 1) / SPOKES;
			struct pm2_vertex c = { cx, cy, 255, 255, 255 }, p, q;

			p = (struct pm2_vertex){ .x = cx + 200 * cos(a0), .y = cy + 200 * sin(a0) };
			q = (struct pm2_vertex){ .x = cx + 200 * cos(a1), .y = cy + 200 * sin(a1) };
			hue((double)i / SPOKES + spin * 0.1, &p.r, &p.g, &p.b);
			hue((double)(i + 1) / SPOKES + spin * 0.1, &q.r, &q.g, &q.b);
			p.x = lround(p.x), p.y = lround(p.y), q.x = lround(q.x), q.y = lround(q.y);
			c.x = lround(c.x);
			pm2_triangle(&s, &c, &p, &q);
		}
		if (pm2_submit(fd, &s, 0, NULL) || pm2_sync(fd)) {
			perror("pm2-demo: submit");
			return 1;
		}
	}
	printf("pm2-demo: %d frames in %.2f s\n", frames, pm2_now() - t0);
	if (out) {
		volatile uint8_t *fb = mmap(NULL, in.vram_size, PROT_READ, MAP_SHARED, fd, PM2REF_MMAP_FB);

		if (fb == MAP_FAILED || pm2_dump_ppm(out, fb, &in)) {
			perror("pm2-demo: dump");
			return 1;
		}
		printf("pm2-demo: last frame in %s\n", out);
	}
	close(fd);
	return 0;
}

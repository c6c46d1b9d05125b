/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pm2lib.h - small user-space helpers for the pm2ref driver: open the device, build command
 * streams (tag-format words, datasheet section 4.2), draw rectangles and Gouraud triangles the
 * way the card's rules (section 6) expect, dump the framebuffer.
 */
#ifndef PM2LIB_H
#define PM2LIB_H

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <generated/pm2v_regs.h>
#include <uapi/pm2ref.h>

#define PM2_DEVICE "/dev/pm2ref0"

struct pm2_stream {
	uint32_t *w;
	uint32_t n;
	uint32_t cap;
};

struct pm2_vertex {
	double x, y, r, g, b;
};

static inline int pm2_open(void)
{
	const char *path = getenv("PM2REF_DEVICE");

	return open(path ? path : PM2_DEVICE, O_RDWR | O_CLOEXEC);
}

static inline uint32_t pm2_fixed16(double v)
{
	return (uint32_t)(int32_t)lround(v * 65536.0);
}

static inline uint32_t pm2_color915(double c)
{
	return (uint32_t)lround(c * 32768.0) & 0xffffffu;
}

static inline int pm2_room(struct pm2_stream *s, uint32_t words)
{
	return s->n + words <= s->cap;
}

static inline void pm2_pair(struct pm2_stream *s, uint32_t tag, uint32_t val)
{
	s->w[s->n++] = PM2_HOLD(tag, 1);
	s->w[s->n++] = val;
}

/* FBReadMode partial products for a pitch (same search as the driver and the card model). */
static inline uint32_t pm2_packed_pp(uint32_t pitch)
{
	uint32_t a, b, c;

	for (a = 0; a < 8; a++)
		for (b = 0; b < 8; b++)
			for (c = 0; c < 8; c++) {
				uint32_t p = (a ? 1u << (a + 4) : 0) + (b ? 1u << (b + 4) : 0) +
					     (c ? 1u << (c + 4) : 0);
				if (p == pitch)
					return a | b << 3 | c << 6;
			}
	return 0;
}

/* The whole pixel-path state, so that a stream draws the same on any card state. */
static inline void pm2_setup(struct pm2_stream *s, uint32_t width, uint32_t bpp)
{
	uint32_t dither = PM2TAG_DITHER_MODE_UNIT_ENABLE_MASK;

	if (bpp == 16)
		dither |= PM2_FMT_R5G6B5_DITHER_FORMAT << PM2TAG_DITHER_MODE_COLOR_FORMAT_SHIFT |
			  PM2_FMT_R5G6B5_DITHER_EXTENSION << PM2TAG_DITHER_MODE_COLOR_FORMAT_EXTENSION_SHIFT;
	else
		dither |= PM2_FMT_X8R8G8B8_DITHER_FORMAT << PM2TAG_DITHER_MODE_COLOR_FORMAT_SHIFT |
			  PM2_FMT_X8R8G8B8_DITHER_EXTENSION << PM2TAG_DITHER_MODE_COLOR_FORMAT_EXTENSION_SHIFT;
	pm2_pair(s, PM2TAG_FB_READ_PIXEL, bpp == 16 ? PM2_FMT_R5G6B5_READ_PIXEL : PM2_FMT_X8R8G8B8_READ_PIXEL);
	pm2_pair(s, PM2TAG_FB_READ_MODE, pm2_packed_pp(width));
	pm2_pair(s, PM2TAG_FB_WINDOW_BASE, 0);
	pm2_pair(s, PM2TAG_FB_WRITE_MODE, PM2TAG_FB_WRITE_MODE_WRITE_ENABLE_MASK);
	pm2_pair(s, PM2TAG_LOGICAL_OP_MODE, 0);
	pm2_pair(s, PM2TAG_SCISSOR_MODE, 0);
	pm2_pair(s, PM2TAG_FB_SOFTWARE_WRITE_MASK, 0xffffffffu);
	pm2_pair(s, PM2TAG_FB_HARDWARE_WRITE_MASK, 0xffffffffu);
	pm2_pair(s, PM2TAG_DITHER_MODE, dither);
	pm2_pair(s, PM2TAG_D_Y, pm2_fixed16(1));
}

/* A value placed in a field of the generated header (the user-space FIELD_PREP). */
static inline uint32_t pm2_field(uint32_t mask, unsigned int shift, int v)
{
	return ((uint32_t)v << shift) & mask;
}

/* Fast fill with a raw pixel value (16 bpp values are replicated into both halves). */
static inline void pm2_fill(struct pm2_stream *s, int x, int y, int w, int h, uint32_t pixel, uint32_t bpp)
{
	if (bpp == 16)
		pixel = (pixel & 0xffff) | (pixel << 16);
	pm2_pair(s, PM2TAG_FB_BLOCK_COLOR, pixel);
	pm2_pair(s, PM2TAG_RECTANGLE_ORIGIN, pm2_field(PM2TAG_RECTANGLE_ORIGIN_Y_MASK, PM2TAG_RECTANGLE_ORIGIN_Y_SHIFT, y) |
					     pm2_field(PM2TAG_RECTANGLE_ORIGIN_X_MASK, PM2TAG_RECTANGLE_ORIGIN_X_SHIFT, x));
	pm2_pair(s, PM2TAG_RECTANGLE_SIZE, pm2_field(PM2TAG_RECTANGLE_SIZE_HEIGHT_MASK, PM2TAG_RECTANGLE_SIZE_HEIGHT_SHIFT, h) |
					   pm2_field(PM2TAG_RECTANGLE_SIZE_WIDTH_MASK, PM2TAG_RECTANGLE_SIZE_WIDTH_SHIFT, w));
	pm2_pair(s, PM2TAG_RENDER, PM2TAG_RENDER_PRIMITIVE_TYPE_RECTANGLE | PM2TAG_RENDER_FAST_FILL_ENABLE_MASK |
				   PM2TAG_RENDER_INCREASE_X_MASK | PM2TAG_RENDER_INCREASE_Y_MASK);
}

/* Words a Gouraud triangle takes (pm2_triangle), at most. */
#define PM2_TRIANGLE_WORDS 26

static int pm2_vcmp(const void *a, const void *b)
{
	const struct pm2_vertex *p = a, *q = b;

	return (p->y > q->y) - (p->y < q->y);
}

/*
 * Gouraud triangle in two trapezoids (section 6, "Continuing"): dominant edge v1-v3, subordinate
 * v1-v2 then v2-v3. Registers that are consecutive tags go in INCREMENT groups.
 */
static inline void pm2_triangle(struct pm2_stream *s, const struct pm2_vertex *a,
				const struct pm2_vertex *b, const struct pm2_vertex *c)
{
	struct pm2_vertex v[3] = { *a, *b, *c };
	double area, ddx[3], ddy[3];
	const double *c1, *c2, *c3;
	int k;

	qsort(v, 3, sizeof(v[0]), pm2_vcmp);
	if (v[2].y == v[0].y)
		return;
	area = (v[0].x - v[2].x) * (v[1].y - v[2].y) - (v[1].x - v[2].x) * (v[0].y - v[2].y);
	c1 = &v[0].r;
	c2 = &v[1].r;
	c3 = &v[2].r;
	for (k = 0; k < 3; k++) {
		ddx[k] = area == 0 ? 0 : ((c1[k] - c3[k]) * (v[1].y - v[2].y) - (c2[k] - c3[k]) * (v[0].y - v[2].y)) / area;
		ddy[k] = (c3[k] - c1[k]) / (v[2].y - v[0].y);
	}
	s->w[s->n++] = PM2_INCREMENT(PM2TAG_R_START, 9);
	for (k = 0; k < 3; k++) {
		s->w[s->n++] = pm2_color915(c1[k]);
		s->w[s->n++] = pm2_color915(ddx[k]);
		s->w[s->n++] = pm2_color915(ddy[k]);
	}
	s->w[s->n++] = PM2_INCREMENT(PM2TAG_START_X_DOM, 8);
	s->w[s->n++] = pm2_fixed16(v[0].x);
	s->w[s->n++] = pm2_fixed16((v[2].x - v[0].x) / (v[2].y - v[0].y));
	s->w[s->n++] = pm2_fixed16(v[0].x);
	s->w[s->n++] = pm2_fixed16(v[1].y == v[0].y ? 0 : (v[1].x - v[0].x) / (v[1].y - v[0].y));
	s->w[s->n++] = pm2_fixed16(v[0].y);
	s->w[s->n++] = pm2_fixed16(1);
	s->w[s->n++] = (uint32_t)lround(v[1].y - v[0].y);
	s->w[s->n++] = PM2TAG_RENDER_PRIMITIVE_TYPE_TRAPEZOID;
	if (v[2].y > v[1].y) {
		s->w[s->n++] = PM2_INCREMENT(PM2TAG_START_X_SUB, 2);
		s->w[s->n++] = pm2_fixed16(v[1].x);
		s->w[s->n++] = pm2_fixed16((v[2].x - v[1].x) / (v[2].y - v[1].y));
		pm2_pair(s, PM2TAG_CONTINUE_NEW_SUB, (uint32_t)lround(v[2].y - v[1].y));
	}
}

static inline void pm2_gouraud_on(struct pm2_stream *s)
{
	pm2_pair(s, PM2TAG_COLOR_DDA_MODE, PM2TAG_COLOR_DDA_MODE_UNIT_ENABLE_MASK |
					   PM2TAG_COLOR_DDA_MODE_SHADE_MODE_GOURAUD);
}

/* Submit a stream by copy and wait for it; returns 0 or -errno. */
static inline int pm2_submit(int fd, const struct pm2_stream *s, int wait, uint32_t *err)
{
	struct pm2ref_submit sub = {
		.words = (uintptr_t)s->w, .nwords = s->n, .flags = wait ? PM2REF_SUBMIT_WAIT : 0,
	};
	int ret = ioctl(fd, PM2REF_IOC_SUBMIT, &sub);

	if (err)
		*err = sub.error_flags;
	return ret ? -errno : 0;
}

static inline int pm2_sync(int fd)
{
	return ioctl(fd, PM2REF_IOC_SYNC) ? -errno : 0;
}

static inline double pm2_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Pixel (x, y) of a mapped framebuffer as 0xRRGGBB. */
static inline uint32_t pm2_pixel(const volatile uint8_t *fb, const struct pm2ref_info *in, int x, int y)
{
	const volatile uint8_t *p = fb + in->fb_offset + (size_t)y * in->stride + (size_t)x * (in->bpp / 8);

	if (in->bpp == 16) {
		uint32_t v = *(const volatile uint16_t *)p;
		uint32_t r = (v >> 11) & 31, g = (v >> 5) & 63, b = v & 31;

		return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
	}
	return *(const volatile uint32_t *)p & 0xffffff;
}

/* The visible frame as a binary PPM. */
static inline int pm2_dump_ppm(const char *path, const volatile uint8_t *fb, const struct pm2ref_info *in)
{
	FILE *f = fopen(path, "wb");
	uint32_t x, y, px;

	if (!f)
		return -errno;
	fprintf(f, "P6\n%u %u\n255\n", in->width, in->height);
	for (y = 0; y < in->height; y++)
		for (x = 0; x < in->width; x++) {
			px = pm2_pixel(fb, in, x, y);
			fputc(px >> 16, f);
			fputc((px >> 8) & 0xff, f);
			fputc(px & 0xff, f);
		}
	return fclose(f) ? -errno : 0;
}

/* Raw bytes of the visible frame (exactly as in VRAM) and the stream that drew it. */
static inline int pm2_dump_raw(const char *path, const volatile uint8_t *fb, const struct pm2ref_info *in)
{
	FILE *f = fopen(path, "wb");
	uint32_t y;
	uint8_t *line = malloc(in->stride);

	if (!f || !line) {
		free(line);
		if (f)
			fclose(f);
		return -ENOMEM;
	}
	for (y = 0; y < in->height; y++) {
		memcpy(line, (const uint8_t *)fb + in->fb_offset + (size_t)y * in->stride, in->stride);
		fwrite(line, 1, in->stride, f);
	}
	free(line);
	return fclose(f) ? -errno : 0;
}

static inline int pm2_dump_words(const char *path, const struct pm2_stream *s)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -errno;
	fwrite(s->w, 4, s->n, f);
	return fclose(f) ? -errno : 0;
}

#endif /* PM2LIB_H */

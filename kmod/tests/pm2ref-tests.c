// SPDX-License-Identifier: GPL-2.0
/*
 * pm2ref-tests - kselftest-style TAP tests of the pm2ref driver on the virtual card.
 *
 *   pm2ref-tests [-o DIR] [-n BUFFERS]
 *     -o DIR   where to write framebuffer dumps and the streams that drew them (default /work/out)
 *     -n N     buffers per process in the burst stress test (default 5000; two processes)
 *   pm2ref-tests -u
 *     hold the device, mapped, through a hot-unplug (see hold_through_unplug; run-tests.sh uses it)
 *
 * Prints "ok N - name" / "not ok N - name" and the plan line; exits 0 when everything passed.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "pm2lib.h"

static int tests, failures;
static const char *outdir = "/work/out";
static unsigned long stress_n_all = 5000;

static void report(int pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!pass)
		failures++;
}

#define diag(...) do { printf("# " __VA_ARGS__); printf("\n"); fflush(stdout); } while (0)

static uint32_t words[PM2REF_BUF_WORDS];
static struct pm2_stream S = { words, 0, PM2REF_BUF_WORDS };

static int set_mode(int fd, uint32_t w, uint32_t h, uint32_t bpp, struct pm2ref_info *in)
{
	struct pm2ref_mode m = { w, h, bpp, 0 };

	if (ioctl(fd, PM2REF_IOC_SET_MODE, &m))
		return -errno;
	if (ioctl(fd, PM2REF_IOC_INFO, in))
		return -errno;
	return 0;
}

static int near(uint32_t a, uint32_t b, int tol)
{
	int i;

	for (i = 0; i < 24; i += 8) {
		int d = (int)((a >> i) & 0xff) - (int)((b >> i) & 0xff);

		if (d > tol || d < -tol)
			return 0;
	}
	return 1;
}

static volatile uint8_t *map_fb(int fd, const struct pm2ref_info *in)
{
	void *p = mmap(NULL, in->vram_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PM2REF_MMAP_FB);

	return p == MAP_FAILED ? NULL : p;
}

/* ---- mode set ---- */

static void test_modes(int fd)
{
	static const uint32_t modes[][3] = {
		{ 800, 600, 32 }, { 1024, 768, 16 }, { 800, 600, 16 }, { 1024, 768, 32 }, { 640, 480, 16 },
		{ 640, 480, 32 },
	};
	struct pm2ref_info in;
	struct pm2ref_mode bad;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ret = set_mode(fd, modes[i][0], modes[i][1], modes[i][2], &in);
		report(!ret && in.width == modes[i][0] && in.height == modes[i][1] && in.bpp == modes[i][2] &&
		       in.stride == modes[i][0] * modes[i][2] / 8,
		       "mode set %ux%ux%u (got %ux%ux%u stride %u, ret %d)", modes[i][0], modes[i][1],
		       modes[i][2], in.width, in.height, in.bpp, in.stride, ret);
	}
	bad = (struct pm2ref_mode){ 700, 500, 32, 0 };
	ret = ioctl(fd, PM2REF_IOC_SET_MODE, &bad);
	report(ret == -1 && errno == EINVAL, "mode 700x500 rejected with EINVAL");
	bad = (struct pm2ref_mode){ 640, 480, 24, 0 };
	ret = ioctl(fd, PM2REF_IOC_SET_MODE, &bad);
	report(ret == -1 && errno == EINVAL, "24 bpp rejected with EINVAL");
	bad = (struct pm2ref_mode){ 640, 480, 32, 1 };
	ret = ioctl(fd, PM2REF_IOC_SET_MODE, &bad);
	report(ret == -1 && errno == EINVAL, "unknown mode flags rejected with EINVAL");
}

/* ---- fills ---- */

static int check_rect(volatile uint8_t *fb, struct pm2ref_info *in, int x, int y, int w, int h,
		      uint32_t inside, uint32_t outside)
{
	int bad = 0;

	bad += pm2_pixel(fb, in, x, y) != inside;
	bad += pm2_pixel(fb, in, x + w - 1, y + h - 1) != inside;
	bad += pm2_pixel(fb, in, x + w / 2, y + h / 2) != inside;
	bad += pm2_pixel(fb, in, x + w, y) != outside;		/* right edge is exclusive */
	bad += pm2_pixel(fb, in, x, y + h) != outside;
	bad += pm2_pixel(fb, in, x - 1, y) != outside;
	return bad;
}

static void test_fills(int fd)
{
	struct pm2ref_info in;
	volatile uint8_t *fb;
	uint32_t err;
	int ret, bad;

	ret = set_mode(fd, 640, 480, 32, &in);
	fb = ret ? NULL : map_fb(fd, &in);
	report(fb != NULL, "framebuffer mmap (%u bytes)", in.vram_size);
	if (!fb)
		return;
	report(pm2_pixel(fb, &in, 320, 240) == 0 && pm2_pixel(fb, &in, 639, 479) == 0,
	       "mode set clears the screen");

	S.n = 0;
	pm2_setup(&S, 640, 32);
	pm2_fill(&S, 100, 100, 50, 40, 0x00ff8000, 32);
	ret = pm2_submit(fd, &S, 1, &err);
	report(ret == 0 && err == 0, "fill submitted by copy (ret %d, errors 0x%x)", ret, err);
	ret = pm2_sync(fd);
	bad = check_rect(fb, &in, 100, 100, 50, 40, 0xff8000, 0);
	report(!ret && !bad, "32 bpp fill: inside and outside pixels (%d wrong)", bad);

	ret = set_mode(fd, 640, 480, 16, &in);
	S.n = 0;
	pm2_setup(&S, 640, 16);
	pm2_fill(&S, 200, 50, 30, 60, 0xf800, 16);
	pm2_fill(&S, 240, 50, 30, 60, 0x07e0, 16);	/* a gap: check_rect looks right of the first */
	ret = ret ? ret : pm2_submit(fd, &S, 0, NULL);
	ret = ret ? ret : pm2_sync(fd);
	bad = check_rect(fb, &in, 200, 50, 30, 60, 0xff0000, 0) ? 1 : 0;
	bad += pm2_pixel(fb, &in, 250, 80) != 0x00ff00;
	report(!ret && !bad, "16 bpp fills (ret %d, %d wrong)", ret, bad);
	munmap((void *)fb, in.vram_size);
	set_mode(fd, 640, 480, 32, &in);
}

/* ---- DMA buffers by mmap ---- */

static void test_mmap_buffers(int fd)
{
	struct pm2ref_submit_buf sb;
	struct pm2ref_wait wt;
	struct pm2ref_info in;
	volatile uint8_t *fb;
	uint32_t *buf[PM2REF_NBUFS];
	int i, ret, bad = 0;

	set_mode(fd, 640, 480, 32, &in);
	fb = map_fb(fd, &in);
	for (i = 0; i < PM2REF_NBUFS; i++) {
		buf[i] = mmap(NULL, PM2REF_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PM2REF_MMAP_BUF(i));
		if (buf[i] == MAP_FAILED)
			break;
	}
	report(i == PM2REF_NBUFS && fb, "mmap of %d DMA buffers", PM2REF_NBUFS);
	if (i != PM2REF_NBUFS || !fb)
		return;
	for (i = 0; i < PM2REF_NBUFS; i++) {
		struct pm2_stream s = { buf[i], 0, PM2REF_BUF_WORDS };

		pm2_setup(&s, 640, 32);
		pm2_fill(&s, 10 + 20 * i, 300, 10, 10, 0x102030 * (i + 1), 32);
		memset(&sb, 0, sizeof(sb));
		sb.index = i;
		sb.nwords = s.n;
		ret = ioctl(fd, PM2REF_IOC_SUBMIT_BUF, &sb);
		bad += ret != 0;
	}
	memset(&wt, 0, sizeof(wt));
	wt.seq = sb.seq;
	ret = ioctl(fd, PM2REF_IOC_WAIT, &wt);
	report(!bad && !ret && !wt.error_flags, "submit by index, wait for the last (seq %llu)",
	       (unsigned long long)sb.seq);
	pm2_sync(fd);
	for (i = 0; i < PM2REF_NBUFS; i++)
		bad += pm2_pixel(fb, &in, 15 + 20 * i, 305) != (0x102030u * (i + 1) & 0xffffff);
	report(!bad, "every mmap'ed buffer was drawn (%d wrong)", bad);
	for (i = 0; i < PM2REF_NBUFS; i++)
		munmap(buf[i], PM2REF_BUF_SIZE);
	munmap((void *)fb, in.vram_size);
}

/* ---- triangles ---- */

static uint32_t expect(const struct pm2_vertex *v1, const struct pm2_vertex *v2, const struct pm2_vertex *v3,
		       double x, double y)
{
	/* barycentric interpolation of the vertex colours */
	double d = (v2->y - v3->y) * (v1->x - v3->x) + (v3->x - v2->x) * (v1->y - v3->y);
	double l1 = ((v2->y - v3->y) * (x - v3->x) + (v3->x - v2->x) * (y - v3->y)) / d;
	double l2 = ((v3->y - v1->y) * (x - v3->x) + (v1->x - v3->x) * (y - v3->y)) / d;
	double l3 = 1 - l1 - l2;
	int r = lround(l1 * v1->r + l2 * v2->r + l3 * v3->r);
	int g = lround(l1 * v1->g + l2 * v2->g + l3 * v3->g);
	int b = lround(l1 * v1->b + l2 * v2->b + l3 * v3->b);

	return (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
}

static int dump(const char *name, volatile uint8_t *fb, struct pm2ref_info *in, struct pm2_stream *s)
{
	char path[512];
	int ret;

	mkdir(outdir, 0755);
	snprintf(path, sizeof(path), "%s/%s.ppm", outdir, name);
	ret = pm2_dump_ppm(path, fb, in);
	snprintf(path, sizeof(path), "%s/%s.fb", outdir, name);
	ret = ret ? ret : pm2_dump_raw(path, fb, in);
	snprintf(path, sizeof(path), "%s/%s.stream", outdir, name);
	ret = ret ? ret : pm2_dump_words(path, s);
	if (!ret)
		diag("%s: %ux%ux%u frame in %s/%s.{ppm,fb}, stream in %s.stream", name, in->width,
		     in->height, in->bpp, outdir, name, name);
	return ret;
}

static void test_triangles(int fd)
{
	struct pm2_vertex a = { 100, 50, 255, 0, 0 }, b = { 300, 150, 0, 255, 0 }, c = { 150, 250, 0, 0, 255 };
	static const double pts[][2] = { { 130, 80 }, { 200, 150 }, { 250, 150 }, { 160, 220 }, { 140, 120 } };
	struct pm2ref_info in;
	volatile uint8_t *fb;
	unsigned int i, bad = 0;
	int ret;

	set_mode(fd, 640, 480, 32, &in);
	fb = map_fb(fd, &in);
	if (!fb) {
		report(0, "Gouraud triangle (no framebuffer)");
		return;
	}
	S.n = 0;
	pm2_setup(&S, 640, 32);
	pm2_gouraud_on(&S);
	pm2_triangle(&S, &a, &b, &c);
	ret = pm2_submit(fd, &S, 1, NULL);
	ret = ret ? ret : pm2_sync(fd);
	for (i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		uint32_t got = pm2_pixel(fb, &in, pts[i][0], pts[i][1]);
		uint32_t want = expect(&a, &b, &c, pts[i][0], pts[i][1]);

		if (!near(got, want, 4)) {
			diag("(%g, %g): 0x%06x, expected about 0x%06x", pts[i][0], pts[i][1], got, want);
			bad++;
		}
	}
	bad += pm2_pixel(fb, &in, 99, 50) != 0 || pm2_pixel(fb, &in, 310, 150) != 0 ||
	       pm2_pixel(fb, &in, 150, 252) != 0;
	report(!ret && !bad, "Gouraud triangle: interpolated colours inside, black outside (%u wrong)", bad);
	report(dump("triangle", fb, &in, &S) == 0, "triangle frame and stream dumped");

	/* many triangles, for the host to compare with the card model's rendering */
	set_mode(fd, 640, 480, 32, &in);
	S.n = 0;
	pm2_setup(&S, 640, 32);
	pm2_gouraud_on(&S);
	srand(42);
	for (i = 0; i < 300 && pm2_room(&S, PM2_TRIANGLE_WORDS); i++) {
		struct pm2_vertex v[3];
		int k;

		for (k = 0; k < 3; k++) {
			v[k].x = rand() % 600 + 20;
			v[k].y = rand() % 440 + 20;
			v[k].r = rand() % 256;
			v[k].g = rand() % 256;
			v[k].b = rand() % 256;
		}
		pm2_triangle(&S, &v[0], &v[1], &v[2]);
	}
	ret = pm2_submit(fd, &S, 1, NULL);
	ret = ret ? ret : pm2_sync(fd);
	report(!ret, "300 random Gouraud triangles in one buffer (ret %d)", ret);
	report(dump("triangles300", fb, &in, &S) == 0, "300-triangle frame and stream dumped");
	munmap((void *)fb, in.vram_size);
}

/* ---- bad input ---- */

static void test_bad_ioctls(int fd)
{
	struct pm2ref_submit s;
	struct pm2ref_submit_buf sb;
	struct pm2ref_wait wt;
	uint32_t three[3] = { PM2_HOLD(PM2TAG_COLOR, 4), 1, 2 };
	void *p;
	int ret;

	ret = ioctl(fd, _IO(PM2REF_IOC_MAGIC, 99));
	report(ret == -1 && errno == ENOTTY, "unknown ioctl number: ENOTTY");
	ret = ioctl(fd, _IOW('T', 1, int), 0);
	report(ret == -1 && errno == ENOTTY, "foreign ioctl: ENOTTY");
	ret = ioctl(fd, PM2REF_IOC_INFO, (void *)16);
	report(ret == -1 && errno == EFAULT, "INFO to a bad pointer: EFAULT");
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, (void *)16);
	report(ret == -1 && errno == EFAULT, "SUBMIT with a bad argument pointer: EFAULT");

	memset(&s, 0, sizeof(s));
	s.words = 16;
	s.nwords = 8;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, &s);
	report(ret == -1 && errno == EFAULT, "SUBMIT of words at a bad pointer: EFAULT");
	s.words = (uintptr_t)words;
	s.nwords = 0;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, &s);
	report(ret == -1 && errno == EINVAL, "SUBMIT of 0 words: EINVAL");
	s.nwords = PM2REF_BUF_WORDS + 1;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, &s);
	report(ret == -1 && errno == EINVAL, "SUBMIT of more words than a buffer: EINVAL");
	s.nwords = 2;
	words[0] = PM2_HOLD(PM2TAG_COLOR, 1);
	words[1] = 0;
	s.flags = 0x80;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, &s);
	report(ret == -1 && errno == EINVAL, "SUBMIT with unknown flags: EINVAL");
	s.flags = 0;
	s.pad = 1;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, &s);
	report(ret == -1 && errno == EINVAL, "SUBMIT with non-zero padding: EINVAL");
	s.pad = 0;
	s.words = (uintptr_t)three;
	s.nwords = 3;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT, &s);
	report(ret == -1 && errno == EINVAL, "SUBMIT whose last header runs past the end: EINVAL");

	memset(&sb, 0, sizeof(sb));
	sb.index = PM2REF_NBUFS;
	sb.nwords = 2;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT_BUF, &sb);
	report(ret == -1 && errno == EINVAL, "SUBMIT_BUF of buffer %d: EINVAL", PM2REF_NBUFS);
	sb.index = 0;
	sb.nwords = PM2REF_BUF_WORDS + 1;
	ret = ioctl(fd, PM2REF_IOC_SUBMIT_BUF, &sb);
	report(ret == -1 && errno == EINVAL, "SUBMIT_BUF of too many words: EINVAL");

	memset(&wt, 0, sizeof(wt));
	wt.seq = ~0ull;
	ret = ioctl(fd, PM2REF_IOC_WAIT, &wt);
	report(ret == -1 && errno == EINVAL, "WAIT for a sequence number never issued: EINVAL");

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0x20000000);
	report(p == MAP_FAILED && errno == EINVAL, "mmap at an unknown offset: EINVAL");
	p = mmap(NULL, 2 * PM2REF_BUF_SIZE, PROT_READ, MAP_SHARED, fd, PM2REF_MMAP_BUF(0));
	report(p == MAP_FAILED && errno == EINVAL, "mmap past the end of a DMA buffer: EINVAL");
	p = mmap(NULL, 16 << 20, PROT_READ, MAP_SHARED, fd, PM2REF_MMAP_FB);
	report(p == MAP_FAILED && errno == EINVAL, "mmap past the end of VRAM: EINVAL");
}

static void test_malformed(int fd)
{
	struct pm2ref_info before, after;
	struct pm2ref_info in;
	volatile uint8_t *fb;
	uint32_t err = 0;
	int ret;

	ioctl(fd, PM2REF_IOC_INFO, &before);
	S.n = 0;
	pm2_pair(&S, PM2TAG_COLOR, 0);
	S.w[S.n++] = PM2_TAGWORD(PM2TAG_COLOR, PM2_TAGWORD_MODE_RESERVED, 0);	/* reserved mode: malformed */
	S.w[S.n++] = 0;
	S.w[S.n++] = 0;
	ret = pm2_submit(fd, &S, 1, &err);
	report(ret == -EIO && (err & PM2_ERR_MESSAGE), "malformed header: EIO with the Message error (ret %d, errors 0x%x)",
	       ret, err);

	S.n = 0;
	pm2_pair(&S, PM2_TAGWORD_TAG_MASK, 1);	/* the highest tag: no register has it */
	pm2_pair(&S, PM2TAG_COLOR, 0);
	ret = pm2_submit(fd, &S, 1, &err);
	report(ret == -EIO && (err & PM2_ERR_MESSAGE), "unknown tag: EIO with the Message error (ret %d, errors 0x%x)",
	       ret, err);

	ioctl(fd, PM2REF_IOC_INFO, &after);
	report(after.recoveries >= before.recoveries + 2 && after.errors >= before.errors + 2,
	       "the driver reset the card after each (%llu recoveries)",
	       (unsigned long long)(after.recoveries - before.recoveries));

	set_mode(fd, 640, 480, 32, &in);
	fb = map_fb(fd, &in);
	S.n = 0;
	pm2_setup(&S, 640, 32);
	pm2_fill(&S, 400, 400, 20, 20, 0x00abcdef, 32);
	ret = pm2_submit(fd, &S, 1, &err);
	ret = ret ? ret : pm2_sync(fd);
	report(!ret && fb && pm2_pixel(fb, &in, 405, 405) == 0xabcdef, "the next buffer draws normally (ret %d)", ret);
	if (fb)
		munmap((void *)fb, in.vram_size);
}

/* ---- burst-mode stress: two processes, every buffer leaves one pixel behind ---- */

#define STRESS_COLS 500

static uint32_t stress_pixel(int k, unsigned long i)
{
	return 0x00800000u | (uint32_t)k << 20 | (uint32_t)(i & 0xfffff);
}

static int stress_child(int k, unsigned long n)
{
	uint32_t *buf[PM2REF_NBUFS];
	uint64_t seq[PM2REF_NBUFS] = { 0 };
	uint32_t local[64];
	struct pm2ref_submit_buf sb;
	struct pm2ref_wait wt;
	unsigned long i;
	int fd = pm2_open(), b;

	if (fd < 0)
		return 10;
	for (b = 0; b < PM2REF_NBUFS; b++) {
		buf[b] = mmap(NULL, PM2REF_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PM2REF_MMAP_BUF(b));
		if (buf[b] == MAP_FAILED)
			return 11;
	}
	for (i = 0; i < n; i++) {
		int x = 10 + i % STRESS_COLS, y = 20 + k * 40 + i / STRESS_COLS;

		if (i % 2) {
			struct pm2_stream s = { local, 0, 64 };

			pm2_fill(&s, x, y, 1, 1, stress_pixel(k, i), 32);
			if (pm2_submit(fd, &s, 0, NULL))
				return 12;
		} else {
			struct pm2_stream s;

			b = (i / 2) % PM2REF_NBUFS;
			if (seq[b]) {
				memset(&wt, 0, sizeof(wt));
				wt.seq = seq[b];
				if (ioctl(fd, PM2REF_IOC_WAIT, &wt))
					return 13;
			}
			s = (struct pm2_stream){ buf[b], 0, PM2REF_BUF_WORDS };
			pm2_fill(&s, x, y, 1, 1, stress_pixel(k, i), 32);
			memset(&sb, 0, sizeof(sb));
			sb.index = b;
			sb.nwords = s.n;
			if (ioctl(fd, PM2REF_IOC_SUBMIT_BUF, &sb))
				return 14;
			seq[b] = sb.seq;
		}
	}
	memset(&wt, 0, sizeof(wt));
	if (ioctl(fd, PM2REF_IOC_WAIT, &wt) || wt.error_flags)
		return 15;
	close(fd);
	return 0;
}

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(s, f);
	return fclose(f);
}

static void test_stress(int fd, int burst)
{
	unsigned long stress_n = burst ? stress_n_all : stress_n_all / 10;
	const char *param = "/sys/module/vgpu/parameters/burst";
	struct pm2ref_info in, before, after;
	volatile uint8_t *fb;
	pid_t pid[2];
	int k, status, child_ok = 1;
	unsigned long i, missing = 0;
	double t0;

	if (burst && write_file(param, "1")) {
		report(0, "burst mode on (%s: %s)", param, strerror(errno));
		return;
	}
	set_mode(fd, 640, 480, 32, &in);
	fb = map_fb(fd, &in);
	ioctl(fd, PM2REF_IOC_INFO, &before);
	t0 = pm2_now();
	fflush(stdout);
	for (k = 0; k < 2; k++) {
		pid[k] = fork();
		if (pid[k] == 0)
			_exit(stress_child(k, stress_n));
	}
	for (k = 0; k < 2; k++) {
		if (waitpid(pid[k], &status, 0) != pid[k] || !WIFEXITED(status) || WEXITSTATUS(status)) {
			diag("process %d: status 0x%x", k, status);
			child_ok = 0;
		}
	}
	pm2_sync(fd);
	ioctl(fd, PM2REF_IOC_INFO, &after);
	if (burst)
		write_file(param, "0");
	report(child_ok, "%s: two processes submitted %lu buffers each, every WAIT succeeded (%.1f s)",
	       burst ? "burst" : "timed", stress_n, pm2_now() - t0);
	for (k = 0; k < 2 && fb; k++)
		for (i = 0; i < stress_n; i++)
			if (pm2_pixel(fb, &in, 10 + i % STRESS_COLS, 20 + k * 40 + i / STRESS_COLS) !=
			    stress_pixel(k, i))
				missing++;
	report(fb && !missing, "%s: all %lu buffers drawn, none lost (%lu missing)", burst ? "burst" : "timed",
	       2 * stress_n, missing);
	report(after.completed - before.completed >= 2 * stress_n && after.errors == before.errors,
	       "%s: the driver counted %llu completions, %llu errors; up to %llu IntFlags rounds per interrupt",
	       burst ? "burst" : "timed", (unsigned long long)(after.completed - before.completed),
	       (unsigned long long)(after.errors - before.errors), (unsigned long long)after.irq_max_loops);
	if (fb)
		munmap((void *)fb, in.vram_size);
}

static sigjmp_buf touch_env;

static void touch_fault(int sig)
{
	siglongjmp(touch_env, sig);
}

/* Read a word of a mapping: 0 when it reads, else the signal the read raised. */
static int touch(volatile uint32_t *p)
{
	int sig = sigsetjmp(touch_env, 1);

	if (!sig)
		(void)*p;
	return sig;
}

/*
 * -u: open the device, map the framebuffer and DMA buffer 0 and write to both, print "held",
 * then wait for the end of standard input (the caller unplugs the card meanwhile). After the
 * unplug the driver must refuse the file with ENODEV, and both mappings must be gone (SIGBUS):
 * a buffer page still mapped after remove() freed it would hand this process freed memory.
 * Exit status 0 when both hold.
 */
static int hold_through_unplug(void)
{
	struct pm2ref_info in;
	volatile uint32_t *buf;
	volatile uint8_t *fb;
	int fd, enodev, buf_sig, fb_sig;
	char c;

	fd = pm2_open();
	if (fd < 0 || ioctl(fd, PM2REF_IOC_INFO, &in))
		return 2;
	fb = map_fb(fd, &in);
	buf = mmap(NULL, PM2REF_BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PM2REF_MMAP_BUF(0));
	if (!fb || buf == MAP_FAILED)
		return 2;
	buf[0] = 0x600dcafe;
	fb[0] = 0xff;
	printf("held\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	signal(SIGBUS, touch_fault);
	signal(SIGSEGV, touch_fault);
	enodev = ioctl(fd, PM2REF_IOC_INFO, &in) < 0 && errno == ENODEV;
	buf_sig = touch(buf);
	fb_sig = touch((volatile uint32_t *)fb);
	printf("after the unplug: ioctl %s; DMA buffer mapping %s; framebuffer mapping %s\n",
	       enodev ? "ENODEV" : "did not fail with ENODEV",
	       buf_sig == SIGBUS ? "SIGBUS" : buf_sig ? strsignal(buf_sig) : "still readable",
	       fb_sig == SIGBUS ? "SIGBUS" : fb_sig ? strsignal(fb_sig) : "still readable");
	return enodev && buf_sig == SIGBUS && fb_sig == SIGBUS ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct pm2ref_info in;
	int fd, opt, ret;

	while ((opt = getopt(argc, argv, "o:n:u")) != -1) {
		if (opt == 'u')
			return hold_through_unplug();
		else if (opt == 'o')
			outdir = optarg;
		else if (opt == 'n')
			stress_n_all = strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	printf("TAP version 13\n");
	fd = pm2_open();
	report(fd >= 0, "open %s", PM2_DEVICE);
	if (fd < 0) {
		printf("1..%d\n", tests);
		return 1;
	}
	ret = ioctl(fd, PM2REF_IOC_INFO, &in);
	report(!ret && in.version == PM2REF_API_VERSION && in.vendor == PM2_PCI_VENDOR_ID &&
	       in.device == PM2_PCI_DEVICE_ID && in.vram_size == PM2_VRAM_SIZE,
	       "INFO: %04x:%04x rev %u, %u MiB VRAM, %ux%ux%u", in.vendor, in.device, in.revision,
	       in.vram_size >> 20, in.width, in.height, in.bpp);

	test_modes(fd);
	test_fills(fd);
	test_mmap_buffers(fd);
	test_triangles(fd);
	test_bad_ioctls(fd);
	test_malformed(fd);
	test_stress(fd, 0);
	test_stress(fd, 1);
	close(fd);
	printf("1..%d\n", tests);
	if (failures)
		printf("# %d of %d failed\n", failures, tests);
	return failures ? 1 : 0;
}

/*
 * test-inflate.c: the zlib decoder (src/lib/inflate.c) on streams git
 * writes (loose objects made with core.compression 0, 1 and 9: stored,
 * fixed and dynamic blocks), on streams built here bit by bit to reach
 * the rare paths (codes longer than the lookup table, lone one-bit codes,
 * every kind of corruption), and on many damaged copies of both.
 *
 * No zlib is needed: git compresses, and the expected output is the data
 * the test wrote.  Isolation as in test-history.c: HOME is a temporary
 * folder, GIT_CONFIG_NOSYSTEM=1, LC_ALL=C; the folder is removed at the
 * end.  No test vector file covers zlib data, so there are no vector rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tsv.h"

#include "inflate.h"

struct env {
	char root[64];
};

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

/* xorshift64: the same bytes on every run */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static unsigned char *
xmalloc(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	CHECK(p != NULL, "out of memory (%zu bytes)", n);
	return p;
}

/* Reads a whole file; fails the test when it cannot. */
static unsigned char *
read_file(const char *path, size_t *len)
{
	struct tp_buf b = TP_BUF_INIT;
	char chunk[65536];
	unsigned char *p;
	size_t n;
	FILE *fp;

	fp = fopen(path, "rb");
	CHECK(fp != NULL, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		CHECK(tp_buf_put(&b, chunk, n) == 0, "out of memory");
	fclose(fp);
	p = (unsigned char *)tp_buf_detach(&b, len);
	CHECK(p != NULL, "out of memory");
	return p;
}

static void
write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	CHECK(fp != NULL, "cannot create %s", path);
	CHECK(len == 0 || fwrite(data, 1, len, fp) == len, "cannot write %s",
	      path);
	CHECK(fclose(fp) == 0, "cannot write %s", path);
}

/*
 * The zlib stream git writes for `data` as a loose blob with
 * core.compression=`level`, and the bytes it decodes to ("blob N\0" and
 * the data) in *want.
 */
static unsigned char *
git_stream(const struct env *e, int level, const unsigned char *data,
	   size_t len, size_t *zlen, unsigned char **want, size_t *wlen)
{
	struct tp_buf cmd = TP_BUF_INIT, path = TP_BUF_INIT;
	char id[128];
	unsigned char *z;
	FILE *fp;
	int rc;
	size_t n;

	tp_buf_printf(&path, "%s/data", e->root);
	write_file(path.ptr, data, len);
	tp_buf_printf(&cmd,
		      "cd '%s/repo' && git -c core.compression=%d "
		      "hash-object -w ../data",
		      e->root, level);
	fp = popen(cmd.ptr, "r");
	CHECK(fp != NULL, "cannot run %s", cmd.ptr);
	if (fgets(id, sizeof(id), fp) == NULL)
		id[0] = '\0';
	rc = pclose(fp);
	CHECK(rc == 0 && strlen(id) == 41, "%s: '%s' (%d)", cmd.ptr, id, rc);
	tp_buf_clear(&path);
	tp_buf_printf(&path, "%s/repo/.git/objects/%.2s/%.38s", e->root, id,
		      id + 2);
	z = read_file(path.ptr, zlen);
	/* the next call may write the same object again */
	CHECK(unlink(path.ptr) == 0, "cannot remove %s", path.ptr);

	tp_buf_clear(&cmd);
	tp_buf_printf(&cmd, "blob %zu", len);
	n = cmd.len + 1;
	*wlen = n + len;
	*want = xmalloc(*wlen);
	memcpy(*want, cmd.ptr, n);
	if (len > 0)
		memcpy(*want + n, data, len);
	tp_buf_release(&cmd);
	tp_buf_release(&path);
	return z;
}

/* Words from a small vocabulary: text that deflate compresses well. */
static unsigned char *
make_text(size_t len, uint64_t seed)
{
	static const char *const words[] = {
		"tag",	 "release",  "version", "commit", "tree",
		"blob",	 "the",	     "policy",	"semver", "prerelease",
		"build", "metadata", "\n",	"a",	  "of",
		"and",	 "major",    "minor",	"patch",  "fix:",
		"feat:"
	};
	unsigned char *p = xmalloc(len);
	const char *w;
	size_t i = 0, n;

	while (i < len) {
		w = words[rnd(&seed) % (sizeof(words) / sizeof(words[0]))];
		n = strlen(w);
		if (n > len - i)
			n = len - i;
		memcpy(p + i, w, n);
		i += n;
		if (i < len)
			p[i++] = ' ';
	}
	return p;
}

static unsigned char *
make_random(size_t len, uint64_t seed)
{
	unsigned char *p = xmalloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)rnd(&seed);
	return p;
}

/*
 * Bytes with a geometric distribution (each value half as likely as the
 * one before): the rare ones get codes longer than the lookup table.
 */
static unsigned char *
make_skewed(size_t len, uint64_t seed)
{
	unsigned char *p = xmalloc(len);
	uint64_t r;
	size_t i;
	unsigned v;

	for (i = 0; i < len; i++) {
		r = rnd(&seed);
		for (v = 0; v < 40 && (r & 1); v++)
			r >>= 1;
		p[i] = (unsigned char)('A' + v);
	}
	return p;
}

/*
 * A few MB mixing text, long runs of one byte (matches of 258 at
 * distance 1), copies of earlier chunks from up to 32 KiB back, and
 * random stretches: many blocks, long matches, far distances.
 */
static unsigned char *
make_large(size_t len, uint64_t seed)
{
	unsigned char *p = xmalloc(len), *t;
	size_t i = 0, n, back;

	while (i < len) {
		n = 1 + rnd(&seed) % 3000;
		if (n > len - i)
			n = len - i;
		switch (rnd(&seed) % 4) {
		case 0:
			t = make_text(n, rnd(&seed));
			memcpy(p + i, t, n);
			free(t);
			break;
		case 1: memset(p + i, (int)(rnd(&seed) & 0xff), n); break;
		case 2:
			back = 1 + rnd(&seed) % 32768;
			if (back > i) {
				memset(p + i, 'x', n);
				break;
			}
			/* overlapping on purpose when back < n */
			for (back = i - back; n > 0; n--)
				p[i++] = p[back++];
			continue;
		default:
			t = make_random(n, rnd(&seed));
			memcpy(p + i, t, n);
			free(t);
			break;
		}
		i += n;
	}
	return p;
}

/* Inflates `z` into exactly `cap` bytes of heap (so ASan sees overruns). */
static int
inflate_into(unsigned char **out, size_t cap, size_t *olen,
	     const unsigned char *z, size_t zlen, size_t *used,
	     struct tp_error *err)
{
	unsigned char *in = xmalloc(zlen);
	int rc;

	if (zlen > 0)
		memcpy(in, z, zlen);
	*out = xmalloc(cap);
	tp_error_init(err);
	rc = tp_inflate(*out, cap, olen, in, zlen, used, err);
	free(in);
	return rc;
}

/* Decodes `z` and checks the result is `want`, and where it ended. */
static void
expect_ok(const char *what, const unsigned char *z, size_t zlen,
	  const unsigned char *want, size_t wlen)
{
	struct tp_error err;
	unsigned char *out, *in;
	size_t olen, used;
	int rc;

	rc = inflate_into(&out, wlen, &olen, z, zlen, &used, &err);
	CHECK(rc == 0, "%s: got %d (%s)", what, rc, err.msg);
	CHECK(olen == wlen, "%s: %zu bytes, want %zu", what, olen, wlen);
	CHECK(wlen == 0 || memcmp(out, want, wlen) == 0, "%s: wrong bytes",
	      what);
	CHECK(used == zlen, "%s: used %zu of %zu", what, used, zlen);
	CHECK(err.code == 0, "%s: error set: %s", what, err.msg);
	free(out);

	/* bytes after the stream are not read: it ends where it ends */
	in = xmalloc(zlen + 7);
	memcpy(in, z, zlen);
	memcpy(in + zlen, "garbage", 7);
	out = xmalloc(wlen);
	rc = tp_inflate(out, wlen, &olen, in, zlen + 7, &used, &err);
	CHECK(rc == 0 && used == zlen,
	      "%s with trailing bytes: rc %d, used %zu of %zu", what, rc, used,
	      zlen);
	free(out);
	free(in);
}

static void
expect_error(const char *what, const unsigned char *z, size_t zlen, size_t cap,
	     const char *msg)
{
	struct tp_error err;
	unsigned char *out;
	size_t olen, used;
	int rc;

	rc = inflate_into(&out, cap, &olen, z, zlen, &used, &err);
	CHECK(rc == TP_EGIT && err.code == TP_EGIT,
	      "%s: got %d, want TP_EGIT ('%s')", what, rc, msg);
	CHECK(strcmp(err.msg, msg) == 0, "%s: message '%s', want '%s'", what,
	      err.msg, msg);
	CHECK(olen <= cap && used <= zlen, "%s: olen %zu, used %zu", what, olen,
	      used);
	free(out);
}

/* ------------------------------------------------------------------ */
/* a bit writer, to build streams the way RFC 1951 lays them out       */
/* ------------------------------------------------------------------ */

struct bw {
	unsigned char buf[8192];
	size_t len;
	uint32_t acc;
	unsigned n;
};

static void
bw_init(struct bw *w, int header)
{
	memset(w, 0, sizeof(*w));
	if (header) {
		w->buf[w->len++] = 0x78;
		w->buf[w->len++] = 0x01;
	}
}

/* `n` bits of `v`, least significant first. */
static void
bw_put(struct bw *w, unsigned v, unsigned n)
{
	while (n-- > 0) {
		w->acc |= (v & 1u) << w->n;
		v >>= 1;
		if (++w->n == 8) {
			CHECK(w->len < sizeof(w->buf), "bit writer full");
			w->buf[w->len++] = (unsigned char)w->acc;
			w->acc = 0;
			w->n = 0;
		}
	}
}

/* A Huffman code: its bits go most significant first. */
static void
bw_code(struct bw *w, unsigned code, unsigned len)
{
	while (len-- > 0)
		bw_put(w, (code >> len) & 1u, 1);
}

static void
bw_align(struct bw *w)
{
	if (w->n > 0)
		bw_put(w, 0, 8 - w->n);
}

/* Ends the stream with the Adler-32 of what it decodes to. */
static void
bw_finish(struct bw *w, const unsigned char *data, size_t len)
{
	uint32_t a = tp_adler32(1, data, len);

	bw_align(w);
	w->buf[w->len++] = (unsigned char)(a >> 24);
	w->buf[w->len++] = (unsigned char)(a >> 16);
	w->buf[w->len++] = (unsigned char)(a >> 8);
	w->buf[w->len++] = (unsigned char)a;
}

/* Canonical codes of lengths lens[0..n) (RFC 1951 3.2.2). */
static void
canonical(const unsigned char *lens, unsigned n, unsigned *codes)
{
	unsigned count[16] = { 0 }, next[16], code = 0, i;

	for (i = 0; i < n; i++)
		count[lens[i]]++;
	count[0] = 0;
	for (i = 1; i < 16; i++) {
		code = (code + count[i - 1]) << 1;
		next[i] = code;
	}
	for (i = 0; i < n; i++)
		codes[i] = lens[i] ? next[lens[i]]++ : 0;
}

/*
 * The fields that open a dynamic block (RFC 1951 3.2.7): BFINAL, BTYPE 2,
 * and the counts of literal/length codes, distance codes and code-length
 * codes (HLIT, HDIST, HCLEN: nlit - 257, ndist - 1, nclen - 4).
 */
static void
bw_dynamic_head(struct bw *w, int last, unsigned nlit, unsigned ndist,
		unsigned nclen)
{
	bw_put(w, last ? 1 : 0, 1);
	bw_put(w, 2, 2);
	bw_put(w, nlit - 257, 5);
	bw_put(w, ndist - 1, 5);
	bw_put(w, nclen - 4, 4);
}

/*
 * A dynamic block header for literal/length lengths lit[0..nlit) and
 * distance lengths dist[0..ndist).  The code-length code gives the 16
 * lengths 0..15 four bits each (a complete code), and every length is
 * written as is, without repeat codes.
 */
static void
bw_dynamic(struct bw *w, int last, const unsigned char *lit, unsigned nlit,
	   const unsigned char *dist, unsigned ndist)
{
	static const unsigned char order[19] = { 16, 17, 18, 0,	 8, 7,	9,
						 6,  10, 5,  11, 4, 12, 3,
						 13, 2,	 14, 1,	 15 };
	unsigned i;

	bw_dynamic_head(w, last, nlit, ndist, 19);
	for (i = 0; i < 19; i++)
		bw_put(w, order[i] >= 16 ? 0 : 4, 3);
	for (i = 0; i < nlit; i++)
		bw_code(w, lit[i], 4);
	for (i = 0; i < ndist; i++)
		bw_code(w, dist[i], 4);
}

/* A symbol of the fixed literal/length code (RFC 1951 3.2.6). */
static void
bw_fixed_lit(struct bw *w, unsigned sym)
{
	if (sym < 144)
		bw_code(w, 0x30 + sym, 8);
	else if (sym < 256)
		bw_code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		bw_code(w, sym - 256, 7);
	else
		bw_code(w, 0xc0 + sym - 280, 8);
}

/* ------------------------------------------------------------------ */
/* tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_adler32(void **state)
{
	(void)state;
	assert_int_equal(tp_adler32(1, NULL, 0), 1);
	assert_int_equal(tp_adler32(1, (const unsigned char *)"Wikipedia", 9),
			 0x11e60398);
	/* in pieces as at once, and past the 5552-byte reduction */
	{
		unsigned char *p = make_random(100000, 7);
		uint32_t a = tp_adler32(1, p, 100000);

		assert_int_equal(tp_adler32(tp_adler32(1, p, 5553), p + 5553,
					    100000 - 5553),
				 a);
		memset(p, 0xff, 100000);
		/* a and b both wrap many times: 0xff * 100000 */
		assert_int_equal(tp_adler32(1, p, 100000), 0x149a302c);
		free(p);
	}
}

static void
test_empty_streams(void **state)
{
	/* zlib's compress("") at level 6: one fixed block with only EOB */
	static const unsigned char fixed[] = { 0x78, 0x9c, 0x03, 0x00,
					       0x00, 0x00, 0x00, 0x01 };
	/* level 0: one empty stored block */
	static const unsigned char stored[] = { 0x78, 0x01, 0x01, 0x00,
						0x00, 0xff, 0xff, 0x00,
						0x00, 0x00, 0x01 };
	struct tp_error err;
	size_t olen = 99, used = 99;
	int rc;

	(void)state;
	expect_ok("empty fixed", fixed, sizeof(fixed), NULL, 0);
	expect_ok("empty stored", stored, sizeof(stored), NULL, 0);
	/* no output buffer at all is fine for an empty stream */
	tp_error_init(&err);
	rc = tp_inflate(NULL, 0, &olen, fixed, sizeof(fixed), &used, &err);
	CHECK(rc == 0 && olen == 0 && used == sizeof(fixed),
	      "NULL output: %d %zu %zu %s", rc, olen, used, err.msg);
	/* ... and a stream with data then reports "full" at once */
	rc = tp_inflate(NULL, 0, &olen,
			(const unsigned char *)"\x78\x9c\xab\x00\x00\x00"
					       "\x79\x00\x79",
			9, &used, &err);
	CHECK(rc == 1 && olen == 0, "NULL output with data: %d %zu", rc, olen);
	expect_error("nothing", fixed, 0, 0, "zlib stream is truncated");
	expect_error("one byte", fixed, 1, 0, "zlib stream is truncated");
}

/* The data sets of the git streams, by name. */
struct dataset {
	const char *name;
	size_t len;
	unsigned char *(*make)(size_t len, uint64_t seed);
};

static const struct dataset sets[] = {
	{ "text", 65536, make_text },	  { "random", 40000, make_random },
	{ "skewed", 50000, make_skewed }, { "short", 6, make_text },
	{ "large", 3 << 20, make_large },
};

#define NSETS (sizeof(sets) / sizeof(sets[0]))

static const int levels[] = { 0, 1, 9 };

/* Block types seen first in each stream: stored, fixed, dynamic. */
static unsigned
first_block_type(const unsigned char *z)
{
	return (z[2] >> 1) & 3;
}

static void
test_git_streams(void **state)
{
	const struct env *e = *state;
	unsigned char *data, *z, *want;
	size_t zlen, wlen, i, l;
	unsigned seen = 0, type;
	char what[64];

	for (i = 0; i < NSETS; i++) {
		data = sets[i].make(sets[i].len, 1000 + i);
		for (l = 0; l < 3; l++) {
			z = git_stream(e, levels[l], data, sets[i].len, &zlen,
				       &want, &wlen);
			snprintf(what, sizeof(what), "%s at level %d",
				 sets[i].name, levels[l]);
			type = first_block_type(z);
			seen |= 1u << type;
			if (levels[l] == 0)
				CHECK(type == 0, "%s: block type %u", what,
				      type);
			expect_ok(what, z, zlen, want, wlen);
			free(z);
			free(want);
		}
		free(data);
	}
	/* the empty blob: "blob 0\0" */
	for (l = 0; l < 3; l++) {
		z = git_stream(e, levels[l], NULL, 0, &zlen, &want, &wlen);
		expect_ok("empty blob", z, zlen, want, wlen);
		free(z);
		free(want);
	}
	/* all three kinds of block were decoded */
	CHECK(seen == 7, "block types seen: %#x", seen);
}

static void
test_out_cap_too_small(void **state)
{
	const struct env *e = *state;
	unsigned char *data, *z, *want, *out;
	size_t zlen, wlen, i, l, c, olen, used, caps[6];
	struct tp_error err;
	int rc;

	for (i = 0; i < NSETS; i++) {
		data = sets[i].make(sets[i].len, 1000 + i);
		for (l = 0; l < 3; l++) {
			z = git_stream(e, levels[l], data, sets[i].len, &zlen,
				       &want, &wlen);
			caps[0] = 0;
			caps[1] = 1;
			caps[2] = 7; /* "blob N" and part of the size */
			caps[3] = wlen / 3;
			caps[4] = wlen - 1;
			caps[5] = wlen; /* exactly enough: done, not full */
			for (c = 0; c < 6; c++) {
				rc = inflate_into(&out, caps[c], &olen, z, zlen,
						  &used, &err);
				if (caps[c] == wlen) {
					CHECK(rc == 0, "%s/%d cap %zu: %d %s",
					      sets[i].name, levels[l], caps[c],
					      rc, err.msg);
				} else {
					CHECK(rc == 1, "%s/%d cap %zu: %d %s",
					      sets[i].name, levels[l], caps[c],
					      rc, err.msg);
					CHECK(err.code == 0, "error set: %s",
					      err.msg);
				}
				CHECK(olen == caps[c], "%s/%d cap %zu: %zu",
				      sets[i].name, levels[l], caps[c], olen);
				CHECK(memcmp(out, want, olen) == 0,
				      "%s/%d cap %zu: wrong prefix",
				      sets[i].name, levels[l], caps[c]);
				CHECK(used <= zlen, "used %zu of %zu", used,
				      zlen);
				free(out);
			}
			free(z);
			free(want);
		}
		free(data);
	}
}

static void
test_truncated(void **state)
{
	const struct env *e = *state;
	unsigned char *data, *z, *want, *out;
	size_t zlen, wlen, i, l, cut, step, olen, used;
	struct tp_error err;
	int rc;

	for (i = 0; i < NSETS; i++) {
		data = sets[i].make(sets[i].len, 1000 + i);
		for (l = 0; l < 3; l++) {
			z = git_stream(e, levels[l], data, sets[i].len, &zlen,
				       &want, &wlen);
			/* every prefix of small streams, ~300 of big ones */
			step = zlen / 300 + 1;
			for (cut = 0; cut < zlen; cut += step) {
				rc = inflate_into(&out, wlen, &olen, z, cut,
						  &used, &err);
				CHECK(rc == TP_EGIT &&
					      strcmp(err.msg, "zlib stream is "
							      "truncated") == 0,
				      "%s/%d cut at %zu of %zu: %d '%s'",
				      sets[i].name, levels[l], cut, zlen, rc,
				      err.msg);
				CHECK(used == cut, "used %zu of %zu", used,
				      cut);
				CHECK(memcmp(out, want, olen) == 0,
				      "%s/%d cut at %zu: wrong partial output",
				      sets[i].name, levels[l], cut);
				free(out);
			}
			/* the last byte of the checksum too */
			expect_error("all but one byte", z, zlen - 1, wlen,
				     "zlib stream is truncated");
			free(z);
			free(want);
		}
		free(data);
	}
}

static void
test_long_codes(void **state)
{
	unsigned char lit[257], dist[1] = { 0 }, want[400];
	unsigned codes[257], i, j, n = 0;
	struct bw w;

	(void)state;
	/*
	 * Lengths 1, 2, ..., 14, 15, 15 (a complete code): 'A' gets one
	 * bit, 'N' fourteen, 'O' and end-of-block fifteen, past the
	 * 10-bit lookup table.
	 */
	memset(lit, 0, sizeof(lit));
	for (i = 0; i < 15; i++)
		lit['A' + i] = (unsigned char)(i + 1);
	lit[256] = 15;
	canonical(lit, 257, codes);
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 257, dist, 1);
	for (j = 0; j < 20; j++)
		for (i = 0; i < 15; i++) {
			bw_code(&w, codes['O' - i], lit['O' - i]);
			want[n++] = (unsigned char)('O' - i);
		}
	bw_code(&w, codes[256], 15);
	bw_finish(&w, want, n);
	expect_ok("codes of 1 to 15 bits", w.buf, w.len, want, n);
	/*
	 * The header takes 3 + 14 + 19 * 3 + 258 * 4 = 1106 bits: a cut
	 * 22 bits later falls inside the second code, 'N' (14 bits), on
	 * the slow path: truncated, not an invalid code.
	 */
	expect_error("cut in a long code", w.buf, 2 + 1128 / 8, n,
		     "zlib stream is truncated");
}

static void
test_lone_one_bit_codes(void **state)
{
	unsigned char lit[258], dist[2], want[16];
	unsigned lc[258], dc[2];
	struct bw w;

	(void)state;
	/* 'a', 'b', end-of-block and length 3 (257), two bits each */
	memset(lit, 0, sizeof(lit));
	lit['a'] = lit['b'] = lit[256] = lit[257] = 2;
	canonical(lit, 258, lc);
	/* one distance code, distance 1, of one bit: incomplete, allowed */
	dist[0] = 1;
	dist[1] = 0;
	canonical(dist, 2, dc);
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 2);
	bw_code(&w, lc['a'], 2);
	bw_code(&w, lc[257], 2);
	bw_code(&w, dc[0], 1);
	bw_code(&w, lc[257], 2); /* overlapping copies: "aaaaaaa" */
	bw_code(&w, dc[0], 1);
	bw_code(&w, lc['b'], 2);
	bw_code(&w, lc[256], 2);
	memcpy(want, "aaaaaaab", 8);
	bw_finish(&w, want, 8);
	expect_ok("lone one-bit distance code", w.buf, w.len, want, 8);

	/* the unused one-bit code is an invalid code */
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 2);
	bw_code(&w, lc['a'], 2);
	bw_code(&w, lc[257], 2);
	bw_put(&w, 1, 1);
	bw_code(&w, lc[256], 2);
	bw_finish(&w, want, 4);
	expect_error("the missing one-bit code", w.buf, w.len, 16,
		     "corrupt zlib data: invalid code");

	/* no distance code at all: fine while no match needs one */
	dist[0] = 0;
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 1);
	bw_code(&w, lc['b'], 2);
	bw_code(&w, lc[256], 2);
	bw_finish(&w, (const unsigned char *)"b", 1);
	expect_ok("no distance codes", w.buf, w.len, (const unsigned char *)"b",
		  1);
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 1);
	bw_code(&w, lc['b'], 2);
	bw_code(&w, lc[257], 2);
	bw_put(&w, 0, 8);
	bw_finish(&w, (const unsigned char *)"bbbb", 4);
	expect_error("a match without distance codes", w.buf, w.len, 16,
		     "corrupt zlib data: invalid code");
}

/* A fixed block with a match of `len` (code `lsym`) at `dist` (code). */
static void
fixed_match_stream(struct bw *w, unsigned lsym, unsigned dsym)
{
	bw_init(w, 1);
	bw_put(w, 1, 1);
	bw_put(w, 1, 2);
	bw_fixed_lit(w, 'x');
	bw_fixed_lit(w, 'y');
	bw_fixed_lit(w, lsym);
	bw_code(w, dsym, 5);
	bw_fixed_lit(w, 256);
	bw_align(w);
}

static void
test_fixed_blocks(void **state)
{
	unsigned char want[300];
	struct bw w;

	(void)state;
	/* every literal and the longest match, distance 2 */
	bw_init(&w, 1);
	bw_put(&w, 1, 1);
	bw_put(&w, 1, 2);
	{
		unsigned i;

		for (i = 0; i < 256; i++) {
			bw_fixed_lit(&w, i);
			want[i] = (unsigned char)i;
		}
	}
	bw_fixed_lit(&w, 285); /* length 258 */
	bw_code(&w, 1, 5); /* distance 2 */
	bw_fixed_lit(&w, 256);
	{
		unsigned char *all = xmalloc(256 + 258);
		unsigned i;

		memcpy(all, want, 256);
		for (i = 0; i < 258; i++)
			all[256 + i] = all[254 + i];
		bw_finish(&w, all, 256 + 258);
		expect_ok("fixed block", w.buf, w.len, all, 256 + 258);
		free(all);
	}

	fixed_match_stream(&w, 257, 2); /* distance 3, after 2 bytes */
	bw_finish(&w, (const unsigned char *)"xy", 2);
	expect_error("distance too far back", w.buf, w.len, 100,
		     "corrupt zlib data: invalid distance too far back");
	fixed_match_stream(&w, 286, 0);
	bw_finish(&w, (const unsigned char *)"xy", 2);
	expect_error("length code 286", w.buf, w.len, 100,
		     "corrupt zlib data: invalid literal/length code");
	fixed_match_stream(&w, 287, 0);
	expect_error("length code 287", w.buf, w.len, 100,
		     "corrupt zlib data: invalid literal/length code");
	fixed_match_stream(&w, 257, 30);
	expect_error("distance code 30", w.buf, w.len, 100,
		     "corrupt zlib data: invalid distance code");
	fixed_match_stream(&w, 257, 31);
	expect_error("distance code 31", w.buf, w.len, 100,
		     "corrupt zlib data: invalid distance code");
	/* distance 2 is fine; the copy overlaps: "xyxyx" */
	fixed_match_stream(&w, 257, 1);
	bw_finish(&w, (const unsigned char *)"xyxyx", 5);
	expect_ok("overlapping match", w.buf, w.len,
		  (const unsigned char *)"xyxyx", 5);
	/* a match cut by out_cap: "full" with the prefix */
	{
		unsigned char out[4];
		struct tp_error err;
		size_t olen, used;
		int rc;

		tp_error_init(&err);
		rc = tp_inflate(out, 4, &olen, w.buf, w.len, &used, &err);
		CHECK(rc == 1 && olen == 4 && memcmp(out, "xyxy", 4) == 0,
		      "cut match: %d %zu", rc, olen);
	}
}

static void
test_stored_blocks(void **state)
{
	struct bw w;
	unsigned char out[8];
	struct tp_error err;
	size_t olen, used;
	int rc;

	(void)state;
	/* two stored blocks, the first not last, then a fixed one */
	bw_init(&w, 1);
	bw_put(&w, 0, 1);
	bw_put(&w, 0, 2);
	bw_align(&w);
	memcpy(w.buf + w.len,
	       "\x03\x00\xfc\xff"
	       "abc",
	       7);
	w.len += 7;
	bw_put(&w, 0, 1);
	bw_put(&w, 0, 2);
	bw_align(&w);
	memcpy(w.buf + w.len, "\x00\x00\xff\xff", 4);
	w.len += 4;
	bw_put(&w, 1, 1);
	bw_put(&w, 1, 2);
	bw_fixed_lit(&w, 'd');
	bw_fixed_lit(&w, 256);
	bw_finish(&w, (const unsigned char *)"abcd", 4);
	expect_ok("stored, empty stored, fixed", w.buf, w.len,
		  (const unsigned char *)"abcd", 4);
	/* a stored block cut by out_cap */
	tp_error_init(&err);
	rc = tp_inflate(out, 2, &olen, w.buf, w.len, &used, &err);
	CHECK(rc == 1 && olen == 2 && memcmp(out, "ab", 2) == 0,
	      "cut stored block: %d %zu", rc, olen);

	bw_init(&w, 1);
	bw_put(&w, 1, 1);
	bw_put(&w, 0, 2);
	bw_align(&w);
	memcpy(w.buf + w.len,
	       "\x03\x00\xfc\xfe"
	       "abc",
	       7);
	w.len += 7;
	bw_finish(&w, (const unsigned char *)"abc", 3);
	expect_error("LEN and NLEN", w.buf, w.len, 10,
		     "corrupt zlib data: stored block length does not match "
		     "its complement");
	/* a stored block longer than the input */
	w.buf[w.len - 4 - 7] = 0x30;
	w.buf[w.len - 4 - 5] = 0xcf;
	w.buf[w.len - 4 - 4] = 0xff;
	expect_error("stored block past the input", w.buf, w.len, 100,
		     "zlib stream is truncated");
}

/* Dynamic headers that are wrong, each built from the raw fields. */
static void
test_bad_dynamic_headers(void **state)
{
	static const unsigned char order[19] = { 16, 17, 18, 0,	 8, 7,	9,
						 6,  10, 5,  11, 4, 12, 3,
						 13, 2,	 14, 1,	 15 };
	unsigned char lit[258], dist[1] = { 1 };
	struct bw w;
	unsigned i;

	(void)state;
	/* HLIT 286 + 1: too many */
	bw_init(&w, 1);
	bw_dynamic_head(&w, 1, 287, 1, 4);
	bw_align(&w);
	expect_error("287 literal codes", w.buf, w.len, 10,
		     "corrupt zlib data: too many length or distance codes");
	/* HDIST 31 */
	bw_init(&w, 1);
	bw_dynamic_head(&w, 1, 257, 31, 4);
	bw_align(&w);
	expect_error("31 distance codes", w.buf, w.len, 10,
		     "corrupt zlib data: too many length or distance codes");

	/* code-length code: three codes of one bit */
	bw_init(&w, 1);
	bw_dynamic_head(&w, 1, 257, 1, 19);
	for (i = 0; i < 19; i++)
		bw_put(&w, order[i] == 0 || order[i] == 1 || order[i] == 2, 3);
	bw_put(&w, 0, 16);
	expect_error("over-subscribed code-length code", w.buf, w.len, 10,
		     "corrupt zlib data: over-subscribed code set");
	/* code-length code: a lone code (incomplete, never allowed here) */
	bw_init(&w, 1);
	bw_dynamic_head(&w, 1, 257, 1, 19);
	for (i = 0; i < 19; i++)
		bw_put(&w, order[i] == 8, 3);
	bw_put(&w, 0, 16);
	expect_error("incomplete code-length code", w.buf, w.len, 10,
		     "corrupt zlib data: incomplete code set");

	/* repeat (16) with nothing before, then too many repeats (18) */
	for (i = 0; i < 2; i++) {
		unsigned k;

		bw_init(&w, 1);
		bw_dynamic_head(&w, 1, 257, 1, 19);
		/*
		 * 0..12, 16, 17 and 18 get four bits each (a complete
		 * code): 0..12 have codes 0..12, then 16 is 13, 17 is 14
		 * and 18 is 15
		 */
		for (k = 0; k < 19; k++)
			bw_put(&w, order[k] >= 13 && order[k] <= 15 ? 0 : 4, 3);
		if (i == 0) {
			bw_code(&w, 13, 4);
			bw_put(&w, 0, 2);
			bw_put(&w, 0, 16);
			expect_error("repeat first", w.buf, w.len, 10,
				     "corrupt zlib data: repeated length "
				     "with no first length");
		} else {
			/* 18 (code 15) twice: 138 + 138 > 258 lengths */
			bw_code(&w, 15, 4);
			bw_put(&w, 127, 7);
			bw_code(&w, 15, 4);
			bw_put(&w, 127, 7);
			bw_put(&w, 0, 16);
			expect_error("too many lengths", w.buf, w.len, 10,
				     "corrupt zlib data: too many code "
				     "lengths");
		}
	}

	/* no end-of-block code */
	memset(lit, 0, sizeof(lit));
	lit['a'] = lit['b'] = 1;
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 1);
	bw_put(&w, 0, 16);
	expect_error("no end-of-block", w.buf, w.len, 10,
		     "corrupt zlib data: missing end-of-block code");
	/* literal/length code over-subscribed, and incomplete */
	lit[256] = 1;
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 1);
	bw_put(&w, 0, 16);
	expect_error("over-subscribed literals", w.buf, w.len, 10,
		     "corrupt zlib data: over-subscribed code set");
	lit['a'] = lit['b'] = 0;
	lit[256] = lit['c'] = 2;
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 258, dist, 1);
	bw_put(&w, 0, 16);
	expect_error("incomplete literals", w.buf, w.len, 10,
		     "corrupt zlib data: incomplete code set");
	/* distance code incomplete with two lengths of 2 */
	{
		unsigned char d2[2] = { 2, 2 };

		lit['a'] = lit['b'] = 2;
		bw_init(&w, 1);
		bw_dynamic(&w, 1, lit, 258, d2, 2);
		bw_put(&w, 0, 16);
		expect_error("incomplete distances", w.buf, w.len, 10,
			     "corrupt zlib data: incomplete code set");
	}
}

static void
test_bad_headers(void **state)
{
	/* a valid stream of "x" (fixed block) to start from */
	unsigned char z[] = { 0x78, 0x9c, 0xab, 0x00, 0x00,
			      0x00, 0x79, 0x00, 0x79 };
	unsigned char b[sizeof(z)];

	(void)state;
	expect_ok("'x'", z, sizeof(z), (const unsigned char *)"x", 1);
	memcpy(b, z, sizeof(z));
	b[0] = 0x77; /* method 7 */
	expect_error("method 7", b, sizeof(b), 10,
		     "corrupt zlib data: unknown compression method");
	b[0] = 0x88; /* window 2^16 */
	b[1] = 0x1c; /* (0x88 << 8 | 0x1c) % 31 == 0 */
	expect_error("window size", b, sizeof(b), 10,
		     "corrupt zlib data: invalid window size");
	memcpy(b, z, sizeof(z));
	b[1] = 0x9d;
	expect_error("header check", b, sizeof(b), 10,
		     "corrupt zlib data: incorrect header check");
	b[1] = 0xbb; /* FDICT with a valid check */
	CHECK(((0x78 << 8) | 0xbb) % 31 == 0, "test data");
	expect_error("preset dictionary", b, sizeof(b), 10,
		     "corrupt zlib data: needs a preset dictionary");
	memcpy(b, z, sizeof(z));
	b[2] = 0x07; /* last block, type 3 */
	expect_error("block type 3", b, sizeof(b), 10,
		     "corrupt zlib data: invalid block type");
	memcpy(b, z, sizeof(z));
	b[sizeof(b) - 1] ^= 1;
	expect_error("checksum", b, sizeof(b), 10,
		     "corrupt zlib data: incorrect data check");
}

/* Damages a copy of z[0..zlen) at random; returns the length to use. */
static size_t
damage(unsigned char *bad, const unsigned char *z, size_t zlen, uint64_t *seed)
{
	size_t k, pos;
	unsigned char t;

	memcpy(bad, z, zlen);
	switch (rnd(seed) % 4) {
	case 0: /* one to three flipped bits */
		for (k = 1 + rnd(seed) % 3; k > 0; k--) {
			pos = rnd(seed) % zlen;
			bad[pos] ^= (unsigned char)(1u << (rnd(seed) % 8));
		}
		return zlen;
	case 1: /* a byte replaced */
		pos = rnd(seed) % zlen;
		bad[pos] = (unsigned char)rnd(seed);
		return zlen;
	case 2: /* cut */ return rnd(seed) % zlen;
	default: /* two bytes swapped */
		pos = rnd(seed) % zlen;
		k = rnd(seed) % zlen;
		t = bad[pos];
		bad[pos] = bad[k];
		bad[k] = t;
		return zlen;
	}
}

/* 1 when `err` holds one of the decoder's two kinds of message. */
static int
inflate_error(int rc, const struct tp_error *err)
{
	return rc == TP_EGIT && err->code == TP_EGIT &&
	       (strncmp(err->msg, "corrupt zlib data: ", 19) == 0 ||
		strcmp(err->msg, "zlib stream is truncated") == 0);
}

/*
 * Damages valid streams many times (fixed seed): flipped bits, replaced
 * bytes, cuts, swapped bytes.  Each result must be an error with one of
 * the two messages, "full", or exactly the original data; ASan (the
 * buffers are exactly as large as given) catches any stray access.
 */
static void
test_damaged_streams(void **state)
{
	const struct env *e = *state;
	unsigned char *data, *z, *want, *bad, *out;
	size_t zlen, wlen, blen, olen, used, i, l;
	struct tp_error err;
	uint64_t seed = 42;
	unsigned errors = 0, oks = 0, fulls = 0;
	int rc, it;

	for (i = 0; i < NSETS; i++) {
		if (sets[i].len > 70000)
			continue;
		data = sets[i].make(sets[i].len / 4 + 1, 2000 + i);
		for (l = 0; l < 3; l++) {
			z = git_stream(e, levels[l], data, sets[i].len / 4 + 1,
				       &zlen, &want, &wlen);
			bad = xmalloc(zlen);
			for (it = 0; it < 700; it++) {
				blen = damage(bad, z, zlen, &seed);
				rc = inflate_into(&out, wlen, &olen, bad, blen,
						  &used, &err);
				CHECK(rc == 1 ||
					      (rc == 0 && olen == wlen &&
					       memcmp(out, want, wlen) == 0) ||
					      inflate_error(rc, &err),
				      "%s/%d #%d: %d '%s'", sets[i].name,
				      levels[l], it, rc, err.msg);
				CHECK(olen <= wlen && used <= blen,
				      "olen %zu, used %zu", olen, used);
				oks += rc == 0;
				fulls += rc == 1;
				errors += rc < 0;
				free(out);
			}
			free(bad);
			free(z);
			free(want);
		}
		free(data);
	}
	/* the damage was seen: most runs fail */
	CHECK(errors > 10 * (oks + fulls), "%u errors, %u ok, %u full", errors,
	      oks, fulls);
}

/* The same for streams built here, which reach the long-code path. */
static void
test_damaged_long_codes(void **state)
{
	unsigned char lit[257], dist[1] = { 0 }, want[300], bad[8192];
	unsigned codes[257], i, n = 0;
	size_t olen, used, pos, blen;
	unsigned char *out;
	struct tp_error err;
	uint64_t seed = 7;
	struct bw w;
	int rc, it;

	(void)state;
	memset(lit, 0, sizeof(lit));
	for (i = 0; i < 15; i++)
		lit['A' + i] = (unsigned char)(i + 1);
	lit[256] = 15;
	canonical(lit, 257, codes);
	bw_init(&w, 1);
	bw_dynamic(&w, 1, lit, 257, dist, 1);
	for (i = 0; i < 300; i++) {
		want[n] = (unsigned char)('A' + rnd(&seed) % 15);
		bw_code(&w, codes[want[n]], lit[want[n]]);
		n++;
	}
	bw_code(&w, codes[256], 15);
	bw_finish(&w, want, n);
	expect_ok("300 symbols", w.buf, w.len, want, n);
	for (it = 0; it < 3000; it++) {
		memcpy(bad, w.buf, w.len);
		blen = w.len;
		pos = rnd(&seed) % w.len;
		bad[pos] ^= (unsigned char)(1u << (rnd(&seed) % 8));
		if (it % 5 == 0)
			blen = rnd(&seed) % w.len;
		rc = inflate_into(&out, n, &olen, bad, blen, &used, &err);
		CHECK(inflate_error(rc, &err) || rc == 1 ||
			      (rc == 0 && olen == n &&
			       memcmp(out, want, n) == 0),
		      "#%d: %d '%s'", it, rc, err.msg);
		free(out);
	}
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct tp_buf cmd = TP_BUF_INIT;
	struct env e;
	int rc;

	snprintf(e.root, sizeof(e.root), "/tmp/tp-inflate-XXXXXX");
	if (mkdtemp(e.root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("HOME", e.root, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_CEILING_DIRECTORIES", e.root, 1);
	setenv("LC_ALL", "C", 1);
	setenv("TZ", "UTC", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_ALTERNATE_OBJECT_DIRECTORIES");
	tp_buf_printf(&cmd, "cd '%s' && git init -q repo", e.root);
	if (system(cmd.ptr) != 0) {
		fprintf(stderr, "cannot run: %s\n", cmd.ptr);
		return 1;
	}

#define ADD(fn) tlist_add(&l, #fn, fn, &e)
	ADD(test_adler32);
	ADD(test_empty_streams);
	ADD(test_git_streams);
	ADD(test_out_cap_too_small);
	ADD(test_truncated);
	ADD(test_long_codes);
	ADD(test_lone_one_bit_codes);
	ADD(test_fixed_blocks);
	ADD(test_stored_blocks);
	ADD(test_bad_dynamic_headers);
	ADD(test_bad_headers);
	ADD(test_damaged_streams);
	ADD(test_damaged_long_codes);
#undef ADD
	rc = tlist_run(&l, "inflate");

	tp_buf_clear(&cmd);
	tp_buf_printf(&cmd, "rm -rf '%s'", e.root);
	if (system(cmd.ptr) != 0)
		rc = 1;
	tp_buf_release(&cmd);
	return rc;
}

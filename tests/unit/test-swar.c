/*
 * test-swar.c: the word tests of src/lib/swar.h against the same tests
 * made a byte at a time: every byte value at every place of a word among
 * bytes that may carry or borrow into it, and many generated words.  No
 * test vector file covers them, so there are no vector rows.
 */
#include <stdint.h>

#include "tsv.h"

#include "swar.h"

/* The bytes a carry or a borrow starts from, and some plain ones. */
static const unsigned char edges[] = { 0x00, 0x01, 0x09, 0x0a, 0x1f, 0x20,
				       0x23, 0x24, 0x2d, 0x2f, 0x30, 0x39,
				       0x3a, 0x41, 0x5f, 0x60, 0x7a, 0x7e,
				       0x7f, 0x80, 0x81, 0xc3, 0xfe, 0xff };

/* The arguments the scans pass, and their ends. */
static const unsigned char eqs[] = { 0x00, '\n', '"',  '/',  ':',
				     '@',  '\\', 0x7f, 0x80, 0xff };
static const unsigned char belows[] = { 0x01, 0x20, '$', '0', 0x7f, 0x80 };
static const unsigned char ranges[][2] = {
	{ '-', '.' },	{ '0', '9' },	{ 'a', 'z' },	{ '_', '_' },
	{ 0x00, 0x7f }, { 0x00, 0x00 }, { 0x7f, 0x7f },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static unsigned char
byte_at(uint64_t w, unsigned i)
{
	return (unsigned char)(w >> (8 * i));
}

/* The mask of the bytes of w for which `pick` holds (high bit of each). */
static uint64_t
want_mask(uint64_t w, int (*pick)(unsigned char, unsigned, unsigned),
	  unsigned a, unsigned b)
{
	uint64_t m = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		if (pick(byte_at(w, i), a, b))
			m |= (uint64_t)0x80 << (8 * i);
	return m;
}

static int
pick_eq(unsigned char x, unsigned c, unsigned unused)
{
	(void)unused;
	return x == c;
}

static int
pick_below(unsigned char x, unsigned c, unsigned unused)
{
	(void)unused;
	return x < c;
}

static int
pick_in(unsigned char x, unsigned lo, unsigned hi)
{
	return x >= lo && x <= hi;
}

static int
pick_zero(unsigned char x, unsigned unused1, unsigned unused2)
{
	(void)unused1;
	(void)unused2;
	return x == 0;
}

static int
pick_unprintable(unsigned char x, unsigned unused1, unsigned unused2)
{
	(void)unused1;
	(void)unused2;
	return x < 0x20 || x > 0x7e;
}

/* An exact test's marks `got` of word w are the bytewise ones, `want`. */
static void
check_marks(const char *test, unsigned lo, unsigned hi, uint64_t w,
	    uint64_t got, uint64_t want)
{
	CHECK(got == want, "%s [%#x, %#x] of %016llx: %016llx, not %016llx",
	      test, lo, hi, (unsigned long long)w, (unsigned long long)got,
	      (unsigned long long)want);
}

/* Every test on one word agrees with the bytewise one. */
static void
check_word(uint64_t w)
{
	size_t k;

	for (k = 0; k < N(eqs); k++)
		check_marks("eq", eqs[k], eqs[k], w, tp_swar_eq(w, eqs[k]),
			    want_mask(w, pick_eq, eqs[k], 0));
	for (k = 0; k < N(belows); k++)
		check_marks("below", belows[k], belows[k], w,
			    tp_swar_below(w, belows[k]),
			    want_mask(w, pick_below, belows[k], 0));
	/* exact when no byte is above 0x7F (a byte above carries) */
	for (k = 0; !(w & TP_SWAR_HIGHS) && k < N(ranges); k++)
		check_marks("in", ranges[k][0], ranges[k][1], w,
			    tp_swar_in(w, ranges[k][0], ranges[k][1]),
			    want_mask(w, pick_in, ranges[k][0], ranges[k][1]));
	/* these say only whether there is one */
	CHECK(!tp_swar_zero(w) == !want_mask(w, pick_zero, 0, 0),
	      "zero of %016llx: wrong", (unsigned long long)w);
	CHECK(!tp_swar_unprintable(w) == !want_mask(w, pick_unprintable, 0, 0),
	      "unprintable of %016llx: wrong", (unsigned long long)w);
}

static uint64_t
fill(unsigned char f)
{
	return TP_SWAR_ONES * f;
}

/* Every byte value at every place, among each kind of neighbour. */
static void
test_every_byte_every_place(void **state)
{
	uint64_t w;
	unsigned v, i;
	size_t f, g;

	(void)state;
	for (f = 0; f < N(edges); f++)
		for (i = 0; i < 8; i++)
			for (v = 0; v < 256; v++) {
				w = fill(edges[f]) &
				    ~((uint64_t)0xff << (8 * i));
				w |= (uint64_t)v << (8 * i);
				check_word(w);
			}
	/* two edge bytes side by side, at every place: carries between */
	for (f = 0; f < N(edges); f++)
		for (g = 0; g < N(edges); g++)
			for (i = 0; i < 7; i++) {
				w = fill(0x61) & ~((uint64_t)0xffff << (8 * i));
				w |= (uint64_t)edges[f] << (8 * i);
				w |= (uint64_t)edges[g] << (8 * (i + 1));
				check_word(w);
			}
}

/* Words of bytes drawn mostly from the edges (a seeded generator). */
static void
test_generated_words(void **state)
{
	uint64_t x = UINT64_C(0x9e3779b97f4a7c15), w;
	unsigned i, n;

	(void)state;
	for (n = 0; n < 200000; n++) {
		w = 0;
		for (i = 0; i < 8; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w |= (uint64_t)((x >> 8) % 4
						? edges[(x >> 16) % N(edges)]
						: (unsigned char)(x >> 24))
			     << (8 * i);
		}
		check_word(w);
	}
}

int
main(void)
{
	struct tlist l = TLIST_INIT;

	tlist_unit(&l, test_every_byte_every_place);
	tlist_unit(&l, test_generated_words);
	return tlist_run(&l, "swar");
}

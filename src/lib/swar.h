/*
 * swar.h: tests of the eight bytes of a word at once ("SIMD within a
 * register"), for the scans that run on every tag of a long list.  A word
 * is eight bytes of text loaded with memcpy; the tests do not care which
 * byte comes first.  Each gives the high bit (0x80) of the bytes it
 * finds.  The exact ones mark those bytes and no others; the others only
 * say whether there is one (0 or not), which is all their callers ask:
 * a borrow or a carry from a byte they find may mark the byte next to it.
 */
#ifndef TP_SWAR_H
#define TP_SWAR_H

#include <stdint.h>

#define TP_SWAR_ONES UINT64_C(0x0101010101010101)
#define TP_SWAR_HIGHS UINT64_C(0x8080808080808080)

/* Not 0 when a byte of `w` is 0 (not exact). */
static inline uint64_t
tp_swar_zero(uint64_t w)
{
	return (w - TP_SWAR_ONES) & ~w & TP_SWAR_HIGHS;
}

/*
 * Not 0 when a byte of `w` is not printable ASCII: below 0x20, 0x7F or
 * above (not exact).  w - 0x20 borrows in a byte below 0x20, w + 1 sets
 * the high bit of 0x7F, and w has it set above 0x7F.
 */
static inline uint64_t
tp_swar_unprintable(uint64_t w)
{
	return (((w - TP_SWAR_ONES * 0x20) & ~w) | (w + TP_SWAR_ONES) | w) &
	       TP_SWAR_HIGHS;
}

/*
 * The bytes of `w` equal to `c`, exactly: the low seven bits of a byte of
 * x plus 0x7F reach the high bit unless they are all 0, without a carry
 * into the next byte.
 */
static inline uint64_t
tp_swar_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (TP_SWAR_ONES * c);

	return ~(((x & ~TP_SWAR_HIGHS) + ~TP_SWAR_HIGHS) | x) & TP_SWAR_HIGHS;
}

/* The bytes of `w` below `c` (c <= 0x80), exactly, in the same way. */
static inline uint64_t
tp_swar_below(uint64_t w, unsigned char c)
{
	return ~(((w & ~TP_SWAR_HIGHS) +
		  TP_SWAR_ONES * (unsigned char)(0x80 - c)) |
		 w) &
	       TP_SWAR_HIGHS;
}

/*
 * The bytes of `w` in [lo, hi] (lo <= hi <= 0x7F), exactly when every byte
 * of `w` is below 0x80 (a caller rules out the others apart: a byte above
 * carries into the next one): x + 0x80 - lo has its high bit set when
 * x >= lo, and x + 0x7F - hi when x > hi; for x below 0x80 neither sum
 * passes 0xFF, so no carry reaches the next byte.
 */
static inline uint64_t
tp_swar_in(uint64_t w, unsigned lo, unsigned hi)
{
	return (w + TP_SWAR_ONES * (0x80 - lo)) &
	       ~(w + TP_SWAR_ONES * (0x7F - hi)) & TP_SWAR_HIGHS;
}

#endif

/*
 * inflate.c: zlib stream decoder, written from RFC 1950 and RFC 1951.
 *
 * Bits are taken from a 64-bit accumulator filled a byte at a time (eight
 * at a time when eight are left), least significant bit first as deflate
 * packs them.  Huffman codes are decoded with one table indexed by the
 * next FAST_BITS bits; the rare longer codes fall back to a canonical
 * decode that walks the code lengths one bit at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "inflate.h"

#define MAX_BITS 15
#define FAST_BITS 10
#define FAST_SIZE (1u << FAST_BITS)
#define MAX_LIT 288
#define MAX_DIST 32

/* Status of the decoding steps, before it becomes the API's code. */
enum { ST_DONE = 0, ST_FULL = 1, ST_TRUNC = -1, ST_CORRUPT = -2 };

/* What a code set is for: code lengths must form a complete code. */
enum { KIND_CODELEN, KIND_LIT, KIND_DIST };

/*
 * A canonical Huffman code.  fast[] holds, for each value of the next
 * `bits` input bits, (length << 9) | symbol of the code they start with,
 * or 0 when that code is longer (or does not exist).  `bits` is the
 * longest code's length, at most FAST_BITS: most streams git reads are a
 * few hundred bytes, so building small tables matters as much as decoding
 * fast.  count[] and sym[] (symbols sorted by code length, then value)
 * drive the slow path.
 */
struct huff {
	unsigned bits; /* fast[] has 1 << bits entries */
	uint16_t fast[FAST_SIZE];
	uint16_t count[MAX_BITS + 1];
	uint16_t sym[MAX_LIT];
};

struct state {
	const unsigned char *in;
	size_t in_len;
	size_t pos; /* next byte of `in` to load */
	uint64_t bits; /* loaded bits, next one in bit 0 */
	unsigned nbits; /* how many of them are valid */
	unsigned char *out;
	size_t cap;
	size_t len;
	const char *why; /* the corruption, for the message */
	struct tp_inflater *z; /* the fixed code's tables */
	struct huff lit;
	struct huff dist;
};

struct tp_inflater {
	int have_fixed;
	struct huff fixed_lit;
	struct huff fixed_dist;
};

static const uint16_t len_base[29] = { 3,   4,	 5,   6,   7,  8,  9,  10,
				       11,  13,	 15,  17,  19, 23, 27, 31,
				       35,  43,	 51,  59,  67, 83, 99, 115,
				       131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
				       1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
				       4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1,    2,    3,	  4,	 5,	7,
					9,    13,   17,	  25,	 33,	49,
					65,   97,   129,  193,	 257,	385,
					513,  769,  1025, 1537,	 2049,	3073,
					4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0,  0,  1,  1,  2,  2,  3,  3,
					4, 4, 5,  5,  6,  6,  7,  7,  8,  8,
					9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
/* The order in which a dynamic block lists the code-length code. */
static const uint8_t clen_order[19] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					11, 4,	12, 3, 13, 2, 14, 1, 15 };

uint32_t
tp_adler32(uint32_t adler, const unsigned char *p, size_t len)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;
	size_t n;

	/* 5552 is the most bytes before b can overflow 32 bits */
	while (len > 0) {
		n = len < 5552 ? len : 5552;
		len -= n;
		while (n >= 4) {
			a += p[0];
			b += a;
			a += p[1];
			b += a;
			a += p[2];
			b += a;
			a += p[3];
			b += a;
			p += 4;
			n -= 4;
		}
		while (n-- > 0) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return (b << 16) | a;
}

static int
corrupt(struct state *s, const char *why)
{
	s->why = why;
	return ST_CORRUPT;
}

static void
refill(struct state *s)
{
	const unsigned char *p;
	uint64_t v;

	if (s->in_len - s->pos >= 8) {
		/*
		 * Loads eight bytes but counts only the whole ones that fit;
		 * the bits of a partly loaded byte are loaded again, equal,
		 * by the next refill.
		 */
		p = s->in + s->pos;
		v = (uint64_t)p[0] | (uint64_t)p[1] << 8 |
		    (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
		    (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
		    (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
		s->bits |= v << s->nbits;
		s->pos += (63 - s->nbits) >> 3;
		s->nbits |= 56;
		return;
	}
	while (s->nbits <= 56 && s->pos < s->in_len) {
		s->bits |= (uint64_t)s->in[s->pos++] << s->nbits;
		s->nbits += 8;
	}
}

/* Takes `n` (at most 32) bits into *v; ST_TRUNC when the input is out. */
static int
take(struct state *s, unsigned n, unsigned *v)
{
	if (s->nbits < n) {
		refill(s);
		if (s->nbits < n)
			return ST_TRUNC;
	}
	*v = (unsigned)(s->bits & ((((uint64_t)1) << n) - 1));
	s->bits >>= n;
	s->nbits -= n;
	return ST_DONE;
}

/* Drops the bits up to the next byte and gives back the loaded bytes. */
static void
align(struct state *s)
{
	s->bits >>= s->nbits & 7;
	s->nbits -= s->nbits & 7;
	s->pos -= s->nbits / 8;
	s->bits = 0;
	s->nbits = 0;
}

static unsigned
reverse(unsigned code, unsigned len)
{
	code = ((code & 0x5555u) << 1) | ((code >> 1) & 0x5555u);
	code = ((code & 0x3333u) << 2) | ((code >> 2) & 0x3333u);
	code = ((code & 0x0f0fu) << 4) | ((code >> 4) & 0x0f0fu);
	code = ((code & 0x00ffu) << 8) | ((code >> 8) & 0x00ffu);
	return code >> (16 - len);
}

/* Builds the code of lengths lens[0..n); 0 or ST_CORRUPT. */
static int
build(struct state *s, struct huff *h, const uint8_t *lens, unsigned n,
      int kind)
{
	unsigned offs[MAX_BITS + 2], next[MAX_BITS + 1];
	uint16_t hist[4][MAX_BITS + 1];
	unsigned sym, len, code, max = 0, i, step, size;
	int left = 1;

	/*
	 * Four histograms: with one, the many zero lengths would each wait
	 * for the previous increment of the same counter.
	 */
	memset(hist, 0, sizeof(hist));
	for (sym = 0; sym + 4 <= n; sym += 4) {
		hist[0][lens[sym]]++;
		hist[1][lens[sym + 1]]++;
		hist[2][lens[sym + 2]]++;
		hist[3][lens[sym + 3]]++;
	}
	for (; sym < n; sym++)
		hist[0][lens[sym]]++;
	h->count[0] = 0;
	for (len = 1; len <= MAX_BITS; len++)
		h->count[len] = (uint16_t)(hist[0][len] + hist[1][len] +
					   hist[2][len] + hist[3][len]);
	for (len = 1; len <= MAX_BITS; len++) {
		left <<= 1;
		left -= h->count[len];
		if (left < 0)
			return corrupt(s, "over-subscribed code set");
		if (h->count[len] != 0)
			max = len;
	}
	/* zlib accepts a lone one-bit code; so does git's data */
	if (left > 0 && (kind == KIND_CODELEN || max > 1))
		return corrupt(s, "incomplete code set");

	offs[1] = 0;
	for (len = 1; len <= MAX_BITS; len++)
		offs[len + 1] = offs[len] + h->count[len];
	code = 0;
	for (len = 1; len <= MAX_BITS; len++) {
		code = (code + h->count[len - 1]) << 1;
		next[len] = code;
	}
	h->bits = max == 0 ? 1 : max < FAST_BITS ? max : FAST_BITS;
	size = 1u << h->bits;
	/* a complete code fills every entry below */
	if (left > 0)
		memset(h->fast, 0, size * sizeof(h->fast[0]));
	for (sym = 0; sym < n; sym++) {
		len = lens[sym];
		if (len == 0)
			continue;
		h->sym[offs[len]++] = (uint16_t)sym;
		code = next[len]++;
		if (len > h->bits) {
			/* the slow path's mark, on the code's first bits */
			h->fast[reverse(code >> (len - h->bits), h->bits)] = 0;
			continue;
		}
		step = 1u << len;
		for (i = reverse(code, len); i < size; i += step)
			h->fast[i] = (uint16_t)(len << 9 | sym);
	}
	return ST_DONE;
}

/* Canonical decoding one bit at a time, for codes past the table. */
static int
decode_slow(struct state *s, const struct huff *h)
{
	uint64_t b = s->bits;
	int code = 0, first = 0, index = 0, count;
	unsigned len;

	for (len = 1; len <= MAX_BITS; len++) {
		if (len > s->nbits)
			return ST_TRUNC;
		code |= (int)(b & 1);
		b >>= 1;
		count = h->count[len];
		if (code - first < count) {
			s->bits >>= len;
			s->nbits -= len;
			return h->sym[index + code - first];
		}
		index += count;
		first += count;
		first <<= 1;
		code <<= 1;
	}
	return corrupt(s, "invalid code");
}

/* Next symbol of code `h`, or a negative status. */
static int
decode(struct state *s, const struct huff *h)
{
	unsigned e, len;

	if (s->nbits < MAX_BITS)
		refill(s);
	e = h->fast[s->bits & ((1u << h->bits) - 1)];
	len = e >> 9;
	if (len == 0)
		return decode_slow(s, h);
	if (len > s->nbits)
		return ST_TRUNC;
	s->bits >>= len;
	s->nbits -= len;
	return (int)(e & 0x1ff);
}

static int
stored(struct state *s)
{
	size_t n, room, avail;
	const unsigned char *p;

	align(s);
	if (s->in_len - s->pos < 4)
		return ST_TRUNC;
	p = s->in + s->pos;
	n = (size_t)p[0] | (size_t)p[1] << 8;
	if ((p[2] ^ p[0]) != 0xff || (p[3] ^ p[1]) != 0xff)
		return corrupt(s, "stored block length does not match "
				  "its complement");
	s->pos += 4;
	room = s->cap - s->len;
	avail = s->in_len - s->pos;
	if (n > room && room <= avail) {
		if (room > 0)
			memcpy(s->out + s->len, s->in + s->pos, room);
		s->len += room;
		s->pos += room;
		return ST_FULL;
	}
	if (n > avail)
		return ST_TRUNC;
	if (n > 0)
		memcpy(s->out + s->len, s->in + s->pos, n);
	s->len += n;
	s->pos += n;
	return ST_DONE;
}

/* Copies a match of `len` bytes from `dist` back; ST_FULL when cut. */
static int
copy_match(struct state *s, size_t len, size_t dist)
{
	unsigned char *d = s->out + s->len;
	const unsigned char *from = d - dist;
	size_t n = len, i;

	if (s->cap - s->len < n)
		n = s->cap - s->len;
	if (dist >= n)
		memcpy(d, from, n);
	else if (dist == 1)
		memset(d, *from, n);
	else
		for (i = 0; i < n; i++)
			d[i] = from[i];
	s->len += n;
	return n < len ? ST_FULL : ST_DONE;
}

static int
codes(struct state *s, const struct huff *lit, const struct huff *dist)
{
	int sym, rc;
	unsigned extra;
	size_t len, d;

	for (;;) {
		if (s->nbits < 48)
			refill(s);
		sym = decode(s, lit);
		if (sym < 0)
			return sym;
		if (sym < 256) {
			if (s->len == s->cap)
				return ST_FULL;
			s->out[s->len++] = (unsigned char)sym;
			continue;
		}
		if (sym == 256)
			return ST_DONE;
		sym -= 257;
		if (sym >= 29)
			return corrupt(s, "invalid literal/length code");
		rc = take(s, len_extra[sym], &extra);
		if (rc != 0)
			return rc;
		len = len_base[sym] + extra;
		sym = decode(s, dist);
		if (sym < 0)
			return sym;
		if (sym >= 30)
			return corrupt(s, "invalid distance code");
		rc = take(s, dist_extra[sym], &extra);
		if (rc != 0)
			return rc;
		d = dist_base[sym] + extra;
		if (d > s->len)
			return corrupt(s, "invalid distance too far back");
		rc = copy_match(s, len, d);
		if (rc != 0)
			return rc;
	}
}

static int
fixed(struct state *s)
{
	uint8_t lens[MAX_LIT];
	unsigned i;
	int rc;

	if (!s->z->have_fixed) {
		for (i = 0; i < 144; i++)
			lens[i] = 8;
		for (; i < 256; i++)
			lens[i] = 9;
		for (; i < 280; i++)
			lens[i] = 7;
		for (; i < MAX_LIT; i++)
			lens[i] = 8;
		rc = build(s, &s->z->fixed_lit, lens, MAX_LIT, KIND_LIT);
		if (rc != 0)
			return rc;
		for (i = 0; i < MAX_DIST; i++)
			lens[i] = 5;
		rc = build(s, &s->z->fixed_dist, lens, MAX_DIST, KIND_DIST);
		if (rc != 0)
			return rc;
		s->z->have_fixed = 1;
	}
	return codes(s, &s->z->fixed_lit, &s->z->fixed_dist);
}

static int
dynamic(struct state *s)
{
	uint8_t lens[MAX_LIT + MAX_DIST], clens[19];
	unsigned nlit, ndist, nclen, i, v, rep, n;
	int rc, sym;

	if ((rc = take(s, 5, &nlit)) != 0 || (rc = take(s, 5, &ndist)) != 0 ||
	    (rc = take(s, 4, &nclen)) != 0)
		return rc;
	nlit += 257;
	ndist += 1;
	nclen += 4;
	if (nlit > 286 || ndist > 30)
		return corrupt(s, "too many length or distance codes");
	memset(clens, 0, sizeof(clens));
	for (i = 0; i < nclen; i++) {
		if ((rc = take(s, 3, &v)) != 0)
			return rc;
		clens[clen_order[i]] = (uint8_t)v;
	}
	/* s->lit holds the code-length code until the lengths are read */
	rc = build(s, &s->lit, clens, 19, KIND_CODELEN);
	if (rc != 0)
		return rc;
	n = nlit + ndist;
	i = 0;
	while (i < n) {
		sym = decode(s, &s->lit);
		if (sym < 0)
			return sym;
		if (sym < 16) {
			lens[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				return corrupt(s, "repeated length with no "
						  "first length");
			if ((rc = take(s, 2, &rep)) != 0)
				return rc;
			rep += 3;
			v = lens[i - 1];
		} else if (sym == 17) {
			if ((rc = take(s, 3, &rep)) != 0)
				return rc;
			rep += 3;
			v = 0;
		} else {
			if ((rc = take(s, 7, &rep)) != 0)
				return rc;
			rep += 11;
			v = 0;
		}
		if (rep > n - i)
			return corrupt(s, "too many code lengths");
		while (rep-- > 0)
			lens[i++] = (uint8_t)v;
	}
	if (lens[256] == 0)
		return corrupt(s, "missing end-of-block code");
	rc = build(s, &s->lit, lens, nlit, KIND_LIT);
	if (rc != 0)
		return rc;
	rc = build(s, &s->dist, lens + nlit, ndist, KIND_DIST);
	if (rc != 0)
		return rc;
	return codes(s, &s->lit, &s->dist);
}

static int
run(struct state *s)
{
	unsigned last, type;
	int rc;

	if (s->in_len < 2)
		return ST_TRUNC;
	if ((s->in[0] & 0x0f) != 8)
		return corrupt(s, "unknown compression method");
	if ((s->in[0] >> 4) > 7)
		return corrupt(s, "invalid window size");
	if (((unsigned)s->in[0] << 8 | s->in[1]) % 31 != 0)
		return corrupt(s, "incorrect header check");
	if (s->in[1] & 0x20)
		return corrupt(s, "needs a preset dictionary");
	s->pos = 2;
	do {
		if ((rc = take(s, 1, &last)) != 0 ||
		    (rc = take(s, 2, &type)) != 0)
			return rc;
		switch (type) {
		case 0: rc = stored(s); break;
		case 1: rc = fixed(s); break;
		case 2: rc = dynamic(s); break;
		default: rc = corrupt(s, "invalid block type"); break;
		}
		if (rc != 0)
			return rc;
	} while (!last);
	align(s);
	if (s->in_len - s->pos < 4)
		return ST_TRUNC;
	if (tp_adler32(1, s->out, s->len) !=
	    ((uint32_t)s->in[s->pos] << 24 | (uint32_t)s->in[s->pos + 1] << 16 |
	     (uint32_t)s->in[s->pos + 2] << 8 | s->in[s->pos + 3]))
		return corrupt(s, "incorrect data check");
	s->pos += 4;
	return ST_DONE;
}

struct tp_inflater *
tp_inflater_new(void)
{
	struct tp_inflater *z = malloc(sizeof(*z));

	if (z != NULL)
		z->have_fixed = 0;
	return z;
}

void
tp_inflater_free(struct tp_inflater *z)
{
	free(z);
}

int
tp_inflate(unsigned char *out, size_t out_cap, size_t *out_len,
	   const unsigned char *in, size_t in_len, size_t *in_used,
	   struct tp_error *err)
{
	struct tp_inflater z;

	z.have_fixed = 0;
	return tp_inflate_with(&z, out, out_cap, out_len, in, in_len, in_used,
			       err);
}

int
tp_inflate_with(struct tp_inflater *z, unsigned char *out, size_t out_cap,
		size_t *out_len, const unsigned char *in, size_t in_len,
		size_t *in_used, struct tp_error *err)
{
	struct state st, *s = &st;
	int rc;

	s->in = in;
	s->in_len = in_len;
	s->pos = 0;
	s->bits = 0;
	s->nbits = 0;
	s->out = out;
	s->cap = out == NULL ? 0 : out_cap;
	s->len = 0;
	s->why = NULL;
	s->z = z;
	rc = run(s);
	*out_len = s->len;
	switch (rc) {
	case ST_DONE: *in_used = s->pos; return 0;
	case ST_FULL: *in_used = s->pos - s->nbits / 8; return 1;
	case ST_TRUNC:
		*in_used = in_len;
		return tp_error_set(err, TP_EGIT, "zlib stream is truncated");
	default:
		*in_used = s->pos - s->nbits / 8;
		if (*in_used > in_len)
			*in_used = in_len;
		return tp_error_set(err, TP_EGIT, "corrupt zlib data: %s",
				    s->why);
	}
}

/*
 * inflate.h: a decoder for zlib streams (RFC 1950 around RFC 1951 deflate
 * data), written for the object reader (odb.c) so that the core does not
 * need zlib.  It decodes a whole stream held in memory into a buffer of
 * known size: git always knows an object's size before inflating it.
 */
#ifndef TP_INFLATE_H
#define TP_INFLATE_H

#include "tagpolicy.h"

/*
 * Decodes the zlib stream (RFC 1950 header and Adler-32 trailer around
 * RFC 1951 deflate data) at in[0..in_len) into out[0..out_cap).
 * Sets *out_len to the bytes written and *in_used to the bytes of `in`
 * consumed.  Returns 0 when the stream ended and its checksum matched;
 * 1 when `out` filled up before the end (what was decoded so far is in
 * out; used to read just the header of an object); TP_EGIT (-7) with a
 * message ("corrupt zlib data: ...", "zlib stream is truncated") when the
 * data is not a valid stream, asks for more output after out_cap in a way
 * that can't fit, or `in` ends before the stream does.  Never reads
 * outside in[], never writes outside out[], never loops forever.
 *
 * Details: bytes after the stream are not looked at (*in_used says where
 * it ended, so a caller can read streams packed one after the other).  On
 * every return *out_len and *in_used say how far decoding got; when the
 * input ran out, *in_used is in_len, so a caller that passed only part of
 * its data can tell "give me more" from corruption elsewhere.  "Full" is
 * returned only when a byte has to be written at out[out_cap]: a stream
 * that decodes to exactly out_cap bytes returns 0.  A preset dictionary
 * (FDICT) is an error.  `out` may be NULL when out_cap is 0.  Incomplete
 * code sets are rejected, except a literal/length or distance code with a
 * single code of one bit (as zlib allows); a distance code without codes
 * is accepted as long as the block uses no distance.
 */
int tp_inflate(unsigned char *out, size_t out_cap, size_t *out_len,
	       const unsigned char *in, size_t in_len, size_t *in_used,
	       struct tp_error *err);

/*
 * An inflater keeps, from one stream to the next, the tables of the
 * fixed Huffman code that most of git's small objects use (building them
 * costs as much as decoding a commit).  tp_inflater_new() returns NULL
 * when memory runs out; tp_inflate_with() is tp_inflate() with its tables.
 * One inflater is not for two threads at once.
 */
struct tp_inflater;
struct tp_inflater *tp_inflater_new(void);
void tp_inflater_free(struct tp_inflater *z);
int tp_inflate_with(struct tp_inflater *z, unsigned char *out,
		    size_t out_cap, size_t *out_len, const unsigned char *in,
		    size_t in_len, size_t *in_used, struct tp_error *err);

/* The Adler-32 of `len` bytes, continuing from `adler` (start with 1). */
uint32_t tp_adler32(uint32_t adler, const unsigned char *p, size_t len);

#endif

/*
 * utf8.h: UTF-8 well-formedness, decoding and encoding, shared by every
 * module that reads or describes text (JSON, input lists, versions, tags).
 */
#ifndef TP_UTF8_H
#define TP_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the well-formed sequence at `s` (`n` > 0 bytes available),
 * with its code point in *cp (may be NULL); or 0 with *bad (may be NULL)
 * set to the length of the maximal ill-formed subpart, at least 1.  The
 * Unicode Standard's table of well-formed byte sequences (3.9, table 3-7)
 * decides: no overlong forms, no surrogates, nothing past U+10FFFF.
 */
size_t tp_utf8_seq(const unsigned char *s, size_t n, size_t *bad,
		   uint32_t *cp);

/* 1 when all `len` bytes of `s` are well-formed UTF-8. */
int tp_utf8_valid(const char *s, size_t len);

/* Number of code points in well-formed `s`; ill-formed bytes count one each. */
size_t tp_utf8_length(const char *s, size_t len);

/* Writes `cp` (at most U+10FFFF) as 1 to 4 bytes at `o`; returns how many. */
size_t tp_utf8_put(char *o, uint32_t cp);

#endif

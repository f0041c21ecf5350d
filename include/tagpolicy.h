/*
 * tagpolicy.h: the public API of the tagpolicy library.
 *
 * This is the only library header the command-line tool includes.  The
 * library never prints and never exits: every fallible function returns 0 on
 * success or a negative enum tp_status, and fills a caller-owned struct
 * tp_error (which may be NULL) with a one-line message.
 *
 * Ownership: objects returned through a pointer-to-pointer out-parameter
 * belong to the caller, who frees them with the matching tp_X_free().
 * Pointers returned as values are borrowed from their parent and stay valid
 * until the parent is freed.  No function consumes its arguments.
 */
#ifndef TAGPOLICY_H
#define TAGPOLICY_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define TP_PRINTF(f, a) __attribute__((format(printf, f, a)))
/*
 * A hint that the memory at p will be read soon: for loops that read
 * records scattered over tens of MiB, each a cache miss, so that several
 * misses are under way at once.  Never faults, whatever p is.
 */
#define TP_PREFETCH(p) __builtin_prefetch(p)
#else
#define TP_PRINTF(f, a)
#define TP_PREFETCH(p) ((void)(p))
#endif

/* ------------------------------------------------------------------ */
/* error.c: status codes and the error record                          */
/* ------------------------------------------------------------------ */

/*
 * Status codes.  Specific codes exist only where a caller acts
 * differently; the CLI maps them to exit statuses (see tp_status_exit()).
 */
enum tp_status {
	TP_OK = 0,
	TP_ERROR = -1,     /* anything else */
	TP_ENOMEM = -2,    /* out of memory, or a buffer hit its size limit */
	TP_EINVAL = -3,    /* a bad value from the user (usage, version) */
	TP_EPOLICY = -4,   /* the policy file is invalid */
	TP_EREGEX = -5,    /* a regular expression does not compile */
	TP_EIO = -6,       /* reading or writing a file or stream failed */
	TP_EGIT = -7,      /* the repository cannot be read */
	TP_ENOTFOUND = -8, /* the thing asked for does not exist */
	TP_EEXISTS = -9,   /* the thing to create is already there */
	TP_ESHALLOW = -10  /* a shallow history hides the answer */
};

#define TP_ERROR_MSG_MAX 512
#define TP_ERROR_HINT_MAX 256
#define TP_ERROR_FILE_MAX 256

/*
 * One error.  The first error set wins: later tp_error_set*() calls on a
 * record whose code is non-zero change nothing, so a low layer's precise
 * message is never overwritten by a vaguer one above it.  Messages are
 * lower-case, one line, without a full stop.  `file` is empty and
 * `line`/`column` are 0 when the error has no location.  `hint` is advice
 * on what to do, or empty.
 */
struct tp_error {
	int code;
	unsigned line;
	unsigned column;
	char msg[TP_ERROR_MSG_MAX];
	char hint[TP_ERROR_HINT_MAX];
	char file[TP_ERROR_FILE_MAX];
};

void tp_error_init(struct tp_error *err);

/* Both return `code` so that `return tp_error_set(err, ...)` reads well. */
int tp_error_set(struct tp_error *err, int code, const char *fmt, ...)
	TP_PRINTF(3, 4);
int tp_error_set_at(struct tp_error *err, int code, const char *file,
		    unsigned line, unsigned column, const char *fmt, ...)
	TP_PRINTF(6, 7);
int tp_error_vset(struct tp_error *err, int code, const char *fmt,
		  va_list ap) TP_PRINTF(3, 0);

/* Sets the hint if none is set yet; the error itself is untouched. */
void tp_error_hint(struct tp_error *err, const char *fmt, ...)
	TP_PRINTF(2, 3);

/*
 * A check's reason, in the caller's buffer: `why` gets the text (at most
 * `whylen` bytes with its NUL; nothing is written when `why` is NULL or
 * `whylen` is 0).  Returns 0, the "not valid" of the checks that say why.
 */
int tp_why(char *why, size_t whylen, const char *fmt, ...) TP_PRINTF(3, 4);

/* The exit status a command gives for `code` (product.md): 1, 2 or 3. */
int tp_status_exit(int code);

/* ------------------------------------------------------------------ */
/* buf.c: a growable, NUL-terminated byte buffer with a size limit     */
/* ------------------------------------------------------------------ */

/*
 * Invariants (after TP_BUF_INIT or tp_buf_init()): `ptr` is never NULL and
 * ptr[len] is always NUL.  `alloc` is 0 while ptr points at a shared empty
 * string.  Appends never grow the buffer beyond `max` bytes of content;
 * past it they fail with TP_ENOMEM and leave the buffer unchanged.  Only
 * the tp_buf_* functions touch the members; read `ptr` and `len` freely.
 */
struct tp_buf {
	char *ptr;
	size_t len;
	size_t alloc;
	size_t max;
};

#define TP_BUF_MAX_DEFAULT ((size_t)1 << 30)
extern char tp_buf__empty[];
#define TP_BUF_INIT { tp_buf__empty, 0, 0, TP_BUF_MAX_DEFAULT }

void tp_buf_init(struct tp_buf *b, size_t max);
int tp_buf_grow(struct tp_buf *b, size_t extra);
int tp_buf_put(struct tp_buf *b, const void *data, size_t len);
int tp_buf_puts(struct tp_buf *b, const char *s);
int tp_buf_putc(struct tp_buf *b, int c);
int tp_buf_printf(struct tp_buf *b, const char *fmt, ...) TP_PRINTF(2, 3);
int tp_buf_vprintf(struct tp_buf *b, const char *fmt, va_list ap)
	TP_PRINTF(2, 0);
/*
 * Appends everything the file descriptor `fd` has left to read, reading
 * straight into the buffer (`hint`: the bytes to expect, say from fstat(),
 * or 0).  0 at the end of the file; TP_EIO when read() fails (errno is
 * kept; what was read stays appended); TP_ENOMEM past `max` or out of
 * memory.  Like git's strbuf_read().
 */
int tp_buf_read_fd(struct tp_buf *b, int fd, size_t hint);
/*
 * Room to write up to `n` bytes in place after the content, for output
 * made piece by piece without copying it twice: a pointer to ptr[len]
 * with n + 1 bytes after it, or NULL (TP_ENOMEM: past `max`, or out of
 * memory; the buffer is unchanged).  The content stays as it was until
 * tp_buf_commit() adds what was written, but the NUL after it may be
 * overwritten: commit (0 bytes to give up) before the buffer is used again.
 */
char *tp_buf_reserve(struct tp_buf *b, size_t n);
/* Adds the `n` bytes written after a tp_buf_reserve() of at least `n`. */
void tp_buf_commit(struct tp_buf *b, size_t n);

/*
 * Writing in reserved room: appends s[0..n) at p when it fits before
 * `end` and returns where the text goes on; NULL when it does not fit or
 * p is NULL, so that the appends of a line chain and one test at the end
 * says whether they all fit.  Inline, the cursor passed by value so that
 * it stays in a register, and short pieces copied a word at a time (the
 * last word, or pair, overlapping the ones before, so that nothing
 * outside s[0..n) and p[0..n) is touched): a library call for each piece
 * of ten bytes costs more than the copy, and a line is a dozen pieces.
 */
static inline char *
tp_room_put(char *p, const char *end, const void *src, size_t n)
{
	const char *s = src;
	uint64_t w;
	uint32_t h, l;
	size_t i;

	if (p == NULL || (size_t)(end - p) < n)
		return NULL;
	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&w, s + i, 8);
			memcpy(p + i, &w, 8);
		}
		memcpy(&w, s + n - 8, 8);
		memcpy(p + n - 8, &w, 8);
	} else if (n >= 4) {
		memcpy(&h, s, 4);
		memcpy(&l, s + n - 4, 4);
		memcpy(p, &h, 4);
		memcpy(p + n - 4, &l, 4);
	} else if (n > 0) {
		p[0] = s[0];
		p[n / 2] = s[n / 2];
		p[n - 1] = s[n - 1];
	}
	return p + n;
}

/* tp_room_put() of a string literal. */
#define TP_ROOM_LIT(p, end, lit) \
	tp_room_put((p), (end), (lit), sizeof(lit) - 1)
/* Keeps the memory; len becomes 0 (or `len` for truncate). */
void tp_buf_clear(struct tp_buf *b);
void tp_buf_truncate(struct tp_buf *b, size_t len);
/* Frees the memory and leaves the buffer as after tp_buf_init(). */
void tp_buf_release(struct tp_buf *b);
/*
 * Hands the bytes to the caller (always a malloc'd, NUL-terminated string,
 * even when empty; NULL on OOM) and leaves the buffer empty.
 */
char *tp_buf_detach(struct tp_buf *b, size_t *len);

/* ------------------------------------------------------------------ */
/* version.c: Semantic Versioning 2.0.0                                */
/* ------------------------------------------------------------------ */

/*
 * A parsed version.  It borrows the text it was parsed from (`str`), which
 * must outlive it; every part is an offset and a length into that text, so
 * parsing and comparing allocate nothing.  Numbers have any size: they are
 * kept as decimal digit strings.  `pre_len` is 0 when there is no
 * prerelease, `build_len` 0 when there is no build metadata (the offsets
 * point after the '-' / '+').
 */
struct tp_version {
	const char *str;
	size_t len;
	size_t major_off, major_len;
	size_t minor_off, minor_len;
	size_t patch_off, patch_len;
	size_t pre_off, pre_len;
	size_t build_off, build_len;
};

/*
 * Parses exactly `len` bytes of `s` as a SemVer 2.0.0 version (no `v`, no
 * white space).  On failure returns TP_EINVAL with a message that says what
 * is wrong, e.g. "leading zero in minor" or "empty prerelease identifier".
 */
int tp_version_parse(struct tp_version *out, const char *s, size_t len,
		     struct tp_error *err);

/* SemVer precedence: <0, 0 or >0.  Build metadata is ignored. */
int tp_version_cmp(const struct tp_version *a, const struct tp_version *b);

/* Compares two decimal digit strings without leading zeros. */
int tp_num_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Appends the decimal digit string `s` plus one ("199" -> "200"). */
int tp_num_inc(struct tp_buf *out, const char *s, size_t n);

enum tp_inc {
	TP_INC_MAJOR,
	TP_INC_MINOR,
	TP_INC_PATCH,
	TP_INC_PREMAJOR,
	TP_INC_PREMINOR,
	TP_INC_PREPATCH,
	TP_INC_PRERELEASE,
	TP_INC_RELEASE
};

/* Start-number value meaning "no number" (node-semver's identifierBase false). */
#define TP_INC_NO_NUMBER (-1)

/*
 * Appends to `out` the version that follows `v` (node-semver's inc(), with
 * the prerelease counter starting at `start`, 0 or more, or TP_INC_NO_NUMBER).
 * `preid` may be NULL.  Build metadata is dropped.  TP_EINVAL when the
 * increment is not possible (an invalid identifier, `release` on a version
 * that is not a prerelease, reusing `preid` with TP_INC_NO_NUMBER).
 */
int tp_version_inc(struct tp_buf *out, const struct tp_version *v,
		   enum tp_inc what, const char *preid, int start,
		   struct tp_error *err);

/* ------------------------------------------------------------------ */
/* policy: loading, inspecting and printing the tagging policy         */
/* ------------------------------------------------------------------ */

/* A loaded, compiled, immutable policy (see src/lib/policy.h). */
struct tp_policy;

/*
 * Loads the policy file at `path`, resolving `extends` (presets by name,
 * or paths relative to the file).  Every problem is TP_EPOLICY (or
 * TP_EREGEX) with file, line and column set in `err`, except a file that
 * cannot be read: TP_EIO.
 */
int tp_policy_load_file(struct tp_policy **out, const char *path,
			struct tp_error *err);

/*
 * Loads a policy from memory; `name` is used in messages and `basedir`
 * (may be NULL: the current folder) resolves relative `extends` paths.
 */
int tp_policy_load_buffer(struct tp_policy **out, const char *name,
			  const char *data, size_t len, const char *basedir,
			  struct tp_error *err);

/* The built-in default policy (used when no file is found). */
int tp_policy_load_default(struct tp_policy **out, struct tp_error *err);

void tp_policy_free(struct tp_policy *p);

/*
 * JIT-compiles every regular expression of the policy (kinds, `pattern`
 * fields, custom rules), where PCRE2 has a JIT; a failure leaves a
 * pattern interpreted.  Matching gives the same results either way: call
 * it once, before sharing the policy, when many tags will be matched
 * (`check` of a list); a run that matches a few spends less without it
 * (about 0.3 ms of a pre-push hook's 3).
 */
void tp_policy_jit(struct tp_policy *p);

/* "built-in default" or the path of the file the policy was loaded from. */
const char *tp_policy_origin(const struct tp_policy *p);

/*
 * Finds the policy file of a folder: `.tagpolicy.yml` or `.tagpolicy.yaml`
 * in `dir`.  Sets *out to a malloc'd path, or to NULL when neither exists
 * (returns 0 then).  Both present is TP_EPOLICY.
 */
int tp_policy_locate(char **out, const char *dir, struct tp_error *err);

/* The text of a built-in preset; NULL when there is no such preset. */
const char *tp_preset_text(const char *name, size_t *len);
/* The names of the built-in presets, NULL-terminated. */
const char *const *tp_preset_names(void);

enum tp_dump_format {
	TP_DUMP_YAML,
	TP_DUMP_JSON
};

/* Appends the effective policy (presets resolved, defaults filled in). */
int tp_policy_dump(struct tp_buf *out, const struct tp_policy *p,
		   enum tp_dump_format fmt, struct tp_error *err);

#endif

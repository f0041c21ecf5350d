/*
 * odb.c: git's object store read without libgit2: loose objects and
 * version-2 packs (git's Documentation/gitformat-pack.txt and
 * gitformat-loose.txt describe the files).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "inflate.h"
#include "odb.h"

#define IDX_MAGIC "\377tOc"
#define IDX_IDS (8 + 256 * 4) /* the ids follow the fanout table */
#define PACK_TRAILER 20

/*
 * Ids read at once around the interpolated guess: in a pack of n objects
 * the guess is off by about sqrt(n / 256) entries (ids are uniform), so
 * one read nearly always holds the id even in a pack of millions.
 */
#define WINDOW 128

/* Bytes read first for a pack entry: the whole of most commits. */
#define FIRST_READ 1024

/* Deflate's best ratio: a 258-byte match for two bits. */
#define MAX_RATIO 1032

/* The read buffer is kept between reads up to this size. */
#define KEEP_RBUF ((size_t)1 << 20)

#define CACHE_SLOTS 256

#define OBJ_OFS_DELTA 6
#define OBJ_REF_DELTA 7

struct pack {
	char *idx_path;
	char *pack_path;
	const char *name; /* the index's file name, inside idx_path */
	int idx_fd;
	int pack_fd;
	uint64_t pack_size;
	struct timespec mtime;
	uint32_t nobj;
	uint32_t nlarge;
	uint32_t fanout[256];
};

/* A decoded delta base, keyed by its pack and offset. */
struct slot {
	const struct pack *pack;
	uint64_t off;
	unsigned char *data;
	size_t size;
	int type;
};

struct tp_odb {
	char *objdir;
	struct pack **packs; /* newest first */
	size_t npacks;
	size_t last; /* the pack of the last hit */
	unsigned char *rbuf;
	size_t rcap;
	size_t rlen; /* bytes of the pack in rbuf ... */
	uint64_t roff; /* ... from this offset */
	struct slot cache[CACHE_SLOTS];
	size_t cache_bytes;
	unsigned hand;
	struct tp_inflater *z;
};

/* One pack entry's header. */
struct entry {
	uint64_t off;
	int type;
	uint64_t size;
	uint64_t data; /* where the zlib data starts */
	uint64_t base; /* OBJ_OFS_DELTA: the base's offset */
	unsigned char base_id[20];
};

/* A delta waiting for its base. */
struct link {
	unsigned char *delta;
	size_t len;
	uint64_t off;
};

static const char hexdigits[] = "0123456789abcdef";

void
tp_odb_id_to_hex(char hex[41], const unsigned char id[20])
{
	unsigned i;

	for (i = 0; i < 20; i++) {
		hex[2 * i] = hexdigits[id[i] >> 4];
		hex[2 * i + 1] = hexdigits[id[i] & 15];
	}
	hex[40] = '\0';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
tp_odb_id_from_hex(unsigned char id[20], const char *hex, size_t len)
{
	unsigned char tmp[20];
	int hi, lo;
	unsigned i;

	if (hex == NULL || len != 40)
		return TP_EINVAL;
	for (i = 0; i < 20; i++) {
		hi = hexval((unsigned char)hex[2 * i]);
		lo = hexval((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return TP_EINVAL;
		tmp[i] = (unsigned char)(hi << 4 | lo);
	}
	memcpy(id, tmp, 20);
	return 0;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Reads up to `n` bytes at `off`; fewer only at the end of the file. */
static ssize_t
pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Reads exactly `n` bytes at `off` or fails with a message. */
static int
pread_exact(int fd, const char *path, void *buf, size_t n, uint64_t off,
	    struct tp_error *err)
{
	ssize_t r = pread_all(fd, buf, n, off);

	if (r < 0)
		return tp_error_set(err, TP_EGIT, "cannot read '%s': %s", path,
				    strerror(errno));
	if ((size_t)r < n)
		return tp_error_set(err, TP_EGIT,
				    "'%s' is shorter than expected", path);
	return 0;
}

static int
oom(struct tp_error *err)
{
	return tp_error_set(err, TP_ENOMEM, "out of memory");
}

static int
rbuf_reserve(struct tp_odb *o, size_t n, struct tp_error *err)
{
	unsigned char *p;
	size_t cap;

	if (n <= o->rcap)
		return 0;
	cap = o->rcap < 4096 ? 4096 : o->rcap;
	while (cap < n)
		cap = cap > SIZE_MAX / 2 ? n : cap * 2;
	p = realloc(o->rbuf, cap);
	if (p == NULL)
		return oom(err);
	o->rbuf = p;
	o->rcap = cap;
	return 0;
}

/* ------------------------------------------------------------------ */
/* the delta-base cache                                                */
/* ------------------------------------------------------------------ */

static unsigned
cache_index(const struct pack *p, uint64_t off)
{
	uint64_t h = (off ^ (uint64_t)(uintptr_t)p) * 0x9e3779b97f4a7c15u;

	return (unsigned)(h >> 56) % CACHE_SLOTS;
}

static void
cache_drop(struct tp_odb *o, struct slot *s)
{
	if (s->data == NULL)
		return;
	o->cache_bytes -= s->size;
	free(s->data);
	s->data = NULL;
	s->pack = NULL;
}

/* Takes `data` (size + 1 bytes); frees it when it is too big to keep. */
static void
cache_put(struct tp_odb *o, const struct pack *p, uint64_t off, int type,
	  unsigned char *data, size_t size)
{
	unsigned i = cache_index(p, off);
	struct slot *s = &o->cache[i];

	if (size > TP_ODB_CACHE_MAX / 4) {
		free(data);
		return;
	}
	cache_drop(o, s);
	s->pack = p;
	s->off = off;
	s->type = type;
	s->data = data;
	s->size = size;
	o->cache_bytes += size;
	while (o->cache_bytes > TP_ODB_CACHE_MAX) {
		o->hand = (o->hand + 1) % CACHE_SLOTS;
		if (o->hand != i)
			cache_drop(o, &o->cache[o->hand]);
	}
}

/* 1 with a malloc'd copy when the cache has it, 0 when not, or <0. */
static int
cache_get(struct tp_odb *o, const struct pack *p, uint64_t off, int *type,
	  unsigned char **data, size_t *size, struct tp_error *err)
{
	const struct slot *s = &o->cache[cache_index(p, off)];
	unsigned char *copy;

	if (s->data == NULL || s->pack != p || s->off != off)
		return 0;
	copy = malloc(s->size + 1);
	if (copy == NULL)
		return oom(err);
	memcpy(copy, s->data, s->size + 1);
	*type = s->type;
	*data = copy;
	*size = s->size;
	return 1;
}

/* ------------------------------------------------------------------ */
/* opening packs                                                       */
/* ------------------------------------------------------------------ */

static void
pack_free(struct pack *p)
{
	if (p == NULL)
		return;
	if (p->idx_fd >= 0)
		close(p->idx_fd);
	if (p->pack_fd >= 0)
		close(p->pack_fd);
	free(p->idx_path);
	free(p->pack_path);
	free(p);
}

/* Opens a file read-only; 1 when it does not exist, as for packs. */
static int
open_ro(int *fd, const char *path, struct tp_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd >= 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	return tp_error_set(err, TP_EGIT, "cannot open '%s': %s", path,
			    strerror(errno));
}

static int
pack_check(struct pack *p, struct tp_error *err)
{
	unsigned char head[IDX_IDS], phead[12], sum1[20], sum2[20];
	struct stat st;
	uint64_t idx_size, min;
	unsigned i;
	int error;

	if (fstat(p->idx_fd, &st) != 0)
		return tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				    p->idx_path, strerror(errno));
	idx_size = (uint64_t)st.st_size;
	p->mtime = st.st_mtim;
	if (idx_size < IDX_IDS + 40)
		return tp_error_set(err, TP_EGIT,
				    "pack index '%s' is too small",
				    p->idx_path);
	if ((error = pread_exact(p->idx_fd, p->idx_path, head, sizeof(head), 0,
				 err)) != 0)
		return error;
	if (memcmp(head, IDX_MAGIC, 4) != 0)
		return tp_error_set(err, TP_EGIT,
				    "pack index '%s' has "
				    "version 1, which is not supported",
				    p->idx_path);
	if (be32(head + 4) != 2)
		return tp_error_set(err, TP_EGIT,
				    "pack index '%s' has "
				    "unsupported version %lu",
				    p->idx_path, (unsigned long)be32(head + 4));
	for (i = 0; i < 256; i++) {
		p->fanout[i] = be32(head + 8 + 4 * i);
		if (i > 0 && p->fanout[i] < p->fanout[i - 1])
			return tp_error_set(err, TP_EGIT,
					    "pack index '%s' "
					    "has a corrupt fanout table",
					    p->idx_path);
	}
	p->nobj = p->fanout[255];
	min = IDX_IDS + (uint64_t)p->nobj * 28 + 40;
	if (idx_size < min || (idx_size - min) % 8 != 0 ||
	    (idx_size - min) / 8 > p->nobj)
		return tp_error_set(err, TP_EGIT,
				    "pack index '%s' has a "
				    "size that does not match its %lu objects",
				    p->idx_path, (unsigned long)p->nobj);
	p->nlarge = (uint32_t)((idx_size - min) / 8);

	if (fstat(p->pack_fd, &st) != 0)
		return tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				    p->pack_path, strerror(errno));
	p->pack_size = (uint64_t)st.st_size;
	if (p->pack_size < 12 + PACK_TRAILER)
		return tp_error_set(err, TP_EGIT, "pack '%s' is too small",
				    p->pack_path);
	if ((error = pread_exact(p->pack_fd, p->pack_path, phead, sizeof(phead),
				 0, err)) != 0)
		return error;
	if (memcmp(phead, "PACK", 4) != 0 ||
	    (be32(phead + 4) != 2 && be32(phead + 4) != 3))
		return tp_error_set(err, TP_EGIT, "pack '%s' has a bad header",
				    p->pack_path);
	if (be32(phead + 8) != p->nobj)
		return tp_error_set(err, TP_EGIT,
				    "pack '%s' holds %lu "
				    "objects but its index lists %lu",
				    p->pack_path,
				    (unsigned long)be32(phead + 8),
				    (unsigned long)p->nobj);
	if ((error = pread_exact(p->pack_fd, p->pack_path, sum1, 20,
				 p->pack_size - PACK_TRAILER, err)) != 0 ||
	    (error = pread_exact(p->idx_fd, p->idx_path, sum2, 20,
				 idx_size - 40, err)) != 0)
		return error;
	if (memcmp(sum1, sum2, 20) != 0)
		return tp_error_set(err, TP_EGIT,
				    "pack '%s' does not match "
				    "its index (checksum)",
				    p->pack_path);
	return 0;
}

/* Opens objects/pack/<name>; 1 (and *out NULL) when its pack is gone. */
static int
pack_open(struct pack **out, const char *packdir, const char *name,
	  struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT;
	struct pack *p;
	size_t nlen = strlen(name);
	int error = 0;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return oom(err);
	p->idx_fd = -1;
	p->pack_fd = -1;
	if (tp_buf_printf(&path, "%s/%s", packdir, name) < 0 ||
	    (p->idx_path = tp_buf_detach(&path, NULL)) == NULL ||
	    tp_buf_printf(&path, "%s/%.*s.pack", packdir, (int)(nlen - 4),
			  name) < 0 ||
	    (p->pack_path = tp_buf_detach(&path, NULL)) == NULL) {
		error = oom(err);
		goto done;
	}
	p->name = p->idx_path + strlen(p->idx_path) - nlen;
	if ((error = open_ro(&p->idx_fd, p->idx_path, err)) != 0 ||
	    (error = open_ro(&p->pack_fd, p->pack_path, err)) != 0)
		goto done;
	if ((error = pack_check(p, err)) != 0)
		goto done;
	*out = p;
	p = NULL;
done:
	pack_free(p);
	tp_buf_release(&path);
	return error;
}

static int
newest_first(const void *a, const void *b)
{
	const struct pack *x = *(struct pack *const *)a;
	const struct pack *y = *(struct pack *const *)b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec < y->mtime.tv_sec ? 1 : -1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec < y->mtime.tv_nsec ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int
known_pack(const struct tp_odb *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->npacks; i++)
		if (strcmp(o->packs[i]->name, name) == 0)
			return 1;
	return 0;
}

/*
 * Opens the packs of objects/pack that `o` does not have yet and puts
 * them first; sets *added to how many.
 */
static int
scan_packs(struct tp_odb *o, size_t *added, struct tp_error *err)
{
	struct tp_buf dir = TP_BUF_INIT;
	struct pack **fresh = NULL, **all, *p;
	size_t n = 0, cap = 0, len;
	struct dirent *de;
	DIR *d = NULL;
	int error = 0;

	*added = 0;
	if (tp_buf_printf(&dir, "%s/pack", o->objdir) < 0) {
		error = oom(err);
		goto done;
	}
	d = opendir(dir.ptr);
	if (d == NULL) {
		if (errno != ENOENT)
			error = tp_error_set(err, TP_EGIT,
					     "cannot read '%s': %s", dir.ptr,
					     strerror(errno));
		goto done;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (de == NULL) {
			if (errno != 0)
				error = tp_error_set(err, TP_EGIT,
						     "cannot read '%s': %s",
						     dir.ptr, strerror(errno));
			break;
		}
		len = strlen(de->d_name);
		if (len <= 9 || strncmp(de->d_name, "pack-", 5) != 0 ||
		    strcmp(de->d_name + len - 4, ".idx") != 0 ||
		    known_pack(o, de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			all = realloc(fresh, cap * sizeof(*fresh));
			if (all == NULL) {
				error = oom(err);
				goto done;
			}
			fresh = all;
		}
		error = pack_open(&p, dir.ptr, de->d_name, err);
		if (error < 0)
			goto done;
		if (p != NULL)
			fresh[n++] = p;
		error = 0;
	}
	if (error != 0 || n == 0)
		goto done;
	qsort(fresh, n, sizeof(*fresh), newest_first);
	all = malloc((o->npacks + n) * sizeof(*all));
	if (all == NULL) {
		error = oom(err);
		goto done;
	}
	memcpy(all, fresh, n * sizeof(*all));
	if (o->npacks > 0)
		memcpy(all + n, o->packs, o->npacks * sizeof(*all));
	free(o->packs);
	o->packs = all;
	o->npacks += n;
	o->last = 0;
	*added = n;
	n = 0;
done:
	while (n > 0)
		pack_free(fresh[--n]);
	free(fresh);
	if (d != NULL)
		closedir(d);
	tp_buf_release(&dir);
	return error;
}

int
tp_odb_open(struct tp_odb **out, const char *objdir, struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT;
	struct tp_odb *o;
	struct stat st;
	size_t len, added;
	int error = 0;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		return oom(err);
	if ((o->z = tp_inflater_new()) == NULL) {
		free(o);
		return oom(err);
	}
	len = strlen(objdir);
	while (len > 1 && objdir[len - 1] == '/')
		len--;
	if (tp_buf_put(&path, objdir, len) < 0 ||
	    (o->objdir = tp_buf_detach(&path, NULL)) == NULL) {
		error = oom(err);
		goto done;
	}
	if (stat(o->objdir, &st) != 0) {
		error = tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				     o->objdir, strerror(errno));
		goto done;
	}
	if (!S_ISDIR(st.st_mode)) {
		error = tp_error_set(err, TP_EGIT, "'%s' is not a folder",
				     o->objdir);
		goto done;
	}
	if (tp_buf_printf(&path, "%s/info/alternates", o->objdir) < 0) {
		error = oom(err);
		goto done;
	}
	if (stat(path.ptr, &st) == 0 || errno != ENOENT) {
		error = tp_error_set(err, TP_EGIT,
				     "'%s' is not supported: "
				     "alternate object folders are read by "
				     "libgit2 only",
				     path.ptr);
		goto done;
	}
	if ((error = scan_packs(o, &added, err)) != 0)
		goto done;
	*out = o;
	o = NULL;
done:
	tp_odb_free(o);
	tp_buf_release(&path);
	return error;
}

void
tp_odb_free(struct tp_odb *o)
{
	size_t i;

	if (o == NULL)
		return;
	for (i = 0; i < CACHE_SLOTS; i++)
		cache_drop(o, &o->cache[i]);
	for (i = 0; i < o->npacks; i++)
		pack_free(o->packs[i]);
	free(o->packs);
	free(o->rbuf);
	free(o->objdir);
	tp_inflater_free(o->z);
	free(o);
}

/* ------------------------------------------------------------------ */
/* looking up an id in a pack index                                    */
/* ------------------------------------------------------------------ */

static int
bad_index(const struct pack *p, struct tp_error *err)
{
	return tp_error_set(err, TP_EGIT, "pack index '%s' is corrupt",
			    p->idx_path);
}

/* The pack offset of entry `pos` of the index. */
static int
pack_offset(const struct pack *p, uint32_t pos, uint64_t *off,
	    struct tp_error *err)
{
	unsigned char b[8];
	uint32_t v;
	int error;

	error = pread_exact(
		p->idx_fd, p->idx_path, b, 4,
		IDX_IDS + (uint64_t)p->nobj * 24 + (uint64_t)pos * 4, err);
	if (error != 0)
		return error;
	v = be32(b);
	if (v & 0x80000000u) {
		v &= 0x7fffffffu;
		if (v >= p->nlarge)
			return bad_index(p, err);
		error = pread_exact(p->idx_fd, p->idx_path, b, 8,
				    IDX_IDS + (uint64_t)p->nobj * 28 +
					    (uint64_t)v * 8,
				    err);
		if (error != 0)
			return error;
		*off = be64(b);
	} else {
		*off = v;
	}
	if (*off < 12 || *off >= p->pack_size - PACK_TRAILER)
		return bad_index(p, err);
	return 0;
}

/*
 * 1 with *off when `p` holds `id`, 0 when not, or <0.  The ids are
 * uniformly spread, so the position is interpolated from the id and the
 * ids known at both ends of the range, and a window around it is read.
 */
static int
pack_find(const struct pack *p, const unsigned char *id, uint64_t *off,
	  struct tp_error *err)
{
	unsigned char win[WINDOW * 20];
	uint32_t lo, hi, n, k, start, guess, a, z, m;
	uint64_t key, klo, khi;
	int c, error;

	lo = id[0] > 0 ? p->fanout[id[0] - 1] : 0;
	hi = p->fanout[id[0]];
	key = be64(id);
	klo = (uint64_t)id[0] << 56;
	khi = klo | 0x00ffffffffffffffu;
	while (lo < hi) {
		n = hi - lo;
		if (n <= WINDOW) {
			start = lo;
			k = n;
		} else {
			k = WINDOW;
			if (key <= klo || khi <= klo)
				guess = lo;
			else if (key >= khi)
				guess = hi - 1;
			else
				guess = lo +
					(uint32_t)((double)(key - klo) /
						   (double)(khi - klo) * n);
			if (guess >= hi)
				guess = hi - 1;
			start = guess - lo > WINDOW / 2 ? guess - WINDOW / 2
							: lo;
			if (start > hi - WINDOW)
				start = hi - WINDOW;
		}
		error = pread_exact(p->idx_fd, p->idx_path, win, (size_t)k * 20,
				    IDX_IDS + (uint64_t)start * 20, err);
		if (error != 0)
			return error;
		if (memcmp(id, win, 20) < 0) {
			hi = start;
			khi = be64(win);
			continue;
		}
		if (memcmp(id, win + (size_t)(k - 1) * 20, 20) > 0) {
			lo = start + k;
			klo = be64(win + (size_t)(k - 1) * 20);
			continue;
		}
		a = 0;
		z = k;
		while (a < z) {
			m = a + (z - a) / 2;
			c = memcmp(id, win + (size_t)m * 20, 20);
			if (c == 0) {
				error = pack_offset(p, start + m, off, err);
				return error != 0 ? error : 1;
			}
			if (c < 0)
				z = m;
			else
				a = m + 1;
		}
		return 0;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* reading pack entries                                                */
/* ------------------------------------------------------------------ */

static int
bad_entry(const struct pack *p, uint64_t off, const char *why,
	  struct tp_error *err)
{
	return tp_error_set(err, TP_EGIT,
			    "corrupt entry at offset %llu of '%s': %s",
			    (unsigned long long)off, p->pack_path, why);
}

/*
 * Reads the header of the entry at `off`.  The bytes read stay in
 * o->rbuf (o->rlen of them, from o->roff) for entry_inflate().
 */
static int
entry_header(struct tp_odb *o, const struct pack *p, uint64_t off,
	     struct entry *e, struct tp_error *err)
{
	uint64_t end = p->pack_size - PACK_TRAILER, size, ofs;
	size_t want = FIRST_READ, i = 0;
	const unsigned char *b;
	unsigned shift;
	unsigned c;
	ssize_t got;
	int error;

	if (off < 12 || off >= end)
		return bad_entry(p, off, "offset outside the pack", err);
	if (want > end - off)
		want = (size_t)(end - off);
	if ((error = rbuf_reserve(o, want, err)) != 0)
		return error;
	got = pread_all(p->pack_fd, o->rbuf, want, off);
	if (got < 0)
		return tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				    p->pack_path, strerror(errno));
	if ((size_t)got < want)
		return tp_error_set(err, TP_EGIT,
				    "'%s' is shorter than expected",
				    p->pack_path);
	o->roff = off;
	o->rlen = want;
	b = o->rbuf;

	e->off = off;
	c = b[i++];
	e->type = (c >> 4) & 7;
	size = c & 15;
	shift = 4;
	while (c & 0x80) {
		if (i >= want || shift > 57)
			return bad_entry(p, off, "bad size", err);
		c = b[i++];
		size |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	}
	e->size = size;
	if (e->type == OBJ_OFS_DELTA) {
		if (i >= want)
			return bad_entry(p, off, "bad base offset", err);
		c = b[i++];
		ofs = c & 0x7f;
		while (c & 0x80) {
			if (i >= want || ofs >= ((uint64_t)1 << 56))
				return bad_entry(p, off, "bad base offset",
						 err);
			c = b[i++];
			ofs = ((ofs + 1) << 7) | (c & 0x7f);
		}
		if (ofs == 0 || ofs > off - 12)
			return bad_entry(p, off, "base offset outside the pack",
					 err);
		e->base = off - ofs;
	} else if (e->type == OBJ_REF_DELTA) {
		if (want - i < 20)
			return bad_entry(p, off, "bad base id", err);
		memcpy(e->base_id, b + i, 20);
		i += 20;
	} else if (e->type < 1 || e->type > 4) {
		return bad_entry(p, off, "unknown object type", err);
	}
	if (i >= want)
		return bad_entry(p, off, "no data", err);
	e->data = off + i;
	return 0;
}

/*
 * Inflates the data of entry `e` (just read by entry_header()) into a new
 * buffer of e->size bytes and a NUL.  Reads a little more than the size
 * (deflate never grows data by more than a few bytes per block), and more
 * again when the stream turns out longer.
 */
static int
entry_inflate(struct tp_odb *o, const struct pack *p, const struct entry *e,
	      unsigned char **out, struct tp_error *err)
{
	uint64_t avail = p->pack_size - PACK_TRAILER - e->data;
	size_t ds = (size_t)(e->data - o->roff), have, want, olen, used;
	unsigned char *buf = NULL;
	struct tp_error ie;
	ssize_t got;
	int rc, error = 0;

	*out = NULL;
	if (e->size >= SIZE_MAX / 2 || e->size / MAX_RATIO > avail)
		return bad_entry(p, e->off,
				 "size larger than its data can hold", err);
	buf = malloc((size_t)e->size + 1);
	if (buf == NULL)
		return oom(err);
	want = (size_t)e->size + (size_t)e->size / 16 + 64;
	for (;;) {
		if (want > avail)
			want = (size_t)avail;
		have = o->rlen - ds;
		if (have < want) {
			if ((error = rbuf_reserve(o, ds + want, err)) != 0)
				goto done;
			got = pread_all(p->pack_fd, o->rbuf + o->rlen,
					want - have, o->roff + o->rlen);
			if (got < 0 || (size_t)got < want - have) {
				error = tp_error_set(err, TP_EGIT,
						     "cannot read '%s': %s",
						     p->pack_path,
						     got < 0 ? strerror(errno)
							     : "short read");
				goto done;
			}
			o->rlen = ds + want;
			have = want;
		}
		tp_error_init(&ie);
		rc = tp_inflate_with(o->z, buf, (size_t)e->size, &olen,
				     o->rbuf + ds, have, &used, &ie);
		if (rc < 0 && used == have && have < avail) {
			want = have > SIZE_MAX / 2 ? SIZE_MAX : have * 2;
			continue;
		}
		break;
	}
	if (rc < 0)
		error = bad_entry(p, e->off, ie.msg, err);
	else if (rc > 0)
		error = bad_entry(p, e->off, "data longer than its size", err);
	else if (olen != e->size)
		error = bad_entry(p, e->off, "data shorter than its size", err);
	if (error != 0)
		goto done;
	buf[olen] = '\0';
	*out = buf;
	buf = NULL;
done:
	free(buf);
	return error;
}

/* A delta size: little-endian groups of seven bits. */
static int
delta_varint(const unsigned char *d, size_t len, size_t *pos, uint64_t *v)
{
	unsigned shift = 0;
	unsigned c;

	*v = 0;
	do {
		if (*pos >= len || shift > 57)
			return -1;
		c = d[(*pos)++];
		*v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return 0;
}

/* Applies `delta` to `base`: a new buffer of the target size and a NUL. */
static int
apply_delta(const struct pack *p, uint64_t off, const unsigned char *base,
	    size_t base_len, const unsigned char *d, size_t len,
	    unsigned char **out, size_t *out_len, struct tp_error *err)
{
	uint64_t src, dst, cp_off, cp_len;
	unsigned char *buf = NULL;
	size_t pos = 0, n = 0;
	unsigned c, i;
	int error = 0;

	*out = NULL;
	if (delta_varint(d, len, &pos, &src) != 0 ||
	    delta_varint(d, len, &pos, &dst) != 0)
		return bad_entry(p, off, "bad delta header", err);
	if (src != base_len)
		return bad_entry(p, off, "delta does not fit its base", err);
	/* an instruction of at most 8 bytes copies at most 2^24 - 1 */
	if (dst >= SIZE_MAX / 2 || dst / 0xffffff > len)
		return bad_entry(p, off, "delta target size too large", err);
	buf = malloc((size_t)dst + 1);
	if (buf == NULL)
		return oom(err);
	while (pos < len) {
		c = d[pos++];
		if (c & 0x80) {
			cp_off = 0;
			cp_len = 0;
			for (i = 0; i < 7; i++) {
				if (!(c & (1u << i)))
					continue;
				if (pos >= len) {
					error = bad_entry(
						p, off, "truncated delta", err);
					goto done;
				}
				if (i < 4)
					cp_off |= (uint64_t)d[pos++] << (8 * i);
				else
					cp_len |= (uint64_t)d[pos++]
						  << (8 * (i - 4));
			}
			if (cp_len == 0)
				cp_len = 0x10000;
			if (cp_off > base_len || cp_len > base_len - cp_off ||
			    cp_len > dst - n) {
				error = bad_entry(p, off,
						  "delta copies "
						  "outside its base or target",
						  err);
				goto done;
			}
			memcpy(buf + n, base + cp_off, (size_t)cp_len);
			n += (size_t)cp_len;
		} else if (c != 0) {
			if (c > len - pos || c > dst - n) {
				error = bad_entry(p, off,
						  "delta inserts "
						  "outside its data or target",
						  err);
				goto done;
			}
			memcpy(buf + n, d + pos, c);
			pos += c;
			n += c;
		} else {
			error = bad_entry(p, off,
					  "delta has a reserved instruction",
					  err);
			goto done;
		}
	}
	if (n != dst) {
		error = bad_entry(p, off, "delta target shorter than its size",
				  err);
		goto done;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	buf = NULL;
done:
	free(buf);
	return error;
}

static int
read_any(struct tp_odb *o, const unsigned char *id, size_t depth, int *type,
	 unsigned char **data, size_t *size, struct tp_error *err);

/*
 * Reads the object at `off` of `p`, resolving deltas.  `depth` is the
 * number of deltas already waiting for this object (a REF_DELTA base read
 * from another pack), so that the limit holds across packs.
 */
static int
read_packed(struct tp_odb *o, const struct pack *p, uint64_t off, size_t depth,
	    int *type, unsigned char **data, size_t *size, struct tp_error *err)
{
	struct link *chain = NULL, *grown;
	size_t n = 0, cap = 0, base_size = 0, next_size = 0;
	unsigned char *base = NULL, *next, *delta;
	const struct pack *base_pack = p;
	uint64_t cur = off, found;
	struct entry e;
	char hex[41];
	int base_type = 0, rc, error = 0;

	for (;;) {
		rc = cache_get(o, p, cur, &base_type, &base, &base_size, err);
		if (rc < 0) {
			error = rc;
			goto done;
		}
		if (rc > 0)
			break;
		if ((error = entry_header(o, p, cur, &e, err)) != 0)
			goto done;
		if (e.type != OBJ_OFS_DELTA && e.type != OBJ_REF_DELTA) {
			error = entry_inflate(o, p, &e, &base, err);
			if (error != 0)
				goto done;
			base_type = e.type;
			base_size = (size_t)e.size;
			break;
		}
		if (depth + n >= TP_ODB_MAX_DELTA_DEPTH) {
			error = bad_entry(
				p, cur, "delta chain too deep or looping", err);
			goto done;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			grown = realloc(chain, cap * sizeof(*chain));
			if (grown == NULL) {
				error = oom(err);
				goto done;
			}
			chain = grown;
		}
		if ((error = entry_inflate(o, p, &e, &delta, err)) != 0)
			goto done;
		chain[n].delta = delta;
		chain[n].len = (size_t)e.size;
		chain[n].off = cur;
		n++;
		if (e.type == OBJ_OFS_DELTA) {
			cur = e.base;
			continue;
		}
		rc = pack_find(p, e.base_id, &found, err);
		if (rc < 0) {
			error = rc;
			goto done;
		}
		if (rc > 0) {
			cur = found;
			continue;
		}
		/* a base in another pack or loose: not cached by offset */
		rc = read_any(o, e.base_id, depth + n, &base_type, &base,
			      &base_size, err);
		if (rc == TP_ENOTFOUND) {
			tp_odb_id_to_hex(hex, e.base_id);
			tp_error_set(err, TP_EGIT,
				     "delta base '%s' of the "
				     "entry at offset %llu of '%s' is missing",
				     hex, (unsigned long long)e.off,
				     p->pack_path);
			error = TP_EGIT;
			goto done;
		}
		if (rc < 0) {
			error = rc;
			goto done;
		}
		base_pack = NULL;
		break;
	}
	while (n > 0) {
		error = apply_delta(p, chain[n - 1].off, base, base_size,
				    chain[n - 1].delta, chain[n - 1].len, &next,
				    &next_size, err);
		if (error != 0)
			goto done;
		if (base_pack != NULL)
			cache_put(o, base_pack, cur, base_type, base,
				  base_size);
		else
			free(base);
		base = next;
		base_size = next_size;
		base_pack = p;
		cur = chain[n - 1].off;
		free(chain[n - 1].delta);
		n--;
	}
	*type = base_type;
	*data = base;
	*size = base_size;
	base = NULL;
done:
	while (n > 0)
		free(chain[--n].delta);
	free(chain);
	free(base);
	return error;
}

/* ------------------------------------------------------------------ */
/* loose objects                                                       */
/* ------------------------------------------------------------------ */

static int
bad_loose(const char *path, const char *why, struct tp_error *err)
{
	return tp_error_set(err, TP_EGIT, "corrupt loose object '%s': %s", path,
			    why);
}

/* Parses "<type> <size>\0"; the header's length, or 0 when invalid. */
static size_t
loose_header(const unsigned char *h, size_t len, int *type, uint64_t *size)
{
	static const char *const names[] = { "commit", "tree", "blob", "tag" };
	size_t i, sp, nlen;
	uint64_t v = 0;

	for (sp = 0; sp < len && h[sp] != ' '; sp++)
		;
	if (sp == len)
		return 0;
	*type = 0;
	for (i = 0; i < 4; i++) {
		nlen = strlen(names[i]);
		if (sp == nlen && memcmp(h, names[i], nlen) == 0)
			*type = (int)i + 1;
	}
	if (*type == 0)
		return 0;
	for (i = sp + 1; i < len && h[i] >= '0' && h[i] <= '9'; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(h[i] - '0');
	}
	if (i == sp + 1 || i >= len || h[i] != '\0')
		return 0;
	*size = v;
	return i + 1;
}

/* TP_ENOTFOUND (no message) when there is no such loose object. */
static int
read_loose(struct tp_odb *o, const unsigned char *id, int *type,
	   unsigned char **data, size_t *size, struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT;
	unsigned char head[64], *buf = NULL;
	size_t hlen, olen, used, total, n = 0;
	struct tp_error ie;
	uint64_t want = 0;
	struct stat st;
	char hex[41];
	ssize_t got;
	int fd = -1, rc, error = 0;

	tp_odb_id_to_hex(hex, id);
	if (tp_buf_printf(&path, "%s/%.2s/%s", o->objdir, hex, hex + 2) < 0) {
		error = oom(err);
		goto done;
	}
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			error = TP_ENOTFOUND;
		else
			error = tp_error_set(err, TP_EGIT,
					     "cannot open '%s': %s", path.ptr,
					     strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) != 0) {
		error = tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				     path.ptr, strerror(errno));
		goto done;
	}
	if ((uint64_t)st.st_size >= SIZE_MAX / MAX_RATIO) {
		error = bad_loose(path.ptr, "file too large", err);
		goto done;
	}
	n = (size_t)st.st_size;
	if ((error = rbuf_reserve(o, n, err)) != 0)
		goto done;
	got = pread_all(fd, o->rbuf, n, 0);
	if (got < 0 || (size_t)got != n) {
		error = tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				     path.ptr,
				     got < 0 ? strerror(errno) : "short read");
		goto done;
	}
	tp_error_init(&ie);
	rc = tp_inflate_with(o->z, head, sizeof(head), &olen, o->rbuf, n,
			     &used, &ie);
	if (rc < 0) {
		error = bad_loose(path.ptr, ie.msg, err);
		goto done;
	}
	hlen = loose_header(head, olen, type, &want);
	if (hlen == 0) {
		error = bad_loose(path.ptr, "bad header", err);
		goto done;
	}
	if (want / MAX_RATIO > n) {
		error = bad_loose(path.ptr,
				  "size larger than its data can hold", err);
		goto done;
	}
	total = hlen + (size_t)want;
	buf = malloc(total + 1);
	if (buf == NULL) {
		error = oom(err);
		goto done;
	}
	tp_error_init(&ie);
	rc = tp_inflate_with(o->z, buf, total, &olen, o->rbuf, n, &used,
			     &ie);
	if (rc < 0)
		error = bad_loose(path.ptr, ie.msg, err);
	else if (rc > 0)
		error = bad_loose(path.ptr, "data longer than its size", err);
	else if (olen != total)
		error = bad_loose(path.ptr, "data shorter than its size", err);
	else if (used != n)
		error = bad_loose(path.ptr, "garbage after the data", err);
	if (error != 0)
		goto done;
	memmove(buf, buf + hlen, (size_t)want);
	buf[want] = '\0';
	*data = buf;
	*size = (size_t)want;
	buf = NULL;
done:
	if (fd >= 0)
		close(fd);
	free(buf);
	tp_buf_release(&path);
	return error;
}

/* ------------------------------------------------------------------ */
/* reading by id                                                       */
/* ------------------------------------------------------------------ */

/* TP_ENOTFOUND (no message) when neither a pack nor a file has it. */
static int
read_any(struct tp_odb *o, const unsigned char *id, size_t depth, int *type,
	 unsigned char **data, size_t *size, struct tp_error *err)
{
	uint64_t off;
	size_t i, k;
	int rc;

	for (k = 0; k < o->npacks; k++) {
		/* the last hit's pack first: walks stay in one pack */
		i = k == 0 ? o->last : (k <= o->last ? k - 1 : k);
		rc = pack_find(o->packs[i], id, &off, err);
		if (rc < 0)
			return rc;
		if (rc > 0) {
			o->last = i;
			return read_packed(o, o->packs[i], off, depth, type,
					   data, size, err);
		}
	}
	return read_loose(o, id, type, data, size, err);
}

int
tp_odb_read(struct tp_odb *o, const unsigned char id[20],
	    enum tp_odb_type *type, unsigned char **data, size_t *size,
	    struct tp_error *err)
{
	struct tp_error ie;
	unsigned char *buf = NULL;
	size_t len = 0, added;
	char hex[41];
	int t = 0, rc;

	*data = NULL;
	tp_error_init(&ie);
	rc = read_any(o, id, 0, &t, &buf, &len, &ie);
	if (rc == TP_ENOTFOUND) {
		rc = scan_packs(o, &added, &ie);
		if (rc == 0)
			rc = added > 0 ? read_any(o, id, 0, &t, &buf, &len, &ie)
				       : TP_ENOTFOUND;
	}
	if (o->rcap > KEEP_RBUF) {
		free(o->rbuf);
		o->rbuf = NULL;
		o->rcap = 0;
	}
	if (rc != 0) {
		tp_odb_id_to_hex(hex, id);
		if (rc == TP_ENOTFOUND)
			return tp_error_set(err, rc, "object '%s' not found",
					    hex);
		return tp_error_set(err, rc, "cannot read object '%s': %s", hex,
				    ie.msg);
	}
	*type = (enum tp_odb_type)t;
	*data = buf;
	*size = len;
	return 0;
}

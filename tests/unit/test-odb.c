/*
 * test-odb.c: the object reader (src/lib/odb.c) on real repositories that
 * each test builds with git in a temporary folder: loose objects, packs
 * (git gc), deep OFS_DELTA and REF_DELTA chains, several packs, a pack
 * written after opening, packs built here byte by byte, and damaged
 * files.  Every object read is compared with what `git cat-file --batch`
 * (the same output as `git cat-file -t` and `git cat-file <type>`) says.
 *
 * Isolation as in test-history.c: HOME is the temporary folder,
 * GIT_CONFIG_NOSYSTEM=1, fixed identity and dates (one tick per commit),
 * LC_ALL=C, TZ=UTC; the folder is removed at the end.  No test vector
 * file covers object storage, so there are no vector rows.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsv.h"

#include "inflate.h"
#include "odb.h"
#include "trepo.h"

#define CHECK_RC(rc, want, err) \
	CHECK((rc) == (want), "got %d, want %d: %s", (rc), (want), (err).msg)

/* After trepo's tick and newrepo: commits, and long delta chains. */
static const char lib_sh[] =
	"commit() {\n"
	"  tick\n"
	"  f=${2:-file.txt}\n"
	"  mkdir -p \"$(dirname \"$f\")\"\n"
	"  echo \"$n $1\" >> \"$f\"\n"
	"  git add -A\n"
	"  git commit -q -m \"$1\"\n"
	"}\n"
	/* versions FILE N: N commits of a 1,000-line file that grows by a
	 * line and changes one more line each time, so that each version is
	 * closest to the one before: material for long delta chains */
	"versions() {\n"
	"  v=1\n"
	"  while [ $v -le $2 ]; do\n"
	"    awk -v v=$v 'BEGIN { for (l = 1; l <= 1000 + v; l++)\n"
	"      if (l % 10 == 0 && l <= 10 * v)\n"
	"        print \"line\", l, \"changed\";\n"
	"      else print \"line\", l, \"of the file\" }' > \"$1\"\n"
	"    git add \"$1\"\n"
	"    tick\n"
	"    git commit -q -m \"version $v of $1\"\n"
	"    v=$((v + 1))\n"
	"  done\n"
	"}\n"
	/* a bit of everything: nested trees, an empty file, binary data,
	 * an annotated tag, a tag of a tag, a tag of a blob */
	"mixed() {\n"
	"  commit one\n"
	"  commit two dir/sub/deep.txt\n"
	"  : > empty\n"
	"  head -c 3000 /dev/zero | tr '\\0' '\\377' > bin\n"
	"  printf 'a\\0b\\0c' >> bin\n"
	"  git add -A\n"
	"  tick\n"
	"  git commit -q -m 'three: binary and empty'\n"
	"  tick\n"
	"  git tag -a -m 'release 1' v1\n"
	"  git tag -a -m 'tag of a tag' v1-again v1\n"
	"  git tag -a -m 'tag of a blob' blobtag HEAD:bin\n"
	"  commit four\n"
	"}\n";

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static struct tp_odb *
open_odb(const struct trepo *e, const char *repo)
{
	struct tp_buf path = TP_BUF_INIT;
	struct tp_odb *o = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	tp_buf_printf(&path, "%s/%s/.git/objects", e->root, repo);
	rc = tp_odb_open(&o, path.ptr, &err);
	CHECK(rc == 0 && o != NULL, "open %s: %d %s", path.ptr, rc, err.msg);
	tp_buf_release(&path);
	return o;
}

/* tp_odb_open() on `repo` must fail with TP_EGIT and `msg` in it. */
static void
open_fails(const struct trepo *e, const char *repo, const char *msg)
{
	struct tp_buf path = TP_BUF_INIT;
	struct tp_odb *o = NULL;
	struct tp_error err;
	int rc;

	tp_error_init(&err);
	tp_buf_printf(&path, "%s/%s/.git/objects", e->root, repo);
	rc = tp_odb_open(&o, path.ptr, &err);
	CHECK(rc == TP_EGIT && o == NULL && err.code == TP_EGIT,
	      "open %s: got %d, want TP_EGIT ('%s')", repo, rc, msg);
	CHECK(strstr(err.msg, msg) != NULL, "open %s: message '%s', want '%s'",
	      repo, err.msg, msg);
	tp_buf_release(&path);
}

static const char *const type_names[] = { "", "commit", "tree", "blob", "tag" };

static void
id_of(unsigned char id[20], const char *hex)
{
	CHECK(tp_odb_id_from_hex(id, hex, strlen(hex)) == 0, "bad id '%s'",
	      hex);
}

/* Reads `hex` and compares it with what git says. */
static void
check_object(struct tp_odb *o, const char *hex, const char *type,
	     const char *data, size_t size)
{
	unsigned char id[20], *got = NULL;
	enum tp_odb_type t;
	struct tp_error err;
	size_t len = 0;
	int rc;

	id_of(id, hex);
	tp_error_init(&err);
	rc = tp_odb_read(o, id, &t, &got, &len, &err);
	CHECK(rc == 0, "read %s (%s, %zu bytes): %d %s", hex, type, size, rc,
	      err.msg);
	CHECK(t >= TP_ODB_COMMIT && t <= TP_ODB_TAG &&
		      strcmp(type_names[t], type) == 0,
	      "%s: type %d, git says %s", hex, (int)t, type);
	CHECK(len == size, "%s: %zu bytes, git says %zu", hex, len, size);
	CHECK(memcmp(got, data, size) == 0, "%s (%s): other content", hex,
	      type);
	CHECK(got[size] == '\0', "%s: no NUL after the data", hex);
	free(got);
}

/*
 * One record of `git cat-file --batch` at *p: "<id> <type> <size>\n",
 * the content, "\n".  Returns 0 at the end.
 */
static int
next_record(const char **p, const char *end, char hex[41], char type[8],
	    const char **data, size_t *size)
{
	const char *nl;
	char line[128];
	size_t n;

	if (*p >= end)
		return 0;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	CHECK(nl != NULL && nl - *p < (long)sizeof(line), "bad batch output");
	n = (size_t)(nl - *p);
	memcpy(line, *p, n);
	line[n] = '\0';
	CHECK(sscanf(line, "%40s %7s %zu", hex, type, size) == 3,
	      "bad batch line '%s'", line);
	*data = nl + 1;
	CHECK(*size < (size_t)(end - *data), "batch output cut");
	*p = *data + *size + 1;
	return 1;
}

/*
 * Reads every object of `repo` (git cat-file --batch-all-objects) and
 * compares it; returns how many.  `reverse` reads them in the other
 * order (other cache hits).
 */
static size_t
check_all(const struct trepo *e, struct tp_odb *o, const char *repo,
	  int reverse)
{
	struct tp_buf out = TP_BUF_INIT;
	const char *p, *start, *end, *data, **recs = NULL;
	char hex[41], type[8];
	size_t size, n = 0, i;

	trepo_capture(&out, e,
		      "git -C '%s' cat-file --batch-all-objects --batch", repo);
	p = out.ptr;
	end = out.ptr + out.len;
	for (start = p; next_record(&p, end, hex, type, &data, &size);
	     start = p) {
		if (!reverse) {
			check_object(o, hex, type, data, size);
		} else {
			recs = realloc(recs, (n + 1) * sizeof(*recs));
			CHECK(recs != NULL, "out of memory");
			recs[n] = start;
		}
		n++;
	}
	for (i = n; reverse && i > 0; i--) {
		p = recs[i - 1];
		CHECK(next_record(&p, end, hex, type, &data, &size), "record");
		check_object(o, hex, type, data, size);
	}
	free(recs);
	tp_buf_release(&out);
	return n;
}

/* The number of lines `cmd` prints. */
static size_t
count_lines(const struct trepo *e, const char *cmd)
{
	struct tp_buf out = TP_BUF_INIT;
	size_t n = 0, i;

	trepo_capture(&out, e, "%s", cmd);
	for (i = 0; i < out.len; i++)
		n += out.ptr[i] == '\n';
	tp_buf_release(&out);
	return n;
}

/* Pack entry types (first byte of each entry) of every pack of `repo`. */
static void
entry_types(const struct trepo *e, const char *repo, size_t counts[8])
{
	struct tp_buf out = TP_BUF_INIT, path = TP_BUF_INIT;
	char *line, *save = NULL;
	unsigned long long off;
	unsigned char b;
	char name[256];
	int fd = -1;

	memset(counts, 0, 8 * sizeof(counts[0]));
	/* "<pack> <offset>" for every entry of every pack */
	trepo_capture(
		&out, e,
		"cd '%s/.git/objects/pack' && for i in *.idx; do "
		"git show-index < $i | sed \"s/^/${i%%.idx}.pack /\"; done",
		repo);
	for (line = out.ptr; *line != '\0'; line = save) {
		save = strchr(line, '\n');
		CHECK(save != NULL, "bad show-index output");
		*save++ = '\0';
		CHECK(sscanf(line, "%255s %llu", name, &off) == 2, "line '%s'",
		      line);
		tp_buf_clear(&path);
		tp_buf_printf(&path, "%s/%s/.git/objects/pack/%s", e->root,
			      repo, name);
		fd = open(path.ptr, O_RDONLY);
		CHECK(fd >= 0 && pread(fd, &b, 1, (off_t)off) == 1,
		      "cannot read %s", path.ptr);
		close(fd);
		counts[(b >> 4) & 7]++;
	}
	tp_buf_release(&out);
	tp_buf_release(&path);
}

/* "<offset> <id>" lines of the only pack of `repo`, sorted by offset. */
static void
pack_entries(struct tp_buf *out, const struct trepo *e, const char *repo)
{
	trepo_capture(
		out, e,
		"cd '%s/.git/objects/pack' && test $(ls *.idx | wc -l) = 1 && "
		"i=$(ls *.idx) && git show-index < $i | cut -d' ' -f1,2 | "
		"sort -n",
		repo);
}

/* The path of the only pack of `repo`. */
static void
pack_path(struct tp_buf *out, const struct trepo *e, const char *repo)
{
	struct tp_buf cmd = TP_BUF_INIT;
	char name[256];

	tp_buf_printf(&cmd, "ls '%s'/.git/objects/pack/*.pack", repo);
	trepo_line(name, sizeof(name), e, "%s", cmd.ptr);
	tp_buf_clear(out);
	tp_buf_printf(out, "%s/%s", e->root, name);
	tp_buf_release(&cmd);
}

static void
patch_file(const char *path, uint64_t off, const void *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);

	CHECK(fd >= 0, "cannot open %s", path);
	CHECK(pwrite(fd, bytes, n, (off_t)off) == (ssize_t)n, "cannot write %s",
	      path);
	close(fd);
}

static void
read_at(const char *path, uint64_t off, void *bytes, size_t n)
{
	int fd = open(path, O_RDONLY);

	CHECK(fd >= 0, "cannot open %s", path);
	CHECK(pread(fd, bytes, n, (off_t)off) == (ssize_t)n, "cannot read %s",
	      path);
	close(fd);
}

/* The length of a pack entry's type-and-size header. */
static size_t
entry_header_len(const char *pack, uint64_t off)
{
	unsigned char b[16];
	size_t i = 0;

	read_at(pack, off, b, sizeof(b));
	while (b[i] & 0x80)
		i++;
	return i + 1;
}

/* Reads `hex` and wants `code` with `msg` in the message. */
static void
read_fails(struct tp_odb *o, const char *hex, int code, const char *msg)
{
	unsigned char id[20], *data = (unsigned char *)"x";
	enum tp_odb_type t;
	struct tp_error err;
	size_t size;
	int rc;

	id_of(id, hex);
	tp_error_init(&err);
	rc = tp_odb_read(o, id, &t, &data, &size, &err);
	CHECK(rc == code && err.code == code,
	      "read %s: got %d, want %d ('%s'): %s", hex, rc, code, msg,
	      err.msg);
	CHECK(strstr(err.msg, msg) != NULL, "read %s: message '%s', want '%s'",
	      hex, err.msg, msg);
	CHECK(data == NULL, "read %s: data set on failure", hex);
}

/* A zlib stream of `len` bytes in one stored block. */
static size_t
zstored(unsigned char *z, const void *data, size_t len)
{
	uint32_t a = tp_adler32(1, data, len);

	CHECK(len < 65536, "too long");
	z[0] = 0x78;
	z[1] = 0x01;
	z[2] = 0x01;
	z[3] = (unsigned char)len;
	z[4] = (unsigned char)(len >> 8);
	z[5] = (unsigned char)~z[3];
	z[6] = (unsigned char)~z[4];
	memcpy(z + 7, data, len);
	z[7 + len] = (unsigned char)(a >> 24);
	z[8 + len] = (unsigned char)(a >> 16);
	z[9 + len] = (unsigned char)(a >> 8);
	z[10 + len] = (unsigned char)a;
	return len + 11;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	CHECK(fp != NULL, "cannot create %s", path);
	CHECK(len == 0 || fwrite(data, 1, len, fp) == len, "cannot write %s",
	      path);
	CHECK(fclose(fp) == 0, "cannot write %s", path);
}

/* ------------------------------------------------------------------ */
/* tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_id_from_hex(void **state)
{
	unsigned char id[20], want[20];
	unsigned i;

	(void)state;
	for (i = 0; i < 20; i++)
		want[i] = (unsigned char)(i * 13 + 1);
	assert_int_equal(
		tp_odb_id_from_hex(
			id, "010e1b2835424f5c697683909daab7c4d1deebf8", 40),
		0);
	assert_memory_equal(id, want, 20);
	assert_int_equal(
		tp_odb_id_from_hex(
			id, "010E1B2835424F5C697683909DAAB7C4D1DEEBF8", 40),
		0);
	assert_memory_equal(id, want, 20);
	memset(id, 0xaa, 20);
	assert_int_equal(
		tp_odb_id_from_hex(
			id, "010e1b2835424f5c697683909daab7c4d1deebf", 39),
		TP_EINVAL);
	assert_int_equal(
		tp_odb_id_from_hex(
			id, "010e1b2835424f5c697683909daab7c4d1deebf8a", 41),
		TP_EINVAL);
	assert_int_equal(
		tp_odb_id_from_hex(
			id, "010e1b2835424f5c697683909daab7c4d1deebfg", 40),
		TP_EINVAL);
	assert_int_equal(
		tp_odb_id_from_hex(
			id, "01 e1b2835424f5c697683909daab7c4d1deebf8", 40),
		TP_EINVAL);
	assert_int_equal(tp_odb_id_from_hex(id, NULL, 40), TP_EINVAL);
	/* a failure leaves the id alone */
	for (i = 0; i < 20; i++)
		CHECK(id[i] == 0xaa, "id changed at %u", i);
	tp_odb_free(NULL);
}

static void
test_loose_objects(void **state)
{
	const struct trepo *e = *state;
	struct tp_odb *o;
	size_t n;

	trepo_run(e, "newrepo loose && mixed && "
		     "seq 1 250000 | gzip -1 -n > big.bin && "
		     "seq 1 300000 > big.txt && git add -A && tick && "
		     "git commit -q -m big && "
		     "test $(ls .git/objects/pack | wc -l) = 0");
	o = open_odb(e, "loose");
	n = check_all(e, o, "loose", 0);
	/* 6 commits, 3 tags, trees and blobs */
	CHECK(n >= 20, "only %zu objects", n);
	tp_odb_free(o);
	/* the trailing '/' is fine */
	{
		struct tp_buf path = TP_BUF_INIT;
		struct tp_error err;
		int rc;

		tp_buf_printf(&path, "%s/loose/.git/objects//", e->root);
		tp_error_init(&err);
		rc = tp_odb_open(&o, path.ptr, &err);
		CHECK_RC(rc, 0, err);
		CHECK(check_all(e, o, "loose", 1) == n, "other count");
		tp_odb_free(o);
		tp_buf_release(&path);
	}
}

static void
test_packed(void **state)
{
	const struct trepo *e = *state;
	struct tp_odb *o;
	size_t n, loose;

	trepo_run(e, "newrepo packed && mixed && git gc -q && "
		     "test $(ls .git/objects/pack/*.pack | wc -l) = 1");
	loose = count_lines(e, "find packed/.git/objects -type f "
			       "-path '*/objects/[0-9a-f][0-9a-f]/*'");
	CHECK(loose == 0, "%zu loose objects left", loose);
	o = open_odb(e, "packed");
	n = check_all(e, o, "packed", 0);
	CHECK(n >= 15, "only %zu objects", n);
	/* again, backwards: from the cache or not, the same bytes */
	CHECK(check_all(e, o, "packed", 1) == n, "other count");
	tp_odb_free(o);
}

/* The longest delta chain of the packs of `repo`. */
static unsigned
longest_chain(const struct trepo *e, const char *repo)
{
	char line[64];
	struct tp_buf cmd = TP_BUF_INIT;

	tp_buf_printf(&cmd,
		      "cd '%s' && git verify-pack -v .git/objects/pack/*.idx | "
		      "sed -n 's/^chain length = \\([0-9]*\\):.*/\\1/p' | "
		      "sort -n | tail -1",
		      repo);
	trepo_line(line, sizeof(line), e, "%s", cmd.ptr);
	tp_buf_release(&cmd);
	return (unsigned)strtoul(line, NULL, 10);
}

static void
test_ofs_deltas(void **state)
{
	const struct trepo *e = *state;
	size_t counts[8], n;
	struct tp_odb *o;
	unsigned depth;

	trepo_run(
		e,
		"newrepo ofs && versions a.txt 90 && versions b.txt 30 && "
		"git repack -q -adf --depth=50 --window=50 && "
		"git prune-packed");
	entry_types(e, "ofs", counts);
	CHECK(counts[6] >= 80 && counts[7] == 0,
	      "%zu OFS_DELTA, %zu REF_DELTA entries", counts[6], counts[7]);
	depth = longest_chain(e, "ofs");
	CHECK(depth >= 40, "longest chain %u", depth);
	o = open_odb(e, "ofs");
	n = check_all(e, o, "ofs", 0);
	CHECK(n == counts[1] + counts[2] + counts[3] + counts[4] + counts[6],
	      "%zu objects read", n);
	CHECK(check_all(e, o, "ofs", 1) == n, "other count");
	tp_odb_free(o);
}

static void
test_ref_deltas(void **state)
{
	const struct trepo *e = *state;
	size_t counts[8], n;
	struct tp_odb *o;
	unsigned depth;

	trepo_run(e,
		  "newrepo ref && versions a.txt 80 && "
		  "git -c repack.useDeltaBaseOffset=false "
		  "repack -q -adf --depth=50 --window=50 && git prune-packed");
	entry_types(e, "ref", counts);
	CHECK(counts[7] >= 60 && counts[6] == 0,
	      "%zu OFS_DELTA, %zu REF_DELTA entries", counts[6], counts[7]);
	depth = longest_chain(e, "ref");
	CHECK(depth >= 30, "longest chain %u", depth);
	o = open_odb(e, "ref");
	n = check_all(e, o, "ref", 1);
	CHECK(n == counts[1] + counts[2] + counts[3] + counts[4] + counts[7],
	      "%zu objects read", n);
	CHECK(check_all(e, o, "ref", 0) == n, "other count");
	tp_odb_free(o);
}

static void
test_two_packs_and_loose(void **state)
{
	const struct trepo *e = *state;
	struct tp_odb *o;
	size_t n;

	trepo_run(e, "newrepo two && versions a.txt 10 && git repack -q -d && "
		     "versions b.txt 12 && commit more && git repack -q -d && "
		     "commit loose-one && commit loose-two && "
		     "test $(ls .git/objects/pack/*.pack | wc -l) = 2");
	CHECK(count_lines(e, "find two/.git/objects -type f "
			     "-path '*/objects/[0-9a-f][0-9a-f]/*'") >= 6,
	      "no loose objects");
	o = open_odb(e, "two");
	n = check_all(e, o, "two", 0);
	CHECK(n >= 40, "only %zu objects", n);
	CHECK(check_all(e, o, "two", 1) == n, "other count");
	tp_odb_free(o);
}

static void
test_pack_written_after_open(void **state)
{
	const struct trepo *e = *state;
	char head[64], old[64], hex[64];
	struct tp_buf path = TP_BUF_INIT;
	struct tp_odb *o;
	struct stat st;

	trepo_run(e, "newrepo later && commit one && git repack -q -d");
	trepo_line(old, sizeof(old), e, "%s", "git -C later rev-parse HEAD");
	o = open_odb(e, "later");
	check_all(e, o, "later", 0);

	/* new objects go into a new pack, and their loose files go away */
	trepo_run(e, "cd later && commit two && commit three && "
		     "git repack -q -d && git prune-packed");
	trepo_line(head, sizeof(head), e, "%s", "git -C later rev-parse HEAD");
	tp_buf_printf(&path, "%s/later/.git/objects/%.2s/%s", e->root, head,
		      head + 2);
	CHECK(stat(path.ptr, &st) != 0, "%s is still loose", head);
	check_all(e, o, "later", 0);

	/* all packs replaced by one: the old files are gone, not needed */
	trepo_run(e, "cd later && commit four && git repack -q -adf && "
		     "git prune-packed");
	check_all(e, o, "later", 1);
	tp_odb_free(o);

	/* nothing new: not found, after looking again */
	o = open_odb(e, "later");
	snprintf(hex, sizeof(hex), "%s", old);
	hex[0] = hex[0] == '0' ? '1' : '0';
	read_fails(o, hex, TP_ENOTFOUND, "not found");
	{
		char want[128];

		snprintf(want, sizeof(want), "object '%s' not found", hex);
		read_fails(o, hex, TP_ENOTFOUND, want);
	}
	tp_odb_free(o);
	tp_buf_release(&path);
}

static void
test_not_found(void **state)
{
	const struct trepo *e = *state;
	struct tp_odb *o;

	/* an empty repository, and then one without objects/pack at all */
	trepo_run(e, "newrepo empty");
	o = open_odb(e, "empty");
	read_fails(o, "0123456789abcdef0123456789abcdef01234567", TP_ENOTFOUND,
		   "object '0123456789abcdef0123456789abcdef01234567' not "
		   "found");
	tp_odb_free(o);
	trepo_run(e, "rm -rf empty/.git/objects/pack empty/.git/objects/info");
	o = open_odb(e, "empty");
	read_fails(o, "ffffffffffffffffffffffffffffffffffffffff", TP_ENOTFOUND,
		   "not found");
	tp_odb_free(o);

	/* a packed repository: ids before, between and after its ids */
	trepo_run(e, "newrepo nf && versions a.txt 20 && git gc -q");
	o = open_odb(e, "nf");
	read_fails(o, "0000000000000000000000000000000000000000", TP_ENOTFOUND,
		   "not found");
	read_fails(o, "ffffffffffffffffffffffffffffffffffffffff", TP_ENOTFOUND,
		   "not found");
	read_fails(o, "8000000000000000000000000000000000000000", TP_ENOTFOUND,
		   "not found");
	tp_odb_free(o);
}

static void
test_big_pack_lookups(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf out = TP_BUF_INIT;
	unsigned char id[20], *data;
	enum tp_odb_type t;
	struct tp_error err;
	struct tp_odb *o;
	char *line, *next;
	size_t size, n = 0;
	int rc;

	/*
	 * 20,000 blobs in one pack: ~80 ids per fanout bucket, more than
	 * one read window, so the interpolation search really searches.
	 */
	trepo_run(e, "newrepo many && mkdir d && "
		     "awk 'BEGIN { for (i = 0; i < 20000; i++) "
		     "print \"blob\\nmark :\" i + 1 \"\\ndata <<E\\nblob \" i "
		     "\"\\nE\\n\" }' | git fast-import --quiet && "
		     "test $(ls .git/objects/pack/*.pack | wc -l) = 1");
	trepo_capture(&out, e,
		      "git -C many cat-file --batch-all-objects "
		      "--batch-check='%%(objectname)'");
	o = open_odb(e, "many");
	for (line = out.ptr; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		CHECK(next != NULL, "bad output");
		*next++ = '\0';
		id_of(id, line);
		tp_error_init(&err);
		rc = tp_odb_read(o, id, &t, &data, &size, &err);
		CHECK_RC(rc, 0, err);
		CHECK(t == TP_ODB_BLOB && size >= 7 &&
			      memcmp(data, "blob ", 5) == 0,
		      "%s: %d %zu", line, (int)t, size);
		free(data);
		/* the id next to it (last bit flipped) is not there */
		id[19] ^= 1;
		rc = tp_odb_read(o, id, &t, &data, &size, &err);
		id[19] ^= 1;
		if (rc == TP_ENOTFOUND)
			n++;
		else
			CHECK_RC(rc, 0, err);
		if (rc == 0)
			free(data);
	}
	CHECK(n > 19000, "%zu neighbours not found", n);
	tp_odb_free(o);
	tp_buf_release(&out);
}

static void
test_alternates(void **state)
{
	const struct trepo *e = *state;

	trepo_run(e, "newrepo altsrc && commit one && cd .. && "
		     "git clone -q -s altsrc alt && "
		     "test -f alt/.git/objects/info/alternates");
	open_fails(e, "alt",
		   "/alt/.git/objects/info/alternates' is not supported");
}

static void
test_open_errors(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf path = TP_BUF_INIT;
	struct tp_odb *o = (struct tp_odb *)&path;
	struct tp_error err;
	int rc;

	tp_buf_printf(&path, "%s/no-such-folder/objects", e->root);
	tp_error_init(&err);
	rc = tp_odb_open(&o, path.ptr, &err);
	CHECK(rc == TP_EGIT && o == NULL, "missing folder: %d", rc);
	CHECK(strstr(err.msg, "cannot read '") != NULL &&
		      strstr(err.msg, "/no-such-folder/objects': ") != NULL,
	      "message: %s", err.msg);
	tp_buf_clear(&path);
	tp_buf_printf(&path, "%s/lib.sh", e->root);
	tp_error_init(&err);
	rc = tp_odb_open(&o, path.ptr, &err);
	CHECK(rc == TP_EGIT && strstr(err.msg, "lib.sh' is not a folder"),
	      "a file: %d %s", rc, err.msg);

	/* index version 1 */
	trepo_run(e, "newrepo v1 && commit one && git gc -q && "
		     "cd .git/objects/pack && p=$(ls *.pack) && rm -f *.idx && "
		     "git index-pack --index-version=1 $p >/dev/null");
	open_fails(e, "v1", "has version 1, which is not supported");

	/* an index too short, too long, or cut in its header */
	trepo_run(e, "newrepo cut && commit one && git gc -q && "
		     "cp -r .git/objects ../cut-objects && "
		     "cd .git/objects/pack && i=$(ls *.idx) && chmod u+w $i && "
		     "truncate -s -8 $i");
	open_fails(e, "cut", "has a size that does not match its");
	trepo_run(e, "cd cut/.git/objects/pack && i=$(ls *.idx) && "
		     "truncate -s +12 $i");
	open_fails(e, "cut", "has a size that does not match its");
	trepo_run(e, "cd cut/.git/objects/pack && i=$(ls *.idx) && "
		     "truncate -s 100 $i");
	open_fails(e, "cut", "is too small");
	/* a fanout table that goes down */
	trepo_run(e, "rm -rf cut/.git/objects && cp -r cut-objects "
		     "cut/.git/objects && cd cut/.git/objects/pack && "
		     "i=$(ls *.idx) && chmod u+w $i && "
		     "printf '\\377\\377\\377\\377' | "
		     "dd of=$i bs=1 seek=8 conv=notrunc 2>/dev/null");
	open_fails(e, "cut", "has a corrupt fanout table");
	/* an unknown index version */
	trepo_run(e, "rm -rf cut/.git/objects && cp -r cut-objects "
		     "cut/.git/objects && cd cut/.git/objects/pack && "
		     "i=$(ls *.idx) && chmod u+w $i && printf '\\0\\0\\0\\3' | "
		     "dd of=$i bs=1 seek=4 conv=notrunc 2>/dev/null");
	open_fails(e, "cut", "has unsupported version 3");

	/* a pack whose trailer, count or magic is not right */
	trepo_run(e, "rm -rf cut/.git/objects && cp -r cut-objects "
		     "cut/.git/objects && chmod u+w cut/.git/objects/pack/*");
	{
		struct tp_buf pack = TP_BUF_INIT;
		struct stat st;
		unsigned char b;

		pack_path(&pack, e, "cut");
		CHECK(stat(pack.ptr, &st) == 0, "no pack");
		read_at(pack.ptr, (uint64_t)st.st_size - 1, &b, 1);
		b ^= 1;
		patch_file(pack.ptr, (uint64_t)st.st_size - 1, &b, 1);
		tp_buf_release(&pack);
	}
	open_fails(e, "cut", "does not match its index (checksum)");
	trepo_run(e,
		  "rm -rf cut/.git/objects && cp -r cut-objects "
		  "cut/.git/objects && cd cut/.git/objects/pack && "
		  "p=$(ls *.pack) && chmod u+w $p && "
		  "printf '\\0\\0\\1\\0' | dd of=$p bs=1 seek=8 conv=notrunc "
		  "2>/dev/null");
	open_fails(e, "cut", "objects but its index lists");
	trepo_run(
		e,
		"rm -rf cut/.git/objects && cp -r cut-objects "
		"cut/.git/objects && cd cut/.git/objects/pack && "
		"p=$(ls *.pack) && chmod u+w $p && "
		"printf 'KCAP' | "
		"dd of=$p bs=1 seek=0 conv=notrunc 2>/dev/null");
	open_fails(e, "cut", "has a bad header");
	trepo_run(e, "rm -rf cut/.git/objects && cp -r cut-objects "
		     "cut/.git/objects && cd cut/.git/objects/pack && "
		     "p=$(ls *.pack) && chmod u+w $p && truncate -s 20 $p");
	open_fails(e, "cut", "is too small");

	/* an index without its pack is skipped, as git does */
	trepo_run(e, "rm -rf cut/.git/objects && cp -r cut-objects "
		     "cut/.git/objects && rm cut/.git/objects/pack/*.pack");
	o = open_odb(e, "cut");
	{
		char head[64];

		trepo_line(head, sizeof(head), e, "%s",
			   "git -C cut rev-parse HEAD");
		read_fails(o, head, TP_ENOTFOUND, "not found");
	}
	tp_odb_free(o);
	tp_buf_release(&path);
}

static void
test_crafted_loose_objects(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		const char *msg;
	} bad[] = {
		{ "blob 5\0hello!", 13, "data longer than its size" },
		{ "blob 7\0hello", 12, "data shorter than its size" },
		{ "blub 5\0hello", 12, "bad header" },
		{ "blob5\0hello", 11, "bad header" },
		{ "blob \0", 6, "bad header" },
		{ "blob 5 \0hello", 13, "bad header" },
		{ "blob 5hello", 11, "bad header" },
		{ "commit 99999999999999999999\0", 28, "bad header" },
		{ "blob 100000000\0x", 16,
		  "size larger than its data can hold" },
		{ "", 0, "bad header" },
	};
	const struct trepo *e = *state;
	const char *hex = "1234567890abcdef1234567890abcdef12345678";
	unsigned char z[256], id[20], *data;
	struct tp_buf path = TP_BUF_INIT;
	enum tp_odb_type t;
	struct tp_error err;
	struct tp_odb *o;
	size_t zlen, size, i;
	int rc;

	trepo_run(e, "newrepo crafted && mkdir -p .git/objects/12");
	tp_buf_printf(&path, "%s/crafted/.git/objects/12/%s", e->root, hex + 2);
	o = open_odb(e, "crafted");
	id_of(id, hex);

	/* a stored block written here reads back (the id is not checked) */
	zlen = zstored(z, "tag 3\0abc", 9);
	write_file(path.ptr, z, zlen);
	tp_error_init(&err);
	rc = tp_odb_read(o, id, &t, &data, &size, &err);
	CHECK_RC(rc, 0, err);
	CHECK(t == TP_ODB_TAG && size == 3 && memcmp(data, "abc", 4) == 0,
	      "crafted tag: %d %zu", (int)t, size);
	free(data);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		zlen = zstored(z, bad[i].body, bad[i].len);
		write_file(path.ptr, z, zlen);
		read_fails(o, hex, TP_EGIT, bad[i].msg);
		read_fails(o, hex, TP_EGIT, "corrupt loose object '");
	}
	/* bytes after the stream */
	zlen = zstored(z, "blob 1\0x", 8);
	memcpy(z + zlen, "junk", 4);
	write_file(path.ptr, z, zlen + 4);
	read_fails(o, hex, TP_EGIT, "garbage after the data");
	/* an empty file, and one cut short */
	write_file(path.ptr, z, 0);
	read_fails(o, hex, TP_EGIT, "zlib stream is truncated");
	write_file(path.ptr, z, zlen - 1);
	read_fails(o, hex, TP_EGIT, "zlib stream is truncated");
	/* not zlib at all */
	write_file(path.ptr, "blob 1\0x", 8);
	read_fails(o, hex, TP_EGIT, "corrupt zlib data: ");
	tp_odb_free(o);
	tp_buf_release(&path);
}

static void
test_corrupt_loose_object(void **state)
{
	const struct trepo *e = *state;
	char hex[64];
	struct tp_buf path = TP_BUF_INIT;
	struct tp_odb *o;
	unsigned char b;
	struct stat st;

	trepo_run(e, "newrepo badloose && seq 1 5000 > f && git add f && "
		     "tick && git commit -q -m f");
	trepo_line(hex, sizeof(hex), e, "%s",
		   "git -C badloose rev-parse HEAD:f");
	tp_buf_printf(&path, "%s/badloose/.git/objects/%.2s/%s", e->root, hex,
		      hex + 2);
	CHECK(stat(path.ptr, &st) == 0 && st.st_size > 100, "no loose blob");
	trepo_run(e, "chmod u+w badloose/.git/objects/[0-9a-f][0-9a-f]/*");
	o = open_odb(e, "badloose");
	check_all(e, o, "badloose", 0);
	read_at(path.ptr, (uint64_t)st.st_size / 2, &b, 1);
	b ^= 0x10;
	patch_file(path.ptr, (uint64_t)st.st_size / 2, &b, 1);
	read_fails(o, hex, TP_EGIT, "corrupt loose object '");
	read_fails(o, hex, TP_EGIT, "badloose/.git/objects/");
	tp_odb_free(o);
	tp_buf_release(&path);
}

/* The first entry of `entries` ("<offset> <id>" lines) whose type is `type`. */
static void
find_entry(const struct tp_buf *entries, const char *pack, int type,
	   size_t min_size, uint64_t *off, char hex[41])
{
	const char *p = entries->ptr;
	unsigned long long o;
	unsigned char b[16];
	uint64_t size;
	unsigned shift;
	size_t i;

	while (*p != '\0') {
		CHECK(sscanf(p, "%llu %40s", &o, hex) == 2, "bad entry line");
		read_at(pack, o, b, sizeof(b));
		size = b[0] & 15;
		shift = 4;
		for (i = 0; b[i] & 0x80; i++, shift += 7)
			size |= (uint64_t)(b[i + 1] & 0x7f) << shift;
		if (((b[0] >> 4) & 7) == type && size >= min_size) {
			*off = o;
			return;
		}
		p = strchr(p, '\n');
		CHECK(p != NULL, "bad entries");
		p++;
	}
	fail_msg("no entry of type %d and size %zu", type, min_size);
}

static void
test_corrupt_pack_entries(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf entries = TP_BUF_INIT, pack = TP_BUF_INIT;
	unsigned char save[32], b[32];
	char hex[41], other[41];
	struct tp_odb *o;
	uint64_t off;
	size_t h;

	/* OFS_DELTA pack: damaged zlib data, unknown types, bad offsets */
	trepo_run(e, "newrepo badpack && versions a.txt 20 && "
		     "git repack -q -adf && git prune-packed && "
		     "chmod u+w .git/objects/pack/*");
	pack_entries(&entries, e, "badpack");
	pack_path(&pack, e, "badpack");
	/* a whole blob: a byte of its zlib data flipped */
	find_entry(&entries, pack.ptr, 3, 1000, &off, hex);
	h = entry_header_len(pack.ptr, off);
	read_at(pack.ptr, off + h + 40, save, 1);
	b[0] = save[0] ^ 0x55;
	patch_file(pack.ptr, off + h + 40, b, 1);
	o = open_odb(e, "badpack");
	read_fails(o, hex, TP_EGIT, "corrupt entry at offset ");
	read_fails(o, hex, TP_EGIT, "corrupt zlib data");
	tp_odb_free(o);
	patch_file(pack.ptr, off + h + 40, save, 1);
	/* type 5 (reserved) and type 0 */
	read_at(pack.ptr, off, save, 1);
	b[0] = (unsigned char)((save[0] & 0x8f) | 0x50);
	patch_file(pack.ptr, off, b, 1);
	o = open_odb(e, "badpack");
	read_fails(o, hex, TP_EGIT, "unknown object type");
	tp_odb_free(o);
	b[0] = (unsigned char)(save[0] & 0x8f);
	patch_file(pack.ptr, off, b, 1);
	o = open_odb(e, "badpack");
	read_fails(o, hex, TP_EGIT, "unknown object type");
	tp_odb_free(o);
	patch_file(pack.ptr, off, save, 1);
	/* a size one off in its low bits: the data is longer or shorter */
	b[0] = (unsigned char)((save[0] & 15) > 0 ? save[0] - 1 : save[0] + 1);
	patch_file(pack.ptr, off, b, 1);
	o = open_odb(e, "badpack");
	read_fails(o, hex, TP_EGIT,
		   (save[0] & 15) > 0 ? "data longer than its size"
				      : "data shorter than its size");
	tp_odb_free(o);
	patch_file(pack.ptr, off, save, 1);
	/* a delta whose base would be 2,113,663 bytes back */
	find_entry(&entries, pack.ptr, 6, 0, &off, hex);
	h = entry_header_len(pack.ptr, off);
	CHECK(off < 2113663, "pack too large for the test");
	read_at(pack.ptr, off + h, save, 3);
	memcpy(b, "\xff\xff\x7f", 3);
	patch_file(pack.ptr, off + h, b, 3);
	o = open_odb(e, "badpack");
	read_fails(o, hex, TP_EGIT, "base offset outside the pack");
	tp_odb_free(o);
	patch_file(pack.ptr, off + h, save, 3);
	/* ... and past it, when the offset's bytes say "more" forever */
	read_at(pack.ptr, off + h, save, 12);
	memset(b, 0xff, 12);
	patch_file(pack.ptr, off + h, b, 12);
	o = open_odb(e, "badpack");
	read_fails(o, hex, TP_EGIT, "bad base offset");
	tp_odb_free(o);
	patch_file(pack.ptr, off + h, save, 12);
	o = open_odb(e, "badpack");
	check_all(e, o, "badpack", 0);
	tp_odb_free(o);

	/* REF_DELTA pack: a base that is missing, a base that is itself */
	trepo_run(e, "newrepo badref && versions a.txt 20 && "
		     "git -c repack.useDeltaBaseOffset=false repack -q -adf && "
		     "git prune-packed && chmod u+w .git/objects/pack/*");
	pack_entries(&entries, e, "badref");
	pack_path(&pack, e, "badref");
	find_entry(&entries, pack.ptr, 7, 0, &off, hex);
	h = entry_header_len(pack.ptr, off);
	read_at(pack.ptr, off + h, save, 20);
	memset(b, 0x42, 20);
	patch_file(pack.ptr, off + h, b, 20);
	o = open_odb(e, "badref");
	read_fails(o, hex, TP_EGIT,
		   "delta base '4242424242424242424242424242424242424242"
		   "' of the entry at offset ");
	read_fails(o, hex, TP_EGIT, "is missing");
	tp_odb_free(o);
	id_of(b, hex);
	patch_file(pack.ptr, off + h, b, 20);
	o = open_odb(e, "badref");
	read_fails(o, hex, TP_EGIT, "delta chain too deep or looping");
	tp_odb_free(o);
	/* two entries each the other's base */
	{
		uint64_t off2;
		size_t h2;
		unsigned char save2[20];
		const char *p = strstr(entries.ptr, hex);

		/* the next REF_DELTA entry after this one */
		CHECK(p != NULL, "entry");
		p = strchr(p, '\n') + 1;
		{
			struct tp_buf rest = TP_BUF_INIT;

			tp_buf_puts(&rest, p);
			find_entry(&rest, pack.ptr, 7, 0, &off2, other);
			tp_buf_release(&rest);
		}
		h2 = entry_header_len(pack.ptr, off2);
		read_at(pack.ptr, off2 + h2, save2, 20);
		id_of(b, other);
		patch_file(pack.ptr, off + h, b, 20);
		id_of(b, hex);
		patch_file(pack.ptr, off2 + h2, b, 20);
		o = open_odb(e, "badref");
		read_fails(o, hex, TP_EGIT, "delta chain too deep or looping");
		read_fails(o, other, TP_EGIT, "too deep or looping");
		tp_odb_free(o);
		patch_file(pack.ptr, off2 + h2, save2, 20);
	}
	patch_file(pack.ptr, off + h, save, 20);
	o = open_odb(e, "badref");
	check_all(e, o, "badref", 1);
	tp_odb_free(o);
	tp_buf_release(&entries);
	tp_buf_release(&pack);
}

/* xorshift64: the same damage on every run */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Flips bytes of a pack (between its header and trailer, so that it still
 * opens) many times and reads every object each time: each read gives the
 * right object or TP_EGIT, never anything else, never a crash (ASan).
 */
static void
test_damaged_pack(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf pack = TP_BUF_INIT, out = TP_BUF_INIT;
	const char *p, *end, *data;
	char hexes[400][41], type[8];
	const char *datas[400];
	size_t sizes[400];
	unsigned char *buf, saved[4], x, id[20];
	uint64_t seed = 99, pos[4], psize;
	size_t n = 0, i, k, nflip, oks = 0, errs = 0, size;
	enum tp_odb_type t;
	struct tp_error err;
	struct tp_odb *o;
	struct stat st;
	int it, rc;

	trepo_run(e, "newrepo fuzz && versions a.txt 25 && commit x && "
		     "git repack -q -adf --depth=20 && git prune-packed && "
		     "chmod u+w .git/objects/pack/*");
	pack_path(&pack, e, "fuzz");
	CHECK(stat(pack.ptr, &st) == 0, "no pack");
	psize = (uint64_t)st.st_size;
	trepo_capture(&out, e,
		      "git -C fuzz cat-file --batch-all-objects --batch");
	p = out.ptr;
	end = out.ptr + out.len;
	while (n < 400 && next_record(&p, end, hexes[n], type, &data, &size)) {
		datas[n] = data;
		sizes[n] = size;
		n++;
	}
	CHECK(n > 50 && n < 400, "%zu objects", n);
	for (it = 0; it < 300; it++) {
		nflip = 1 + rnd(&seed) % 4;
		for (k = 0; k < nflip; k++) {
			pos[k] = 12 + rnd(&seed) % (psize - 32);
			read_at(pack.ptr, pos[k], &saved[k], 1);
			x = (unsigned char)(rnd(&seed) % 2
						    ? 1u << (rnd(&seed) % 8)
						    : rnd(&seed));
			x = (unsigned char)(saved[k] ^ (x ? x : 1));
			patch_file(pack.ptr, pos[k], &x, 1);
		}
		o = open_odb(e, "fuzz");
		for (i = 0; i < n; i++) {
			id_of(id, hexes[i]);
			tp_error_init(&err);
			rc = tp_odb_read(o, id, &t, &buf, &size, &err);
			if (rc == 0) {
				CHECK(size == sizes[i] &&
					      memcmp(buf, datas[i], size) == 0,
				      "#%d: %s read with other content", it,
				      hexes[i]);
				free(buf);
				oks++;
			} else {
				CHECK(rc == TP_EGIT, "#%d: %s: %d %s", it,
				      hexes[i], rc, err.msg);
				errs++;
			}
		}
		tp_odb_free(o);
		/* undone in reverse: two flips may hit one byte */
		for (k = nflip; k > 0; k--)
			patch_file(pack.ptr, pos[k - 1], &saved[k - 1], 1);
	}
	CHECK(errs > 300, "only %zu errors (%zu reads fine)", errs, oks);
	o = open_odb(e, "fuzz");
	check_all(e, o, "fuzz", 0);
	tp_odb_free(o);
	tp_buf_release(&pack);
	tp_buf_release(&out);
}

/* ------------------------------------------------------------------ */
/* packs built here                                                    */
/* ------------------------------------------------------------------ */

/* Appends a pack entry header: type and size. */
static void
put_entry_header(struct tp_buf *b, int type, size_t size)
{
	unsigned char c = (unsigned char)(type << 4 | (size & 15));

	size >>= 4;
	while (size > 0) {
		tp_buf_putc(b, c | 0x80);
		c = size & 0x7f;
		size >>= 7;
	}
	tp_buf_putc(b, c);
}

/*
 * A fixed-Huffman zlib stream of `len` bytes, all literals: bytes from
 * 144 up take nine bits, so the stream is 1/8 larger than the data, more
 * than the reader's first guess.
 */
static void
put_fixed_stream(struct tp_buf *b, const unsigned char *data, size_t len)
{
	uint32_t acc = 0, a = tp_adler32(1, data, len);
	unsigned n = 0, code, bits, i;
	size_t k;

	tp_buf_put(b, "\x78\x01", 2);
	acc = 1 | 1 << 1; /* last block, fixed */
	n = 3;
	for (k = 0; k <= len; k++) {
		if (k == len) {
			code = 0;
			bits = 7; /* end of block */
		} else if (data[k] < 144) {
			code = 0x30 + data[k];
			bits = 8;
		} else {
			code = 0x190 + data[k] - 144;
			bits = 9;
		}
		for (i = bits; i > 0; i--) {
			acc |= ((code >> (i - 1)) & 1u) << n;
			if (++n == 8) {
				tp_buf_putc(b, (int)(acc & 0xff));
				acc = 0;
				n = 0;
			}
		}
	}
	if (n > 0)
		tp_buf_putc(b, (int)(acc & 0xff));
	tp_buf_putc(b, (int)(a >> 24));
	tp_buf_putc(b, (int)(a >> 16 & 0xff));
	tp_buf_putc(b, (int)(a >> 8 & 0xff));
	tp_buf_putc(b, (int)(a & 0xff));
}

static void
test_crafted_pack(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf pack = TP_BUF_INIT, path = TP_BUF_INIT;
	unsigned char data[30000], z[128], delta[64], sum[20];
	char line[128];
	uint64_t seed = 5;
	size_t zlen, i, first;
	struct tp_odb *o;

	/*
	 * Three entries: a 30,000-byte blob in a stream 1/8 larger than
	 * itself (more than the reader reads first), a small blob in a
	 * stored block, and an OFS_DELTA on it that copies and inserts.
	 */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(144 + rnd(&seed) % 112);
	tp_buf_put(&pack, "PACK\0\0\0\2\0\0\0\3", 12);
	put_entry_header(&pack, 3, sizeof(data));
	put_fixed_stream(&pack, data, sizeof(data));
	CHECK(pack.len > 12 + sizeof(data) + sizeof(data) / 16 + 64 + 5,
	      "stream not large enough: %zu", pack.len);
	first = pack.len;
	put_entry_header(&pack, 3, 11);
	zlen = zstored(z, "hello world", 11);
	tp_buf_put(&pack, z, zlen);
	/* base 11 bytes, target 16: copy 0+5 "hello", insert ", new", copy
	 * 5+6 " world" */
	i = 0;
	delta[i++] = 11;
	delta[i++] = 16;
	delta[i++] = 0x80 | 0x10; /* copy, size byte only: offset 0 */
	delta[i++] = 5;
	delta[i++] = 5;
	memcpy(delta + i, ", new", 5);
	i += 5;
	delta[i++] = 0x80 | 0x01 | 0x10;
	delta[i++] = 5;
	delta[i++] = 6;
	CHECK(i == 13, "delta length %zu", i);
	{
		size_t at = pack.len, back;

		put_entry_header(&pack, 6, i);
		back = at - first;
		CHECK(back < 128, "offset");
		tp_buf_putc(&pack, (int)back);
	}
	zlen = zstored(z, delta, i);
	tp_buf_put(&pack, z, zlen);

	trepo_run(e, "newrepo crafted-pack");
	tp_buf_printf(&path, "%s/crafted-pack/p.pack", e->root);
	write_file(path.ptr, pack.ptr, pack.len);
	trepo_line(line, sizeof(line), e, "%s",
		   "sha1sum crafted-pack/p.pack | cut -c1-40");
	id_of(sum, line);
	tp_buf_put(&pack, sum, 20);
	write_file(path.ptr, pack.ptr, pack.len);
	trepo_run(e,
		  "cd crafted-pack && "
		  "git index-pack -o .git/objects/pack/pack-$(sha1sum p.pack "
		  "| cut -c1-40).idx p.pack >/dev/null && "
		  "mv p.pack .git/objects/pack/pack-$(sha1sum p.pack "
		  "| cut -c1-40).pack");
	o = open_odb(e, "crafted-pack");
	CHECK(check_all(e, o, "crafted-pack", 0) == 3, "three objects");
	tp_odb_free(o);
	tp_buf_release(&pack);
	tp_buf_release(&path);
}

/* ------------------------------------------------------------------ */
/* packs and indexes written here, with ids chosen by the test         */
/* ------------------------------------------------------------------ */

/* Appends a zlib stream of stored blocks (any length). */
static void
put_zstored(struct tp_buf *b, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t a = tp_adler32(1, p, len);
	size_t n;

	tp_buf_put(b, "\x78\x01", 2);
	do {
		n = len < 65535 ? len : 65535;
		tp_buf_putc(b, n == len ? 1 : 0);
		tp_buf_putc(b, (int)(n & 0xff));
		tp_buf_putc(b, (int)(n >> 8));
		tp_buf_putc(b, (int)(~n & 0xff));
		tp_buf_putc(b, (int)(~n >> 8 & 0xff));
		tp_buf_put(b, p, n);
		p += n;
		len -= n;
	} while (len > 0);
	tp_buf_putc(b, (int)(a >> 24));
	tp_buf_putc(b, (int)(a >> 16 & 0xff));
	tp_buf_putc(b, (int)(a >> 8 & 0xff));
	tp_buf_putc(b, (int)(a & 0xff));
}

/* An OFS_DELTA's distance back to its base. */
static void
put_ofs(struct tp_buf *b, uint64_t ofs)
{
	unsigned char buf[10];
	size_t i = sizeof(buf) - 1;

	buf[i] = (unsigned char)(ofs & 0x7f);
	while ((ofs >>= 7) > 0) {
		ofs--;
		buf[--i] = (unsigned char)(0x80 | (ofs & 0x7f));
	}
	tp_buf_put(b, buf + i, sizeof(buf) - i);
}

/* A delta size varint. */
static void
put_varint(struct tp_buf *b, uint64_t v)
{
	while (v >= 0x80) {
		tp_buf_putc(b, (int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	tp_buf_putc(b, (int)v);
}

/* One index entry: where an id is, and how the index says it. */
struct fake {
	unsigned char id[20];
	uint64_t off;
	int large; /* in the 64-bit table; 2: a bad reference into it */
};

static int
fake_cmp(const void *a, const void *b)
{
	return memcmp(((const struct fake *)a)->id,
		      ((const struct fake *)b)->id, 20);
}

static void
put_be32(struct tp_buf *b, uint32_t v)
{
	tp_buf_putc(b, (int)(v >> 24));
	tp_buf_putc(b, (int)(v >> 16 & 0xff));
	tp_buf_putc(b, (int)(v >> 8 & 0xff));
	tp_buf_putc(b, (int)(v & 0xff));
}

/*
 * Writes objects/pack/pack-<name>.pack (`body`: header and entries, then a
 * trailer of twenty 0x5a bytes: only its copy in the index is checked)
 * and a version-2 index listing the `n` ids of `f` (sorted here).
 */
static void
write_fake_pack(const struct trepo *e, const char *repo, const char *name,
		const struct tp_buf *body, struct fake *f, size_t n)
{
	struct tp_buf idx = TP_BUF_INIT, path = TP_BUF_INIT;
	unsigned char trailer[20];
	uint32_t count[256] = { 0 }, sum = 0, nlarge = 0;
	size_t i;

	memset(trailer, 0x5a, 20);
	qsort(f, n, sizeof(*f), fake_cmp);
	tp_buf_put(&idx, "\377tOc\0\0\0\2", 8);
	for (i = 0; i < n; i++)
		count[f[i].id[0]]++;
	for (i = 0; i < 256; i++) {
		sum += count[i];
		put_be32(&idx, sum);
	}
	for (i = 0; i < n; i++)
		tp_buf_put(&idx, f[i].id, 20);
	for (i = 0; i < n; i++)
		put_be32(&idx, 0); /* CRCs: not read */
	for (i = 0; i < n; i++) {
		if (f[i].large == 2)
			put_be32(&idx, 0x80000000u | 999);
		else if (f[i].large)
			put_be32(&idx, 0x80000000u | nlarge++);
		else
			put_be32(&idx, (uint32_t)f[i].off);
	}
	for (i = 0; i < n; i++) {
		if (f[i].large == 1) {
			put_be32(&idx, (uint32_t)(f[i].off >> 32));
			put_be32(&idx, (uint32_t)f[i].off);
		}
	}
	tp_buf_put(&idx, trailer, 20);
	tp_buf_put(&idx, trailer, 20);

	tp_buf_printf(&path, "%s/%s/.git/objects/pack/pack-%s.pack", e->root,
		      repo, name);
	{
		struct tp_buf all = TP_BUF_INIT;

		tp_buf_put(&all, body->ptr, body->len);
		tp_buf_put(&all, trailer, 20);
		write_file(path.ptr, all.ptr, all.len);
		tp_buf_release(&all);
	}
	tp_buf_truncate(&path, path.len - 5);
	tp_buf_puts(&path, ".idx");
	write_file(path.ptr, idx.ptr, idx.len);
	tp_buf_release(&idx);
	tp_buf_release(&path);
}

static void
pack_header(struct tp_buf *b, uint32_t n)
{
	tp_buf_clear(b);
	tp_buf_put(b, "PACK\0\0\0\2", 8);
	put_be32(b, n);
}

/* Reads `id` and wants a blob `want`. */
static void
read_blob(struct tp_odb *o, const unsigned char id[20], const void *want,
	  size_t len)
{
	unsigned char *data;
	enum tp_odb_type t;
	struct tp_error err;
	char hex[41];
	size_t size, i;
	int rc;

	for (i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	tp_error_init(&err);
	rc = tp_odb_read(o, id, &t, &data, &size, &err);
	CHECK(rc == 0, "read %s: %d %s", hex, rc, err.msg);
	CHECK(t == TP_ODB_BLOB && size == len && memcmp(data, want, len) == 0,
	      "read %s: type %d, %zu bytes, want %zu", hex, (int)t, size, len);
	free(data);
}

static void
test_index_search(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf body = TP_BUF_INIT;
	struct fake *f, probe;
	struct tp_odb *o;
	unsigned char *data;
	enum tp_odb_type t;
	struct tp_error err;
	uint64_t seed = 3, key;
	size_t n = 0, i, k, size;
	double x;
	int rc;

	/*
	 * 4,000 ids that are far from uniform: in bucket 0x80 a cluster
	 * near its start (the fourth power of a uniform variable), 300 ids
	 * sharing their first eight bytes, and a few in other buckets.
	 * The interpolated guesses miss, and the search must still find
	 * every id and no neighbour.  Every other id has its offset in the
	 * 64-bit table.
	 */
	f = calloc(4000, sizeof(*f));
	CHECK(f != NULL, "out of memory");
	for (i = 0; i < 3000; i++, n++) {
		x = (double)i / 3000.0;
		key = (uint64_t)(x * x * x * x * 72057594037927935.0);
		f[n].id[0] = 0x80;
		for (k = 1; k < 8; k++)
			f[n].id[k] = (unsigned char)(key >> (8 * (7 - k)));
		for (k = 8; k < 20; k++)
			f[n].id[k] = (unsigned char)rnd(&seed);
		f[n].id[19] &= 0xfe; /* id + 1 is never there */
	}
	for (i = 0; i < 300; i++, n++) {
		memcpy(f[n].id, "\x80\x55\x55\x55\x55\x55\x55\x55", 8);
		for (k = 8; k < 20; k++)
			f[n].id[k] = (unsigned char)rnd(&seed);
		f[n].id[19] &= 0xfe;
	}
	for (i = 0; i < 700; i++, n++) {
		for (k = 0; k < 20; k++)
			f[n].id[k] = (unsigned char)rnd(&seed);
		f[n].id[19] &= 0xfe;
	}
	qsort(f, n, sizeof(*f), fake_cmp);
	for (i = 1; i < n; i++)
		CHECK(memcmp(f[i - 1].id, f[i].id, 20) != 0, "duplicate id");
	/* every id is the one blob at offset 12 */
	pack_header(&body, (uint32_t)n);
	put_entry_header(&body, 3, 5);
	put_zstored(&body, "hello", 5);
	for (i = 0; i < n; i++) {
		f[i].off = 12;
		f[i].large = (int)(i % 2);
	}
	trepo_run(e, "newrepo search");
	write_fake_pack(e, "search", "search", &body, f, n);
	o = open_odb(e, "search");
	for (i = 0; i < n; i++) {
		read_blob(o, f[i].id, "hello", 5);
		probe = f[i];
		probe.id[19] |= 1;
		tp_error_init(&err);
		rc = tp_odb_read(o, probe.id, &t, &data, &size, &err);
		CHECK(rc == TP_ENOTFOUND, "neighbour %zu: %d %s", i, rc,
		      err.msg);
	}
	tp_odb_free(o);
	free(f);
	tp_buf_release(&body);
}

static void
test_large_offsets_from_git(void **state)
{
	const struct trepo *e = *state;
	unsigned long nobj, nlarge, size;
	struct tp_odb *o;
	char line[64];

	/* index-pack puts every offset above 100 in the 64-bit table */
	trepo_run(e, "newrepo large && versions a.txt 10 && git gc -q && "
		     "cd .git/objects/pack && p=$(ls *.pack) && chmod u+w . && "
		     "rm -f *.idx *.rev *.bitmap && "
		     "git index-pack --index-version=2,100 $p >/dev/null");
	trepo_line(line, sizeof(line), e, "%s",
		   "cd large/.git/objects/pack && i=$(ls *.idx) && "
		   "echo $(git show-index < $i | wc -l) "
		   "$(git show-index < $i | awk '$1 > 100' | wc -l) "
		   "$(wc -c < $i)");
	CHECK(sscanf(line, "%lu %lu %lu", &nobj, &nlarge, &size) == 3, "'%s'",
	      line);
	/* the 64-bit table is really there */
	CHECK(nlarge > 20 && size == 1032 + 28 * nobj + 40 + 8 * nlarge,
	      "%lu objects, %lu large offsets, %lu bytes", nobj, nlarge, size);
	o = open_odb(e, "large");
	check_all(e, o, "large", 0);
	tp_odb_free(o);
}

/*
 * Deltas written here: the copy of size 0 (meaning 0x10000), bases that
 * are loose or in another pack, and each way a delta can be wrong.
 */
static void
test_crafted_deltas(void **state)
{
	const struct trepo *e = *state;
	struct tp_buf body = TP_BUF_INIT, d = TP_BUF_INIT, want = TP_BUF_INIT;
	unsigned char *big, loose[20], other[20];
	struct fake f[32], g[1];
	uint64_t base_off, dd_off, at;
	char hex[64];
	size_t n = 0, i, bad_from;
	struct tp_odb *o;
	static const char *const bad_msgs[] = {
		"delta does not fit its base",
		"delta copies outside its base or target",
		"delta inserts outside its data or target",
		"delta has a reserved instruction",
		"delta target shorter than its size",
		"bad delta header",
		"delta target size too large",
		"size larger than its data can hold",
		"is corrupt",
		"is corrupt",
		"is corrupt",
		"delta copies outside its base or target",
	};

	big = malloc(70000);
	CHECK(big != NULL, "out of memory");
	for (i = 0; i < 70000; i++)
		big[i] = (unsigned char)('a' + i % 23);
	trepo_run(e, "newrepo deltas && printf 'hello\\n' | "
		     "git hash-object -w --stdin > ../loose-id");
	trepo_line(hex, sizeof(hex), e, "%s", "cat loose-id");
	id_of(loose, hex);

	/* another pack holds the blob "other base" under id 0x77... */
	memset(other, 0x77, 20);
	pack_header(&body, 1);
	put_entry_header(&body, 3, 10);
	put_zstored(&body, "other base", 10);
	memcpy(g[0].id, other, 20);
	g[0].off = 12;
	g[0].large = 0;
	write_fake_pack(e, "deltas", "other", &body, g, 1);

#define ENTRY(idbyte) \
	do { \
		memset(f[n].id, 0, 20); \
		f[n].id[0] = (unsigned char)(idbyte); \
		f[n].off = body.len; \
		f[n].large = (int)(n % 2); \
		n++; \
	} while (0)
	/* the delta `d` as an OFS_DELTA entry on the entry at `base` */
#define OFS_ENTRY(idbyte, base) \
	do { \
		ENTRY(idbyte); \
		at = f[n - 1].off; \
		put_entry_header(&body, 6, d.len); \
		put_ofs(&body, at - (base)); \
		put_zstored(&body, d.ptr, d.len); \
	} while (0)

	pack_header(&body, 0); /* the count is set below */
	/* 0x10: a 70,000-byte base, in two stored blocks */
	ENTRY(0x10);
	base_off = f[n - 1].off;
	put_entry_header(&body, 3, 70000);
	put_zstored(&body, big, 70000);
	/* 0x11: copy 0x10000 bytes with a size of 0, then insert "end" */
	tp_buf_clear(&d);
	put_varint(&d, 70000);
	put_varint(&d, 65536 + 3);
	tp_buf_putc(&d, 0x80); /* copy, offset 0, size 0: 0x10000 */
	tp_buf_putc(&d, 3);
	tp_buf_put(&d, "end", 3);
	OFS_ENTRY(0x11, base_off);
	dd_off = f[n - 1].off;
	/* 0x12: a delta on that delta: copy 65536+3 bytes from offset 1 */
	tp_buf_clear(&d);
	put_varint(&d, 65539);
	put_varint(&d, 65538);
	tp_buf_putc(&d, 0x80 | 0x01 | 0x10 | 0x20 | 0x40);
	tp_buf_putc(&d, 1);
	tp_buf_putc(&d, 0x02);
	tp_buf_putc(&d, 0x00);
	tp_buf_putc(&d, 0x01);
	OFS_ENTRY(0x12, dd_off);
	/* 0x13: a REF_DELTA on the loose object "hello\n" */
	tp_buf_clear(&d);
	put_varint(&d, 6);
	put_varint(&d, 11);
	tp_buf_putc(&d, 0x90);
	tp_buf_putc(&d, 5);
	tp_buf_putc(&d, 6);
	tp_buf_put(&d, " world", 6);
	ENTRY(0x13);
	put_entry_header(&body, 7, d.len);
	tp_buf_put(&body, loose, 20);
	put_zstored(&body, d.ptr, d.len);
	/* 0x14: a REF_DELTA on the blob of the other pack */
	tp_buf_clear(&d);
	put_varint(&d, 10);
	put_varint(&d, 7);
	tp_buf_putc(&d, 0x80 | 0x01 | 0x10);
	tp_buf_putc(&d, 6);
	tp_buf_putc(&d, 4);
	tp_buf_putc(&d, 3);
	tp_buf_put(&d, "!!!", 3);
	ENTRY(0x14);
	put_entry_header(&body, 7, d.len);
	tp_buf_put(&body, other, 20);
	put_zstored(&body, d.ptr, d.len);
	/* 0x15: a REF_DELTA on 0x11 of this pack: its first 5 bytes */
	tp_buf_clear(&d);
	put_varint(&d, 65539);
	put_varint(&d, 5);
	tp_buf_putc(&d, 0x90);
	tp_buf_putc(&d, 5);
	ENTRY(0x15);
	put_entry_header(&body, 7, d.len);
	{
		unsigned char id11[20] = { 0x11 };

		tp_buf_put(&body, id11, 20);
	}
	put_zstored(&body, d.ptr, d.len);

	/* 0x20...: bad deltas, all on the 70,000-byte base */
	bad_from = n;
	tp_buf_clear(&d); /* source size 69999 */
	put_varint(&d, 69999);
	put_varint(&d, 1);
	tp_buf_put(&d, "\x01x", 2);
	OFS_ENTRY(0x20, base_off);
	tp_buf_clear(&d); /* copy 69990+20 */
	put_varint(&d, 70000);
	put_varint(&d, 20);
	tp_buf_putc(&d, 0x80 | 0x01 | 0x02 | 0x04 | 0x10);
	tp_buf_putc(&d, 69990 & 0xff);
	tp_buf_putc(&d, 69990 >> 8 & 0xff);
	tp_buf_putc(&d, 69990 >> 16);
	tp_buf_putc(&d, 20);
	OFS_ENTRY(0x21, base_off);
	tp_buf_clear(&d); /* insert 3 into a target of 2 */
	put_varint(&d, 70000);
	put_varint(&d, 2);
	tp_buf_put(&d, "\x03xyz", 4);
	OFS_ENTRY(0x22, base_off);
	tp_buf_clear(&d); /* opcode 0 */
	put_varint(&d, 70000);
	put_varint(&d, 2);
	tp_buf_put(&d, "\x00\x02xy", 4);
	OFS_ENTRY(0x23, base_off);
	tp_buf_clear(&d); /* 2 bytes of a 3-byte target */
	put_varint(&d, 70000);
	put_varint(&d, 3);
	tp_buf_put(&d, "\x02xy", 3);
	OFS_ENTRY(0x24, base_off);
	tp_buf_clear(&d); /* a size varint that does not end */
	tp_buf_put(&d, "\xf0\x84\x04\x80", 4);
	OFS_ENTRY(0x25, base_off);
	tp_buf_clear(&d); /* a target of 2^40 bytes from 4 bytes */
	put_varint(&d, 70000);
	put_varint(&d, (uint64_t)1 << 40);
	tp_buf_put(&d, "\x01x", 2);
	OFS_ENTRY(0x26, base_off);
	/* an entry claiming 2^40 bytes */
	ENTRY(0x27);
	put_entry_header(&body, 3, (size_t)1 << 40);
	put_zstored(&body, "x", 1);
	/* an index entry past the end of the pack, and one whose 64-bit
	 * table reference is out of range */
	ENTRY(0x28);
	f[n - 1].off = body.len + 1000;
	f[n - 1].large = 1;
	ENTRY(0x29);
	f[n - 1].large = 2;
	/* a 64-bit offset whose high half matters: 2^32 + 12 */
	ENTRY(0x2a);
	f[n - 1].off = ((uint64_t)1 << 32) + 12;
	f[n - 1].large = 1;
	tp_buf_clear(&d); /* copy 5 bytes of the base into a target of 2 */
	put_varint(&d, 70000);
	put_varint(&d, 2);
	tp_buf_putc(&d, 0x90);
	tp_buf_putc(&d, 5);
	OFS_ENTRY(0x2b, base_off);
	CHECK(n < 256 && n <= sizeof(f) / sizeof(f[0]), "%zu entries", n);
	body.ptr[11] = (char)n;
#undef OFS_ENTRY
#undef ENTRY
	write_fake_pack(e, "deltas", "deltas", &body, f, n);

	o = open_odb(e, "deltas");
	{
		unsigned char id[20] = { 0 };

		id[0] = 0x10;
		read_blob(o, id, big, 70000);
		id[0] = 0x11;
		tp_buf_clear(&want);
		tp_buf_put(&want, big, 65536);
		tp_buf_puts(&want, "end");
		read_blob(o, id, want.ptr, want.len);
		id[0] = 0x12;
		read_blob(o, id, want.ptr + 1, want.len - 1);
		id[0] = 0x13;
		read_blob(o, id, "hello world", 11);
		id[0] = 0x14;
		read_blob(o, id, "base!!!", 7);
		id[0] = 0x15;
		read_blob(o, id, big, 5);
		/* again, with the bases in the cache */
		id[0] = 0x12;
		read_blob(o, id, want.ptr + 1, want.len - 1);
		id[0] = 0x11;
		read_blob(o, id, want.ptr, want.len);
		for (i = bad_from; i < n; i++) {
			snprintf(hex, sizeof(hex), "%02x%038d",
				 0x20 + (unsigned)(i - bad_from), 0);
			read_fails(o, hex, TP_EGIT, bad_msgs[i - bad_from]);
		}
	}
	tp_odb_free(o);
	free(big);
	tp_buf_release(&body);
	tp_buf_release(&d);
	tp_buf_release(&want);
}

int
main(void)
{
	struct tlist l = TLIST_INIT;
	struct trepo e;
	int rc;

	if (trepo_init(&e, "odb", lib_sh) < 0)
		return 1;

#define ADD(fn) tlist_add(&l, #fn, fn, &e)
	ADD(test_id_from_hex);
	ADD(test_loose_objects);
	ADD(test_packed);
	ADD(test_ofs_deltas);
	ADD(test_ref_deltas);
	ADD(test_two_packs_and_loose);
	ADD(test_pack_written_after_open);
	ADD(test_not_found);
	ADD(test_big_pack_lookups);
	ADD(test_alternates);
	ADD(test_open_errors);
	ADD(test_crafted_loose_objects);
	ADD(test_corrupt_loose_object);
	ADD(test_corrupt_pack_entries);
	ADD(test_damaged_pack);
	ADD(test_crafted_pack);
	ADD(test_index_search);
	ADD(test_large_offsets_from_git);
	ADD(test_crafted_deltas);
#undef ADD
	rc = tlist_run(&l, "odb");
	if (trepo_done(&e) < 0)
		rc = 1;
	return rc;
}

/*
 * history.c: the tags and commits of a git repository, read from its files
 * (repo.h) or with libgit2 (history.h says which and when).
 *
 * The commit walks are our own rather than git_revwalk's: libgit2 1.5 does
 * not graft shallow clones (a walk would fail on the first missing parent
 * instead of telling us where the history stops), and we want generation
 * numbers from the commit-graph file, which 1.5 does not export.  Each
 * commit becomes a `struct node`, parsed once per handle (from the
 * commit-graph when it has the commit, else from the object database) and
 * shared by every later walk; walk flags are reset by a per-walk serial
 * instead of a pass over all nodes.
 */
/* d_type and DT_DIR from readdir(): see tp_history_foreach_tag_name() */
#define _DEFAULT_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "gitlib.h"
#include "history.h"
#include "odb.h"
#include "refname.h"
#include "repo.h"

#define SHALLOW_HINT "run 'git fetch --tags --unshallow' " \
		     "(on CI: fetch-depth: 0)"

/* git's limit_list() keeps walking this many commits past the point where
 * only uninteresting ones are left, to absorb clock skew. */
#define SLOP 5

/* commit-graph lookups between two drops of its pages: cg_touch() */
#define CG_DROP_EVERY 32

#define GEN_INF 0xffffffffu
#define GPOS_NONE 0xffffffffu
#define TAG_NONE (-1)
#define PEEL_MAX 16

/*
 * Testing the tags above the best release one by one costs a walk to
 * their merge base each; past this many commits in all (or four times the
 * commits the first walk took, if more) one walk over the whole history
 * below the releases found decides the rest at once.
 */
#define REACH_BUDGET 20000
#define REACH_OVER 2

/* persistent node flags */
#define N_PARSED 0x1u
#define N_SHALLOW 0x2u  /* listed in .git/shallow: its parents are cut */

/* walk flags, valid while node.mark equals the handle's serial */
#define W_SEEN 0x01u
#define W_QUEUED 0x02u
#define W_POPPED 0x04u
#define W_UNINT 0x08u
#define W_P1 0x10u
#define W_P2 0x20u
#define W_STALE 0x40u

/* ------------------------------------------------------------------ */
/* a bump allocator: nodes, parent arrays and strings live until free   */
/* ------------------------------------------------------------------ */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct arena_block *head;
};

#define ARENA_BLOCK (64 * 1024)

static void *
arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t align = sizeof(max_align_t), want;
	void *p;

	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	if (b == NULL || b->size - b->used < size) {
		want = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		b = malloc(sizeof(*b) + want);
		if (b == NULL)
			return NULL;
		b->size = want;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += size;
	return p;
}

static char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void
arena_release(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}

/* ------------------------------------------------------------------ */
/* commits, the map that finds them, and the walk queue                 */
/* ------------------------------------------------------------------ */

struct node {
	git_oid oid;
	int64_t time;         /* committer time */
	uint32_t gen;         /* topological level; GEN_INF when unknown */
	uint32_t gpos;        /* position in the commit-graph, or GPOS_NONE */
	uint32_t nparents;
	uint32_t flags;       /* N_* */
	uint32_t mark;        /* the walk serial `wflags` belongs to */
	uint32_t wflags;      /* W_* */
	int32_t tag;          /* first tag at this commit, or TAG_NONE */
	struct node **parents;
};

struct nodemap {
	struct node **slot;
	size_t cap, n;
};

struct qent {
	struct node *n;
	uint64_t seq;
};

struct queue {
	struct qent *v;
	size_t n, cap;
	uint64_t seq;
};

struct nodevec {
	struct node **v;
	size_t n, cap;
};

/* ------------------------------------------------------------------ */
/* the commit-graph file (git's Documentation/gitformat-commit-graph)   */
/* ------------------------------------------------------------------ */

struct cg_layer {
	unsigned char *map;
	size_t size;
	uint32_t n;     /* commits in this layer */
	uint32_t base;  /* commits in the layers below */
	const unsigned char *fanout, *oids, *data, *edges;
	size_t nedges;
};

struct cgraph {
	struct cg_layer *layer;
	size_t nlayers;
	uint32_t total;
	uint32_t lookups; /* since the pages were last dropped: cg_touch() */
};

/* ------------------------------------------------------------------ */
/* the handle                                                          */
/* ------------------------------------------------------------------ */

struct tp_history {
	struct tp_repo *nat;   /* read without libgit2 (repo.h), or NULL */
	git_repository *repo;  /* libgit2's handle: opened when first needed
				  if `nat` is set, else at once */
	git_odb *odb;
	int git_inited;        /* git_libgit2_init() was called */
	int shallow;
	int graph_tried;       /* cg_load() was called */
	int tags_loaded;
	struct arena arena;
	struct nodemap map;
	struct cgraph graph;
	struct queue q;
	struct nodevec stack;
	uint32_t serial;
	size_t q_int;          /* queued commits that are not W_UNINT */
	struct tp_history_tag *tags;
	struct node **tag_node; /* per tag: its commit's node, or NULL */
	int32_t *tag_next;      /* per tag: next tag at the same commit */
	size_t ntags;
};

/* ------------------------------------------------------------------ */
/* errors: libgit2's message is adapted here and nowhere else           */
/* ------------------------------------------------------------------ */

/*
 * Sets `err` to the context made from `fmt`, then ": " and libgit2's last
 * message made one line (libgit2 messages may hold newlines or end with a
 * full stop).
 */
static int
git_fail(struct tp_error *err, int code, const char *fmt, ...)
	TP_PRINTF(3, 4);

static int
git_fail(struct tp_error *err, int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char ctx[TP_ERROR_MSG_MAX], why[TP_ERROR_MSG_MAX];
	va_list ap;
	size_t i, n = 0;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	if (e != NULL && e->message != NULL) {
		for (i = 0; e->message[i] != '\0' && n + 1 < sizeof(why);
		     i++) {
			unsigned char c = (unsigned char)e->message[i];

			why[n++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
		}
	}
	while (n > 0 && (why[n - 1] == ' ' || why[n - 1] == '.'))
		n--;
	why[n] = '\0';
	if (n == 0)
		return tp_error_set(err, code, "%s", ctx);
	return tp_error_set(err, code, "%s: %s", ctx, why);
}

static int
oom(struct tp_error *err)
{
	return tp_error_set(err, TP_ENOMEM, "out of memory");
}

/*
 * Object ids: git_oid is only a struct of 20 bytes here; these stand in
 * for libgit2's git_oid_*() so that reading without libgit2 never loads it.
 */
static void
hex(char out[TP_HISTORY_ID_SIZE], const git_oid *id)
{
	tp_odb_id_to_hex(out, id->id);
}

/* 40 hex digits at `s` into `id`: 0, or -1 when they are not. */
static int
oid_hex(git_oid *id, const char *s)
{
	return tp_odb_id_from_hex(id->id, s, 40) == 0 ? 0 : -1;
}

static int
oid_eq(const git_oid *a, const git_oid *b)
{
	return memcmp(a->id, b->id, 20) == 0;
}

static int
shallow_fail(struct tp_error *err, const char *fmt, ...) TP_PRINTF(2, 3);

static int
shallow_fail(struct tp_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tp_error_vset(err, TP_ESHALLOW, fmt, ap);
	va_end(ap);
	tp_error_hint(err, "%s", SHALLOW_HINT);
	return TP_ESHALLOW;
}

/* ------------------------------------------------------------------ */
/* node map                                                            */
/* ------------------------------------------------------------------ */

static size_t
oid_hash(const git_oid *id)
{
	uint64_t v;

	memcpy(&v, id->id, sizeof(v));
	return (size_t)v;
}

static int
map_grow(struct nodemap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024, i, j;
	struct node **slot = calloc(cap, sizeof(*slot));

	if (slot == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slot[i] == NULL)
			continue;
		j = oid_hash(&m->slot[i]->oid) & (cap - 1);
		while (slot[j] != NULL)
			j = (j + 1) & (cap - 1);
		slot[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

static struct node *
node_find(const struct tp_history *h, const git_oid *id)
{
	size_t i;

	if (h->map.cap == 0)
		return NULL;
	i = oid_hash(id) & (h->map.cap - 1);
	while (h->map.slot[i] != NULL) {
		if (oid_eq(&h->map.slot[i]->oid, id))
			return h->map.slot[i];
		i = (i + 1) & (h->map.cap - 1);
	}
	return NULL;
}

/* The node of `id`, created unparsed when new; NULL when out of memory. */
static struct node *
node_get(struct tp_history *h, const git_oid *id)
{
	struct node *n = node_find(h, id);
	size_t i;

	if (n != NULL)
		return n;
	if ((h->map.n + 1) * 2 > h->map.cap && map_grow(&h->map) < 0)
		return NULL;
	n = arena_alloc(&h->arena, sizeof(*n));
	if (n == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->oid = *id;
	n->gen = GEN_INF;
	n->gpos = GPOS_NONE;
	n->tag = TAG_NONE;
	i = oid_hash(id) & (h->map.cap - 1);
	while (h->map.slot[i] != NULL)
		i = (i + 1) & (h->map.cap - 1);
	h->map.slot[i] = n;
	h->map.n++;
	return n;
}

/* ------------------------------------------------------------------ */
/* commit-graph reading                                                */
/* ------------------------------------------------------------------ */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static int
map_file(unsigned char **map, size_t *size, const char *path)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_size <= 0) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	*map = p;
	*size = (size_t)st.st_size;
	return 0;
}

/*
 * Maps and checks one graph file (layer `index` of a chain, 0 for the
 * single file).  Any inconsistency makes us ignore the graph: it only
 * speeds things up.
 */
static int
cg_layer_load(struct cg_layer *l, const char *path, size_t index)
{
	const unsigned char *p, *toc;
	size_t nchunks, i, hashsz = 20, end;
	uint64_t off, next;
	uint32_t id, prev = 0;

	memset(l, 0, sizeof(*l));
	if (map_file(&l->map, &l->size, path) < 0)
		return -1;
	p = l->map;
	if (l->size < 8 + 12 + hashsz || memcmp(p, "CGPH", 4) != 0 ||
	    p[4] != 1 || p[5] != 1 || p[7] != index)
		return -1;
	nchunks = p[6];
	toc = p + 8;
	end = l->size - hashsz;
	if ((nchunks + 1) * 12 > end - 8)
		return -1;
	for (i = 0; i < nchunks; i++) {
		id = be32(toc + i * 12);
		off = be64(toc + i * 12 + 4);
		next = be64(toc + (i + 1) * 12 + 4);
		if (off > next || next > end)
			return -1;
		if (id == 0x4f494446) {        /* OIDF */
			if (next - off != 1024)
				return -1;
			l->fanout = p + off;
		} else if (id == 0x4f49444c) { /* OIDL */
			l->oids = p + off;
			l->n = (uint32_t)((next - off) / hashsz);
		} else if (id == 0x43444154) { /* CDAT */
			l->data = p + off;
			if ((next - off) % (hashsz + 16) != 0)
				return -1;
		} else if (id == 0x45444745) { /* EDGE */
			l->edges = p + off;
			l->nedges = (size_t)((next - off) / 4);
		}
	}
	if (l->fanout == NULL || l->oids == NULL || l->data == NULL)
		return -1;
	if (be32(l->fanout + 255 * 4) != l->n)
		return -1;
	for (i = 0; i < 256; i++) {
		if (be32(l->fanout + i * 4) < prev)
			return -1;
		prev = be32(l->fanout + i * 4);
	}
	/* CDAT must have one entry per OIDL entry */
	for (i = 0; i < nchunks; i++)
		if (be32(toc + i * 12) == 0x43444154 &&
		    be64(toc + (i + 1) * 12 + 4) - be64(toc + i * 12 + 4) !=
		    (uint64_t)l->n * (hashsz + 16))
			return -1;
	return 0;
}

static void
cg_release(struct cgraph *g)
{
	size_t i;

	for (i = 0; i < g->nlayers; i++)
		if (g->layer[i].map != NULL)
			munmap(g->layer[i].map, g->layer[i].size);
	free(g->layer);
	memset(g, 0, sizeof(*g));
}

static int
cg_add_layer(struct cgraph *g, const char *path)
{
	struct cg_layer *v = realloc(g->layer,
				     (g->nlayers + 1) * sizeof(*v));

	if (v == NULL)
		return -1;
	g->layer = v;
	if (cg_layer_load(&v[g->nlayers], path, g->nlayers) < 0) {
		if (v[g->nlayers].map != NULL)
			munmap(v[g->nlayers].map, v[g->nlayers].size);
		return -1;
	}
	v[g->nlayers].base = g->total;
	if (v[g->nlayers].n > UINT32_MAX - 1 - g->total)
		return -1;
	g->total += v[g->nlayers].n;
	g->nlayers++;
	return 0;
}

/*
 * Loads objects/info/commit-graph, else the split chain in
 * objects/info/commit-graphs/.  Without either (or with a damaged one)
 * the graph stays empty.
 */
static void
cg_load(struct cgraph *g, const char *commondir)
{
	struct tp_buf path = TP_BUF_INIT;
	unsigned char *chain = NULL;
	size_t chain_size = 0, i, start;
	int ok = 0;

	if (tp_buf_printf(&path, "%sobjects/info/commit-graph",
			  commondir) < 0)
		goto done;
	if (access(path.ptr, R_OK) == 0) {
		ok = cg_add_layer(g, path.ptr) == 0;
		goto done;
	}
	tp_buf_clear(&path);
	if (tp_buf_printf(&path, "%sobjects/info/commit-graphs/"
			  "commit-graph-chain", commondir) < 0 ||
	    map_file(&chain, &chain_size, path.ptr) < 0)
		goto done;
	ok = 1;
	for (i = start = 0; i <= chain_size && ok; i++) {
		if (i < chain_size && chain[i] != '\n')
			continue;
		if (i > start) {
			tp_buf_clear(&path);
			ok = tp_buf_printf(&path, "%sobjects/info/"
					   "commit-graphs/graph-", commondir)
			     == 0 &&
			     tp_buf_put(&path, chain + start, i - start) == 0 &&
			     tp_buf_puts(&path, ".graph") == 0 &&
			     cg_add_layer(g, path.ptr) == 0;
		}
		start = i + 1;
	}
done:
	if (!ok)
		cg_release(g);
	if (chain != NULL)
		munmap(chain, chain_size);
	tp_buf_release(&path);
}

/*
 * Counts a lookup or a parse in the commit-graph, and every CG_DROP_EVERY
 * of them gives the file's pages back.  A walk reads a few entries here
 * and there in a file of 60 MB (a million commits), but the kernel maps
 * up to 64 KB around each page it faults in, whatever madvise() says:
 * a whole `next` left 48 MB of the file resident.  Dropped pages stay in
 * the page cache and come back on the next touch at the cost of a minor
 * fault.
 */
static void
cg_touch(struct cgraph *g)
{
	size_t k;

	if (++g->lookups < CG_DROP_EVERY)
		return;
	g->lookups = 0;
	for (k = 0; k < g->nlayers; k++)
		(void)madvise(g->layer[k].map, g->layer[k].size,
			      MADV_DONTNEED);
}

static int
cg_find(struct cgraph *g, const git_oid *id, uint32_t *pos)
{
	size_t k;
	uint32_t lo, hi, mid;
	int c;

	cg_touch(g);
	for (k = 0; k < g->nlayers; k++) {
		const struct cg_layer *l = &g->layer[k];

		lo = id->id[0] ? be32(l->fanout + (id->id[0] - 1) * 4) : 0;
		hi = be32(l->fanout + id->id[0] * 4);
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = memcmp(l->oids + (size_t)mid * 20, id->id, 20);
			if (c == 0) {
				*pos = l->base + mid;
				return 0;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return -1;
}

static const struct cg_layer *
cg_layer_of(const struct cgraph *g, uint32_t pos)
{
	size_t k;

	for (k = 0; k < g->nlayers; k++)
		if (pos - g->layer[k].base < g->layer[k].n)
			return &g->layer[k];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* parsing a commit                                                    */
/* ------------------------------------------------------------------ */

static int
graph_parent(struct tp_history *h, struct node *n, uint32_t i, uint32_t pos)
{
	const struct cg_layer *l = cg_layer_of(&h->graph, pos);
	git_oid id;
	struct node *p;

	if (l == NULL)
		return -1;
	memcpy(id.id, l->oids + (size_t)(pos - l->base) * 20, 20);
	if ((p = node_get(h, &id)) == NULL)
		return -1;
	if (p->gpos == GPOS_NONE)
		p->gpos = pos;
	n->parents[i] = p;
	return 0;
}

/* Fills `n` from its commit-graph entry; -1 when the entry is damaged. */
static int
parse_graph(struct tp_history *h, struct node *n, uint32_t pos)
{
	const struct cg_layer *l = cg_layer_of(&h->graph, pos);
	const unsigned char *d;
	uint32_t p1, p2, hi, e = 0, i;
	size_t k;

	if (l == NULL)
		return -1;
	cg_touch(&h->graph);
	d = l->data + (size_t)(pos - l->base) * 36 + 20;
	p1 = be32(d);
	p2 = be32(d + 4);
	hi = be32(d + 8);
	n->time = (int64_t)((uint64_t)(hi & 3) << 32 | be32(d + 12));
	n->gen = hi >> 2 ? hi >> 2 : GEN_INF;
	n->nparents = 0;
	if (p1 != 0x70000000)
		n->nparents++;
	if (p2 & 0x80000000u) {
		k = p2 & 0x7fffffffu;
		do {
			if (k >= l->nedges)
				return -1;
			e = be32(l->edges + k * 4);
			n->nparents++;
			k++;
		} while (!(e & 0x80000000u));
	} else if (p2 != 0x70000000) {
		n->nparents++;
	}
	if (n->nparents == 0)
		return 0;
	n->parents = arena_alloc(&h->arena,
				 n->nparents * sizeof(*n->parents));
	if (n->parents == NULL)
		return -1;
	if (p1 == 0x70000000 || graph_parent(h, n, 0, p1) < 0)
		return -1;
	if (!(p2 & 0x80000000u))
		return n->nparents > 1 ? graph_parent(h, n, 1, p2) : 0;
	k = p2 & 0x7fffffffu;
	for (i = 1; i < n->nparents; i++, k++)
		if (graph_parent(h, n, i, be32(l->edges + k * 4) &
				 0x7fffffffu) < 0)
			return -1;
	return 0;
}

/* The committer time of a raw commit header line ("... <e> 123 +0100"). */
static int64_t
line_time(const char *p, const char *end)
{
	const char *gt = NULL, *q;
	int64_t t = 0;
	int neg = 0;

	for (q = p; q < end; q++)
		if (*q == '>')
			gt = q;
	if (gt == NULL)
		return 0;
	for (q = gt + 1; q < end && *q == ' '; q++)
		;
	if (q < end && *q == '-') {
		neg = 1;
		q++;
	}
	for (; q < end && *q >= '0' && *q <= '9'; q++)
		if (t < INT64_MAX / 10 - 10)
			t = t * 10 + (*q - '0');
	return neg ? -t : t;
}

/*
 * Reads the object `id` into *data (malloc'd, NUL after the end): from the
 * files when the repository is read natively, else through libgit2.
 * TP_ENOTFOUND when the repository does not have it; TP_EGIT when it
 * cannot be read.  The message says why, without naming the object: the
 * callers say what they were reading.
 */
static int
obj_read(struct tp_history *h, const git_oid *id, enum tp_odb_type *type,
	 unsigned char **data, size_t *size, struct tp_error *err)
{
	git_odb_object *obj = NULL;
	const git_error *ge;
	int e;

	*data = NULL;
	*size = 0;
	if (h->nat != NULL)
		return tp_repo_read(h->nat, id->id, type, data, size, err);
	if ((e = git_odb_read(&obj, h->odb, id)) < 0) {
		ge = git_error_last();
		return tp_error_set(err, e == GIT_ENOTFOUND ? TP_ENOTFOUND :
				    TP_EGIT, "%s", ge != NULL &&
				    ge->message != NULL ? ge->message :
				    "unknown libgit2 error");
	}
	switch (git_odb_object_type(obj)) {
	case GIT_OBJECT_COMMIT: *type = TP_ODB_COMMIT; break;
	case GIT_OBJECT_TREE: *type = TP_ODB_TREE; break;
	case GIT_OBJECT_BLOB: *type = TP_ODB_BLOB; break;
	case GIT_OBJECT_TAG: *type = TP_ODB_TAG; break;
	default:
		git_odb_object_free(obj);
		return tp_error_set(err, TP_EGIT, "unknown object type");
	}
	*size = git_odb_object_size(obj);
	if ((*data = malloc(*size + 1)) == NULL) {
		git_odb_object_free(obj);
		return oom(err);
	}
	memcpy(*data, git_odb_object_data(obj), *size);
	(*data)[*size] = '\0';
	git_odb_object_free(obj);
	return 0;
}

static const char *
type_name(enum tp_odb_type t)
{
	switch (t) {
	case TP_ODB_COMMIT: return "commit";
	case TP_ODB_TREE: return "tree";
	case TP_ODB_BLOB: return "blob";
	case TP_ODB_TAG: return "tag";
	}
	return "object";
}

/*
 * Reads the object `id` for `what` ("commit", "tag 'v1.0'"): as
 * obj_read(), with the error message naming what was being read.
 */
static int
read_for(struct tp_history *h, const git_oid *id, enum tp_odb_type *type,
	 unsigned char **data, size_t *size, const char *what,
	 struct tp_error *err)
{
	struct tp_error e;
	char hx[TP_HISTORY_ID_SIZE];

	tp_error_init(&e);
	if (obj_read(h, id, type, data, size, &e) == 0)
		return 0;
	if (e.code == TP_ENOMEM)
		return oom(err);
	hex(hx, id);
	return tp_error_set(err, e.code, "cannot read %s '%s': %s", what, hx,
			    e.msg);
}

static int
parse_odb(struct tp_history *h, struct node *n, struct tp_error *err)
{
	struct tp_error e;
	enum tp_odb_type type;
	unsigned char *data = NULL;
	char id[TP_HISTORY_ID_SIZE];
	const char *p, *end, *eol;
	size_t np = 0, size;
	int error = 0;

	tp_error_init(&e);
	if ((error = obj_read(h, &n->oid, &type, &data, &size, &e)) < 0) {
		hex(id, &n->oid);
		if (error == TP_ENOTFOUND && h->shallow)
			return shallow_fail(err, "commit '%s' is not in this "
					    "shallow clone", id);
		if (error == TP_ENOMEM)
			return oom(err);
		return tp_error_set(err, TP_EGIT, "cannot read commit '%s': "
				    "%s", id, e.msg);
	}
	if (type != TP_ODB_COMMIT) {
		hex(id, &n->oid);
		error = tp_error_set(err, TP_EGIT, "object '%s' is a %s, not "
				     "a commit", id, type_name(type));
		goto done;
	}
	p = (const char *)data;
	end = p + size;
	/* two passes over the header: count the parents, then fill them */
	for (; p < end && *p != '\n'; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p >= 47 && memcmp(p, "parent ", 7) == 0)
			np++;
		else if (eol - p > 10 && memcmp(p, "committer ", 10) == 0)
			n->time = line_time(p, eol);
	}
	if (n->flags & N_SHALLOW)
		np = 0;
	n->nparents = 0;
	if (np > 0) {
		n->parents = arena_alloc(&h->arena, np * sizeof(*n->parents));
		if (n->parents == NULL) {
			error = oom(err);
			goto done;
		}
	}
	p = (const char *)data;
	for (; p < end && *p != '\n' && n->nparents < np; p = eol + 1) {
		git_oid pid;

		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol - p < 47 || memcmp(p, "parent ", 7) != 0)
			continue;
		if (oid_hex(&pid, p + 7) < 0) {
			hex(id, &n->oid);
			error = tp_error_set(err, TP_EGIT, "commit '%s' has a "
					     "malformed parent line", id);
			goto done;
		}
		if ((n->parents[n->nparents] = node_get(h, &pid)) == NULL) {
			error = oom(err);
			goto done;
		}
		n->nparents++;
	}
done:
	free(data);
	return error;
}

/* Makes sure `n` knows its parents, time and generation. */
static int
node_parse(struct tp_history *h, struct node *n, struct tp_error *err)
{
	uint32_t pos;

	if (n->flags & N_PARSED)
		return 0;
	/*
	 * The commit-graph is opened by the first commit parsed: a pre-push
	 * of the next release parses none.  git ignores the commit-graph of
	 * a shallow clone, and so do we.
	 */
	if (!h->graph_tried) {
		h->graph_tried = 1;
		if (!h->shallow)
			cg_load(&h->graph, tp_history_commondir(h));
	}
	if (h->graph.nlayers > 0) {
		pos = n->gpos;
		if (pos == GPOS_NONE && cg_find(&h->graph, &n->oid, &pos) < 0)
			pos = GPOS_NONE;
		if (pos != GPOS_NONE) {
			n->gpos = pos;
			if (parse_graph(h, n, pos) == 0) {
				n->flags |= N_PARSED;
				return 0;
			}
			/* a damaged entry: stop trusting the file */
			cg_release(&h->graph);
			n->gen = GEN_INF;
		}
	}
	if (parse_odb(h, n, err) < 0)
		return err != NULL && err->code ? err->code : TP_EGIT;
	n->flags |= N_PARSED;
	return 0;
}

/* ------------------------------------------------------------------ */
/* walks                                                               */
/* ------------------------------------------------------------------ */

static uint32_t
wf(const struct tp_history *h, struct node *n)
{
	if (n->mark != h->serial) {
		n->mark = h->serial;
		n->wflags = 0;
	}
	return n->wflags;
}

static void
wset(const struct tp_history *h, struct node *n, uint32_t f)
{
	wf(h, n);
	n->wflags |= f;
}

static void
walk_begin(struct tp_history *h)
{
	h->serial++;
	h->q.n = 0;
	h->q.seq = 0;
	h->stack.n = 0;
	h->q_int = 0;
}

static int
vec_push(struct nodevec *v, struct node *n)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		struct node **p = realloc(v->v, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		v->v = p;
		v->cap = cap;
	}
	v->v[v->n++] = n;
	return 0;
}

/* Pops first: higher generation, then newer, then earlier queued. */
static int
q_before(const struct qent *a, const struct qent *b)
{
	if (a->n->gen != b->n->gen)
		return a->n->gen > b->n->gen;
	if (a->n->time != b->n->time)
		return a->n->time > b->n->time;
	return a->seq < b->seq;
}

static int
q_put(struct queue *q, struct node *n)
{
	struct qent e, t;
	size_t i, parent;

	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct qent *v = realloc(q->v, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	e.n = n;
	e.seq = q->seq++;
	i = q->n++;
	q->v[i] = e;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (!q_before(&q->v[i], &q->v[parent]))
			break;
		t = q->v[i];
		q->v[i] = q->v[parent];
		q->v[parent] = t;
		i = parent;
	}
	return 0;
}

static struct node *
q_get(struct queue *q)
{
	struct node *top;
	struct qent t;
	size_t i = 0, l, r, m;

	if (q->n == 0)
		return NULL;
	top = q->v[0].n;
	q->v[0] = q->v[--q->n];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < q->n && q_before(&q->v[l], &q->v[m]))
			m = l;
		if (r < q->n && q_before(&q->v[r], &q->v[m]))
			m = r;
		if (m == i)
			break;
		t = q->v[i];
		q->v[i] = q->v[m];
		q->v[m] = t;
		i = m;
	}
	return top;
}

/* Queues `n` once per walk (W_SEEN), parsing it first for its date. */
static int
walk_push(struct tp_history *h, struct node *n, struct tp_error *err)
{
	int error;

	if (wf(h, n) & W_SEEN)
		return 0;
	if ((error = node_parse(h, n, err)) < 0)
		return error;
	if (q_put(&h->q, n) < 0)
		return oom(err);
	wset(h, n, W_SEEN | W_QUEUED);
	if (!(n->wflags & W_UNINT))
		h->q_int++;
	return 0;
}

static struct node *
walk_pop(struct tp_history *h)
{
	struct node *n = q_get(&h->q);

	if (n == NULL)
		return NULL;
	wf(h, n);
	n->wflags &= ~W_QUEUED;
	n->wflags |= W_POPPED;
	if (!(n->wflags & W_UNINT))
		h->q_int--;
	return n;
}

/*
 * Marks `n` uninteresting and, through the commits already walked, its
 * ancestors (git's mark_parents_uninteresting()), so that a commit taken
 * as interesting too early is dropped later.
 */
static int
mark_unint(struct tp_history *h, struct node *n, struct tp_error *err)
{
	struct node *x;
	uint32_t i;

	h->stack.n = 0;
	if (vec_push(&h->stack, n) < 0)
		return oom(err);
	while (h->stack.n > 0) {
		x = h->stack.v[--h->stack.n];
		if (wf(h, x) & W_UNINT)
			continue;
		x->wflags |= W_UNINT;
		if (x->wflags & W_QUEUED)
			h->q_int--;
		if (!(x->wflags & W_POPPED))
			continue;
		for (i = 0; i < x->nparents; i++)
			if (vec_push(&h->stack, x->parents[i]) < 0)
				return oom(err);
	}
	return 0;
}

/* Queues the parents of the popped `n`, passing on W_UNINT. */
static int
walk_parents(struct tp_history *h, struct node *n, struct tp_error *err)
{
	uint32_t i;
	int error;

	for (i = 0; i < n->nparents; i++) {
		if ((n->wflags & W_UNINT) &&
		    (error = mark_unint(h, n->parents[i], err)) < 0)
			return error;
		if ((error = walk_push(h, n->parents[i], err)) < 0)
			return error;
	}
	return 0;
}

static int
q_has_nonstale(const struct tp_history *h)
{
	size_t i;

	for (i = 0; i < h->q.n; i++)
		if (!(h->q.v[i].n->wflags & W_STALE))
			return 1;
	return 0;
}

/*
 * 1 when `t` is an ancestor of (or one of) the `n` commits `src`, else 0;
 * TP_ESHALLOW when a shallow boundary hides the answer (the message names
 * `subject`, e.g. "tag 'v2.0.0'").  Adds the commits visited to *walked;
 * REACH_OVER when that would exceed `budget` (0: no limit).
 *
 * With a generation number for `t` the walk from `src` never goes below
 * it (an ancestor has a lower level).  Without, it paints down from both
 * sides like a merge-base search and stops when only commits below a
 * common ancestor are left; this is exact whatever the commit dates: a
 * path from a source down to `t` never crosses a common ancestor.
 */
static int
reach_any(struct tp_history *h, struct node *t, struct node **src, size_t n,
	  const char *subject, size_t *walked, size_t budget,
	  struct tp_error *err)
{
	struct nodevec cut = { NULL, 0, 0 };
	struct node *x, *p;
	uint32_t f, i;
	size_t k, spent = 0;
	int error = 0;

	for (k = 0; k < n; k++)
		if (src[k] == t)
			return 1;
	if (n == 0)
		return 0;
	walk_begin(h);
	if ((error = node_parse(h, t, err)) < 0)
		return error;
	if (t->gen != GEN_INF) {
		/* depth first: the queue array serves as a stack here */
		for (k = 0; k < n; k++) {
			if ((error = node_parse(h, src[k], err)) < 0)
				goto done;
			if ((wf(h, src[k]) & W_SEEN) ||
			    (src[k]->gen != GEN_INF && src[k]->gen <= t->gen))
				continue;
			wset(h, src[k], W_SEEN);
			if (vec_push(&h->stack, src[k]) < 0)
				goto nomem;
		}
		while (h->stack.n > 0) {
			x = h->stack.v[--h->stack.n];
			(*walked)++;
			if (budget > 0 && ++spent > budget) {
				error = REACH_OVER;
				goto done;
			}
			if ((x->flags & N_SHALLOW) && vec_push(&cut, x) < 0)
				goto nomem;
			for (i = 0; i < x->nparents; i++) {
				p = x->parents[i];
				if (p == t) {
					error = 1;
					goto done;
				}
				if (wf(h, p) & W_SEEN)
					continue;
				wset(h, p, W_SEEN);
				if ((error = node_parse(h, p, err)) < 0)
					goto done;
				if (p->gen != GEN_INF && p->gen <= t->gen)
					continue;
				if (vec_push(&h->stack, p) < 0)
					goto nomem;
			}
		}
		error = cut.n > 0 ? shallow_fail(err, "the history is shallow"
						 ": cannot tell whether %s "
						 "is reachable", subject)
				  : 0;
		goto done;
	}

	wset(h, t, W_P1);
	if (q_put(&h->q, t) < 0)
		goto nomem;
	for (k = 0; k < n; k++) {
		if ((error = node_parse(h, src[k], err)) < 0)
			goto done;
		wset(h, src[k], W_P2);
		if (q_put(&h->q, src[k]) < 0)
			goto nomem;
	}
	while (q_has_nonstale(h)) {
		x = q_get(&h->q);
		(*walked)++;
		if (budget > 0 && ++spent > budget) {
			error = REACH_OVER;
			goto done;
		}
		f = wf(h, x) & (W_P1 | W_P2 | W_STALE);
		if ((f & (W_P1 | W_P2)) == (W_P1 | W_P2))
			f |= W_STALE;
		if ((x->flags & N_SHALLOW) && vec_push(&cut, x) < 0)
			goto nomem;
		for (i = 0; i < x->nparents; i++) {
			p = x->parents[i];
			if ((wf(h, p) & f) == f)
				continue;
			if ((error = node_parse(h, p, err)) < 0)
				goto done;
			p->wflags |= f;
			if (p == t && (p->wflags & W_P2)) {
				error = 1;
				goto done;
			}
			if (q_put(&h->q, p) < 0)
				goto nomem;
		}
	}
	/* a cut source-side path could lead to `t` */
	for (k = 0; k < cut.n; k++) {
		f = wf(h, cut.v[k]);
		if ((f & W_P2) && !(f & (W_P1 | W_STALE))) {
			error = shallow_fail(err, "the history is shallow: "
					     "cannot tell whether %s is "
					     "reachable", subject);
			goto done;
		}
	}
	error = 0;
	goto done;
nomem:
	error = oom(err);
done:
	free(cut.v);
	return error;
}

/*
 * Marks W_SEEN every ancestor of the `n` commits `src` (themselves
 * included) whose generation is `mingen` or more (0: all of them), so
 * that the caller can test many commits at once.  Sets *cut when the
 * walk met the shallow boundary.
 */
static int
reach_all(struct tp_history *h, struct node **src, size_t n,
	  uint32_t mingen, int *cut, size_t *walked, struct tp_error *err)
{
	struct node *x, *p;
	uint32_t i;
	size_t k;
	int error;

	walk_begin(h);
	*cut = 0;
	for (k = 0; k < n; k++) {
		if (wf(h, src[k]) & W_SEEN)
			continue;
		wset(h, src[k], W_SEEN);
		if (vec_push(&h->stack, src[k]) < 0)
			return oom(err);
	}
	while (h->stack.n > 0) {
		x = h->stack.v[--h->stack.n];
		(*walked)++;
		if ((error = node_parse(h, x, err)) < 0)
			return error;
		if (x->flags & N_SHALLOW)
			*cut = 1;
		for (i = 0; i < x->nparents; i++) {
			p = x->parents[i];
			if (wf(h, p) & W_SEEN)
				continue;
			wset(h, p, W_SEEN);
			if ((error = node_parse(h, p, err)) < 0)
				return error;
			if (p->gen != GEN_INF && p->gen < mingen)
				continue;
			if (vec_push(&h->stack, p) < 0)
				return oom(err);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* opening                                                             */
/* ------------------------------------------------------------------ */

static int
load_shallow(struct tp_history *h, struct tp_error *err)
{
	struct tp_buf path = TP_BUF_INIT;
	char line[128];
	FILE *fp = NULL;
	git_oid id;
	struct node *n;
	int error = 0;

	if (tp_buf_printf(&path, "%sshallow", tp_history_commondir(h)) < 0) {
		error = oom(err);
		goto done;
	}
	if ((fp = fopen(path.ptr, "r")) == NULL) {
		if (errno != ENOENT)
			error = tp_error_set(err, TP_EGIT, "cannot read '%s': "
					     "%s", path.ptr, strerror(errno));
		goto done;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strlen(line) < 40 || oid_hex(&id, line) < 0)
			continue;
		if ((n = node_get(h, &id)) == NULL) {
			error = oom(err);
			goto done;
		}
		n->flags |= N_SHALLOW;
		h->shallow = 1;
	}
done:
	if (fp != NULL)
		fclose(fp);
	tp_buf_release(&path);
	return error;
}

/* 1 when the repository git would find from `start` is SHA-256. */
static int
is_sha256(const char *start)
{
	git_buf dir = { NULL, 0, 0 }, val = { NULL, 0, 0 };
	struct tp_buf path = TP_BUF_INIT;
	git_config *cfg = NULL;
	int yes = 0;

	if (git_repository_discover(&dir, start, 0,
				    getenv("GIT_CEILING_DIRECTORIES")) < 0 ||
	    tp_buf_printf(&path, "%sconfig", dir.ptr) < 0 ||
	    git_config_open_ondisk(&cfg, path.ptr) < 0 ||
	    git_config_get_string_buf(&val, cfg, "extensions.objectformat")
	    < 0)
		goto done;
	yes = strcmp(val.ptr, "sha256") == 0;
done:
	git_config_free(cfg);
	git_buf_dispose(&val);
	git_buf_dispose(&dir);
	tp_buf_release(&path);
	return yes;
}

/* The folder as the user should see it: "." says little in a message. */
static const char *
shown_path(struct tp_buf *abs, const char *start)
{
	char cwd[4096];
	int dot = strcmp(start, ".") == 0;

	if (start[0] != '/' && getcwd(cwd, sizeof(cwd)) != NULL &&
	    tp_buf_printf(abs, "%s%s%s", cwd, dot ? "" : "/",
			  dot ? "" : start) == 0)
		return abs->ptr;
	return start;
}

static int
open_failed(struct tp_error *err, int e, const char *start)
{
	struct tp_buf abs = TP_BUF_INIT;
	const char *shown = shown_path(&abs, start);
	struct stat st;
	int error;

	if (stat(start, &st) < 0) {
		error = tp_error_set(err, TP_EGIT, "cannot open '%s': %s",
				     shown, strerror(errno));
	} else if (e == GIT_ENOTFOUND) {
		error = tp_error_set(err, TP_EGIT, "not a git repository "
				     "(nor any of its parent folders): '%s'",
				     shown);
		tp_error_hint(err, "run tagpolicy inside a git repository, "
			      "or name one with -C DIR");
	} else {
		error = git_fail(err, TP_EGIT, "cannot open the git "
				 "repository at '%s'", shown);
	}
	tp_buf_release(&abs);
	return error;
}

/*
 * Checked before libgit2 opens the repository: libgit2 1.5 only says
 * "unsupported extension name extensions.objectformat" (and leaks while
 * saying it).
 */
static int
refuse_sha256(const char *start, struct tp_error *err)
{
	struct tp_buf abs = TP_BUF_INIT;
	int error = 0;

	if (is_sha256(start))
		error = tp_error_set(err, TP_EGIT, "cannot open '%s': SHA-256 "
				     "repositories are not supported by this "
				     "build of libgit2",
				     shown_path(&abs, start));
	tp_buf_release(&abs);
	return error;
}

/* Loads and initialises libgit2 for this handle (tp_history_free() undoes). */
static int
git_start(struct tp_history *h, struct tp_error *err)
{
	if (h->git_inited)
		return 0;
	if (tp_gitlib_load(err) < 0)
		return TP_EGIT;
	if (git_libgit2_init() < 0)
		return git_fail(err, TP_EGIT, "cannot initialise libgit2");
	h->git_inited = 1;
	return 0;
}

/*
 * Opens libgit2's handle on the repository `nat` found: what the few
 * questions this module does not answer from the files need (trees, the
 * configuration, branches, revisions beyond ids and ref names, writing).
 */
static int
need_repo(struct tp_history *h, struct tp_error *err)
{
	const char *gitdir;
	int e;

	if (h->repo != NULL)
		return 0;
	gitdir = tp_repo_gitdir(h->nat);
	if ((e = git_start(h, err)) < 0)
		return e;
	if (git_repository_open_ext(&h->repo, gitdir,
				    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return git_fail(err, TP_EGIT, "cannot open the git repository "
				"at '%s'", gitdir);
	if (git_repository_odb(&h->odb, h->repo) < 0)
		return git_fail(err, TP_EGIT, "cannot open the object "
				"database of '%s'", gitdir);
	return 0;
}

/* Opens the repository with libgit2 alone, as `nat` could not. */
static int
open_libgit2(struct tp_history *h, const char *start, unsigned flags,
	     struct tp_error *err)
{
	const char *env = NULL;
	int e;

	if ((e = git_start(h, err)) < 0)
		return e;
	if (flags & TP_HISTORY_OPEN_ENV) {
		env = getenv("GIT_DIR");
		if (env != NULL && *env != '\0')
			start = env;
	}
	if ((e = refuse_sha256(start, err)) < 0)
		return e;
	if (flags & TP_HISTORY_OPEN_ENV) {
		/* a NULL start makes libgit2 read GIT_DIR itself */
		e = git_repository_open_ext(&h->repo, start == env ? NULL :
					    start,
					    GIT_REPOSITORY_OPEN_FROM_ENV,
					    NULL);
	} else {
		env = getenv("GIT_CEILING_DIRECTORIES");
		e = git_repository_open_ext(&h->repo, start, 0, env);
	}
	if (e < 0)
		return open_failed(err, e, start);
	if (git_repository_odb(&h->odb, h->repo) < 0)
		return git_fail(err, TP_EGIT, "cannot open the object "
				"database of '%s'",
				git_repository_path(h->repo));
	return 0;
}

int
tp_history_open(struct tp_history **out, const char *dir, unsigned flags,
		struct tp_error *err)
{
	struct tp_history *h = NULL;
	const char *start = dir != NULL ? dir : ".";
	int error = 0;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return oom(err);
	if (!(flags & TP_HISTORY_OPEN_LIBGIT2) &&
	    (error = tp_repo_open(&h->nat, start,
				  flags & TP_HISTORY_OPEN_ENV ?
				  TP_REPO_OPEN_ENV : 0, err)) < 0)
		goto fail;
	if (h->nat == NULL && (error = open_libgit2(h, start, flags, err)) < 0)
		goto fail;
	if ((error = load_shallow(h, err)) < 0)
		goto fail;
	*out = h;
	return 0;
fail:
	tp_history_free(h);
	return error;
}

void
tp_history_free(struct tp_history *h)
{
	if (h == NULL)
		return;
	cg_release(&h->graph);
	free(h->map.slot);
	free(h->q.v);
	free(h->stack.v);
	free(h->tags);
	free(h->tag_node);
	free(h->tag_next);
	arena_release(&h->arena);
	if (h->odb != NULL)
		git_odb_free(h->odb);
	if (h->repo != NULL)
		git_repository_free(h->repo);
	tp_repo_free(h->nat);
	if (h->git_inited)
		git_libgit2_shutdown();
	free(h);
}

const char *
tp_history_gitdir(const struct tp_history *h)
{
	return h->nat != NULL ? tp_repo_gitdir(h->nat)
			      : git_repository_path(h->repo);
}

const char *
tp_history_commondir(const struct tp_history *h)
{
	/* repo.h reads no linked worktree: the git folder is the common one */
	return h->nat != NULL ? tp_repo_gitdir(h->nat)
			      : git_repository_commondir(h->repo);
}

const char *
tp_history_workdir(const struct tp_history *h)
{
	return h->nat != NULL ? tp_repo_workdir(h->nat)
			      : git_repository_workdir(h->repo);
}

int
tp_history_is_shallow(const struct tp_history *h)
{
	return h->shallow;
}

/* ------------------------------------------------------------------ */
/* configuration                                                       */
/* ------------------------------------------------------------------ */

int
tp_history_config_string(char **out, struct tp_history *h, const char *key,
			 struct tp_error *err)
{
	git_config *cfg = NULL;
	const char *val;
	int e, error = 0;

	*out = NULL;
	if ((error = need_repo(h, err)) < 0)
		return error;
	if (git_repository_config_snapshot(&cfg, h->repo) < 0)
		return git_fail(err, TP_EGIT, "cannot read the git "
				"configuration");
	e = git_config_get_string(&val, cfg, key);
	if (e == GIT_ENOTFOUND)
		error = tp_error_set(err, TP_ENOTFOUND, "'%s' is not set in "
				     "the git configuration", key);
	else if (e < 0)
		error = git_fail(err, TP_EGIT, "cannot read '%s' from the git "
				 "configuration", key);
	else if ((*out = strdup(val)) == NULL)
		error = oom(err);
	git_config_free(cfg);
	return error;
}

int
tp_history_wants_signed_tags(struct tp_history *h, struct tp_error *err)
{
	static const char *const keys[] = {
		"tag.gpgSign", "tag.forceSignAnnotated"
	};
	git_config *cfg = NULL;
	size_t i;
	int e, v, yes = 0;

	if ((e = need_repo(h, err)) < 0)
		return e;
	if (git_repository_config_snapshot(&cfg, h->repo) < 0)
		return git_fail(err, TP_EGIT, "cannot read the git "
				"configuration");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !yes; i++) {
		e = git_config_get_bool(&v, cfg, keys[i]);
		if (e == GIT_ENOTFOUND)
			continue;
		if (e < 0) {
			yes = git_fail(err, TP_EGIT, "bad value for '%s' in "
				       "the git configuration", keys[i]);
			break;
		}
		yes = v != 0;
	}
	git_config_free(cfg);
	return yes;
}

/* ------------------------------------------------------------------ */
/* revisions                                                           */
/* ------------------------------------------------------------------ */

static int
unborn_fail(struct tp_history *h, struct tp_error *err)
{
	git_reference *ref = NULL;
	struct tp_error e;
	char *sym = NULL;
	const char *target = NULL;
	int error;

	tp_error_init(&e);
	if (h->nat != NULL) {
		if (tp_repo_symref(&sym, h->nat, "HEAD", &e) == 0)
			target = sym;
	} else if (git_reference_lookup(&ref, h->repo, "HEAD") == 0) {
		target = git_reference_symbolic_target(ref);
	}
	if (target != NULL && strncmp(target, "refs/heads/", 11) == 0)
		target += 11;
	error = tp_error_set(err, TP_ENOTFOUND, "HEAD has no commit yet "
			     "(branch '%s' is unborn)",
			     target != NULL ? target : "HEAD");
	tp_error_hint(err, "commit something first");
	if (ref != NULL)
		git_reference_free(ref);
	free(sym);
	return error;
}

/* The value of header `key` ("object ") at the start of a line in data. */
static const char *
header(const unsigned char *data, size_t size, const char *key)
{
	const char *p = (const char *)data, *end = p + size, *eol;
	size_t n = strlen(key);

	for (; p < end && *p != '\n'; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if ((size_t)(eol - p) >= n && memcmp(p, key, n) == 0)
			return p + n;
	}
	return NULL;
}

/* The time on the header line `key` ("tagger ", "committer "), or 0. */
static int64_t
header_time(const unsigned char *data, size_t size, const char *key)
{
	const char *p = header(data, size, key), *end;

	if (p == NULL)
		return 0;
	end = memchr(p, '\n', size - (size_t)(p - (const char *)data));
	return line_time(p, end != NULL ? end : (const char *)data + size);
}

/* Where a chain of tag objects ends: peel(). */
struct peeled {
	git_oid id;            /* the first object that is not a tag */
	enum tp_odb_type type; /* its type */
	int annotated;         /* the start is a tag object */
	int64_t tag_time;      /* the start's tagger time, when annotated */
	int64_t commit_time;   /* `id`'s committer time, when a commit */
	size_t depth;          /* the tag objects passed */
};

enum { PEEL_OK, PEEL_MISSING, PEEL_MALFORMED, PEEL_DEEP };

/*
 * Follows the tag objects from `start` to the first object that is not
 * one, reading each object once.  Returns PEEL_OK; PEEL_MISSING when an
 * object on the way is not in the repository (p->depth says which: 0 is
 * `start` itself; `e` has obj_read()'s message); PEEL_MALFORMED for a tag
 * object without an "object" line; PEEL_DEEP past PEEL_MAX tag objects;
 * or obj_read()'s negative status, its message in `e`.  Callers word the
 * outcome: a tag listing and a revision say different things.
 */
static int
peel(struct peeled *p, struct tp_history *h, const git_oid *start,
     struct tp_error *e)
{
	unsigned char *data = NULL;
	const char *obj;
	size_t size;
	int rc;

	memset(p, 0, sizeof(*p));
	p->id = *start;
	for (p->depth = 0; p->depth < PEEL_MAX; p->depth++) {
		rc = obj_read(h, &p->id, &p->type, &data, &size, e);
		if (rc == TP_ENOTFOUND)
			return PEEL_MISSING;
		if (rc < 0)
			return rc;
		if (p->type != TP_ODB_TAG) {
			if (p->type == TP_ODB_COMMIT)
				p->commit_time = header_time(data, size,
							     "committer ");
			free(data);
			return PEEL_OK;
		}
		if (p->depth == 0) {
			p->annotated = 1;
			p->tag_time = header_time(data, size, "tagger ");
		}
		obj = header(data, size, "object ");
		rc = obj == NULL ||
		     (size_t)(obj - (const char *)data) + 40 > size ||
		     oid_hex(&p->id, obj) < 0;
		free(data);
		data = NULL;
		if (rc)
			return PEEL_MALFORMED;
	}
	return PEEL_DEEP;
}

/*
 * Peels the object `start` of the revision `rev` down to a commit: fills
 * out->commit, out->time and out->annotated (out->id is the caller's).
 * TP_ENOTFOUND when `start` itself is not there (the revision is
 * unknown), TP_ESHALLOW or TP_EGIT when an object after it is missing or
 * cannot be read, TP_EINVAL when the chain ends at a tree or a blob.
 */
static int
peel_native(struct tp_history_object *out, struct tp_history *h,
	    const git_oid *start, const char *rev, struct tp_error *err)
{
	struct peeled p;
	struct tp_error e;
	int rc;

	tp_error_init(&e);
	rc = peel(&p, h, start, &e);
	if (rc == TP_ENOMEM)
		return oom(err);
	if (rc == PEEL_MISSING && p.depth == 0)
		return TP_ENOTFOUND;
	if (rc == PEEL_MISSING && h->shallow)
		return shallow_fail(err, "the commit of '%s' is not in this "
				    "shallow clone", rev);
	if (rc < 0 || rc == PEEL_MISSING)
		return tp_error_set(err, TP_EGIT, "cannot read the commit of "
				    "'%s': %s", rev, e.msg);
	if (rc == PEEL_MALFORMED)
		return tp_error_set(err, TP_EGIT, "the tag object of '%s' is "
				    "malformed", rev);
	if (rc == PEEL_DEEP)
		return tp_error_set(err, TP_EGIT, "'%s' is nested more than "
				    "%d tags deep", rev, PEEL_MAX);
	if (p.type != TP_ODB_COMMIT)
		return tp_error_set(err, TP_EINVAL, "'%s' does not name a "
				    "commit", rev);
	out->annotated = p.annotated;
	hex(out->commit, &p.id);
	out->time = p.commit_time;
	return 0;
}

/*
 * resolve() without libgit2, for the revisions that need no rev-parse:
 * a full hex id, HEAD, a full ref name (refs/...).  1 for any other
 * revision (libgit2 parses it).
 */
static int
resolve_native(struct tp_history_object *out, struct tp_history *h,
	       const char *rev, struct tp_error *err)
{
	struct tp_error e;
	git_oid id;
	size_t len = strlen(rev);
	int rc;

	if (len == 40 && oid_hex(&id, rev) == 0) {
		/* as rev-parse: a ref named like an id would win; none is */
	} else if (strcmp(rev, "HEAD") == 0 || strncmp(rev, "refs/", 5) == 0) {
		tp_error_init(&e);
		rc = tp_repo_ref(id.id, NULL, h->nat, rev, &e);
		if (rc == TP_ENOTFOUND && strcmp(rev, "HEAD") == 0)
			return unborn_fail(h, err);
		if (rc == TP_ENOTFOUND)
			return tp_error_set(err, TP_EINVAL, "unknown revision "
					    "'%s'", rev);
		if (rc == TP_ENOMEM)
			return oom(err);
		if (rc < 0)
			return 1; /* a ref this reader does not read */
	} else {
		return 1;
	}
	hex(out->id, &id);
	rc = peel_native(out, h, &id, rev, err);
	if (rc == TP_ENOTFOUND)
		return tp_error_set(err, TP_EINVAL, "unknown revision '%s'",
				    rev);
	return rc;
}

/* Resolves `rev` to an object peeled to a commit; fills `out`. */
static int
resolve(struct tp_history_object *out, git_commit **commit,
	struct tp_history *h, const char *rev, struct tp_error *err)
{
	git_object *obj = NULL, *peeled = NULL;
	int e, error = 0;

	memset(out, 0, sizeof(*out));
	if (commit != NULL)
		*commit = NULL;
	if (commit == NULL && h->nat != NULL &&
	    (error = resolve_native(out, h, rev, err)) <= 0)
		return error;
	memset(out, 0, sizeof(*out));
	if ((error = need_repo(h, err)) < 0)
		return error;
	e = git_revparse_single(&obj, h->repo, rev);
	if (e < 0) {
		if (strncmp(rev, "HEAD", 4) == 0 &&
		    git_repository_head_unborn(h->repo) == 1)
			return unborn_fail(h, err);
		if (e == GIT_ENOTFOUND || e == GIT_EINVALIDSPEC ||
		    e == GIT_EAMBIGUOUS)
			return git_fail(err, TP_EINVAL, "unknown revision "
					"'%s'", rev);
		return git_fail(err, TP_EGIT, "cannot resolve '%s'", rev);
	}
	hex(out->id, git_object_id(obj));
	out->annotated = git_object_type(obj) == GIT_OBJECT_TAG;
	e = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	if (e == GIT_ENOTFOUND) {
		error = h->shallow ?
			shallow_fail(err, "the commit of '%s' is not in this "
				     "shallow clone", rev) :
			git_fail(err, TP_EGIT, "cannot read the commit of "
				 "'%s'", rev);
		goto done;
	}
	if (e < 0) {
		error = tp_error_set(err, TP_EINVAL, "'%s' does not name a "
				     "commit", rev);
		goto done;
	}
	hex(out->commit, git_object_id(peeled));
	out->time = (int64_t)git_commit_time((git_commit *)peeled);
	if (commit != NULL) {
		*commit = (git_commit *)peeled;
		peeled = NULL;
	}
done:
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int
tp_history_resolve(struct tp_history_object *out, struct tp_history *h,
		   const char *rev, struct tp_error *err)
{
	return resolve(out, NULL, h, rev, err);
}

int
tp_history_head(char id[TP_HISTORY_ID_SIZE], struct tp_history *h,
		struct tp_error *err)
{
	struct tp_history_object obj;
	git_reference *ref = NULL;
	git_object *o = NULL;
	int e, error = 0;

	id[0] = '\0';
	if (h->nat != NULL) {
		if ((error = resolve(&obj, NULL, h, "HEAD", err)) < 0)
			return error;
		memcpy(id, obj.commit, TP_HISTORY_ID_SIZE);
		return 0;
	}
	e = git_repository_head(&ref, h->repo);
	if (e == GIT_EUNBORNBRANCH || e == GIT_ENOTFOUND)
		return unborn_fail(h, err);
	if (e < 0)
		return git_fail(err, TP_EGIT, "cannot read HEAD");
	if (git_reference_peel(&o, ref, GIT_OBJECT_COMMIT) < 0)
		error = git_fail(err, TP_EGIT, "cannot read the commit of "
				 "HEAD");
	else
		hex(id, git_object_id(o));
	git_object_free(o);
	git_reference_free(ref);
	return error;
}

int
tp_history_branch(char **out, struct tp_history *h, struct tp_error *err)
{
	git_reference *ref = NULL;
	struct tp_error e;
	const char *target;
	char *sym = NULL;
	int error = 0;

	*out = NULL;
	if (h->nat != NULL) {
		tp_error_init(&e);
		if ((error = tp_repo_symref(&sym, h->nat, "HEAD", &e)) < 0)
			return error == TP_ENOMEM ? oom(err) :
			       tp_error_set(err, TP_EGIT, "cannot read HEAD: "
					    "%s", e.msg);
		if (sym == NULL)
			return 0;
		target = strncmp(sym, "refs/heads/", 11) == 0 ? sym + 11 : sym;
		if ((*out = strdup(target)) == NULL)
			error = oom(err);
		free(sym);
		return error;
	}
	error = git_repository_head_detached(h->repo);
	if (error == 1)
		return 0;
	if (error < 0 && git_repository_head_unborn(h->repo) != 1)
		return git_fail(err, TP_EGIT, "cannot read HEAD");
	error = 0;
	if (git_reference_lookup(&ref, h->repo, "HEAD") < 0)
		return git_fail(err, TP_EGIT, "cannot read HEAD");
	target = git_reference_symbolic_target(ref);
	if (target != NULL) {
		if (strncmp(target, "refs/heads/", 11) == 0)
			target += 11;
		if ((*out = strdup(target)) == NULL)
			error = oom(err);
	}
	git_reference_free(ref);
	return error;
}

void
tp_history_short_id(char *out, size_t size, const char *id, unsigned len)
{
	size_t n = strlen(id);

	if (size == 0)
		return;
	if (n > len)
		n = len;
	if (n > size - 1)
		n = size - 1;
	memcpy(out, id, n);
	out[n] = '\0';
}

int
tp_history_read_file(struct tp_buf *out, struct tp_history *h,
		     const char *rev, const char *path, struct tp_error *err)
{
	struct tp_history_object obj;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int e, error;

	if ((error = need_repo(h, err)) < 0 ||
	    (error = resolve(&obj, &commit, h, rev, err)) < 0)
		return error;
	if (git_commit_tree(&tree, commit) < 0) {
		error = git_fail(err, TP_EGIT, "cannot read the tree of '%s'",
				 rev);
		goto done;
	}
	e = git_tree_entry_bypath(&entry, tree, path);
	if (e == GIT_ENOTFOUND ||
	    (e == 0 && git_tree_entry_type(entry) != GIT_OBJECT_BLOB)) {
		error = tp_error_set(err, TP_ENOTFOUND, "'%s' has no file "
				     "'%s'", rev, path);
		goto done;
	}
	if (e < 0) {
		error = git_fail(err, TP_EGIT, "cannot read '%s' in '%s'",
				 path, rev);
		goto done;
	}
	if (git_blob_lookup(&blob, h->repo, git_tree_entry_id(entry)) < 0) {
		error = git_fail(err, TP_EGIT, "cannot read '%s' in '%s'",
				 path, rev);
		goto done;
	}
	if (tp_buf_put(out, git_blob_rawcontent(blob),
		       (size_t)git_blob_rawsize(blob)) < 0)
		error = tp_error_set(err, TP_ENOMEM, "'%s' in '%s' is too "
				     "large", path, rev);
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

/* ------------------------------------------------------------------ */
/* tags                                                                */
/* ------------------------------------------------------------------ */

/*
 * Peels the object `id` a tag ref points at into `t` (which has its name):
 * annotated or not, the tagger time, and the commit at the end of the
 * chain of tag objects, if any.
 */
static int
peel_tag(struct tp_history *h, struct tp_history_tag *t, struct node **np,
	 const git_oid *target, struct tp_error *err)
{
	struct peeled p;
	struct tp_error e;
	struct node *n;
	int rc;

	*np = NULL;
	hex(t->id, target);
	tp_error_init(&e);
	rc = peel(&p, h, target, &e);
	if (rc == TP_ENOMEM)
		return oom(err);
	if (rc < 0)
		return tp_error_set(err, TP_EGIT, "cannot read tag '%s': %s",
				    t->name, e.msg);
	t->annotated = p.annotated;
	t->tag_time = p.tag_time;
	if (rc == PEEL_MISSING) {
		t->target = TP_TARGET_MISSING;
		return 0;
	}
	if (rc == PEEL_MALFORMED)
		return tp_error_set(err, TP_EGIT, "cannot read tag '%s': "
				    "malformed tag object", t->name);
	if (rc == PEEL_DEEP)
		return tp_error_set(err, TP_EGIT, "tag '%s' is nested more "
				    "than %d levels deep", t->name, PEEL_MAX);
	if (p.type == TP_ODB_COMMIT) {
		/* not parsed: see tp_history_commit_time() */
		if ((n = node_get(h, &p.id)) == NULL)
			return oom(err);
		t->target = TP_TARGET_COMMIT;
		hex(t->commit, &p.id);
		*np = n;
	} else if (p.type == TP_ODB_TREE) {
		t->target = TP_TARGET_TREE;
	} else {
		t->target = TP_TARGET_BLOB;
	}
	return 0;
}

static int
tag_cmp(const void *a, const void *b)
{
	const struct tp_history_tag *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	if (c != 0)
		return c;
	return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

/* The listing of load_tags(): h->tags grows by one tag a ref. */
struct tag_list {
	struct tp_history *h;
	size_t cap;
	struct tp_buf ref;
	struct tp_error *err;
};

/* Appends a tag named `name` (not peeled yet) to h->tags; NULL: no memory. */
static struct tp_history_tag *
tag_add(struct tag_list *l, const char *name, size_t len)
{
	struct tp_history *h = l->h;
	struct tp_history_tag *t;
	size_t ncap;
	void *p;

	if (h->ntags == l->cap) {
		ncap = l->cap ? l->cap * 2 : 64;
		if ((p = realloc(h->tags, ncap * sizeof(*h->tags))) == NULL)
			return NULL;
		h->tags = p;
		l->cap = ncap;
	}
	t = &h->tags[h->ntags];
	memset(t, 0, sizeof(*t));
	t->name_len = len;
	if ((t->name = arena_strndup(&h->arena, name, len)) == NULL)
		return NULL;
	h->ntags++;
	return t;
}

/* One tag ref, from the files (tp_history_foreach_tag_name()). */
static int
list_native(const char *name, size_t len, const char *target, void *payload)
{
	struct tag_list *l = payload;
	struct tp_history_tag *t;
	struct tp_error e;
	struct node *n;
	git_oid id;
	int rc;

	if ((t = tag_add(l, name, len)) == NULL)
		return oom(l->err);
	if (target == NULL || oid_hex(&id, target) < 0) {
		tp_buf_clear(&l->ref);
		if (tp_buf_puts(&l->ref, "refs/tags/") < 0 ||
		    tp_buf_put(&l->ref, name, len) < 0)
			return oom(l->err);
		tp_error_init(&e);
		rc = tp_repo_ref(id.id, NULL, l->h->nat, l->ref.ptr, &e);
		if (rc == TP_ENOMEM)
			return oom(l->err);
		if (rc < 0) {
			/* a symbolic ref that leads nowhere, a broken file */
			t->target = TP_TARGET_MISSING;
			return 0;
		}
	}
	/* the node is found again after sorting */
	return peel_tag(l->h, t, &n, &id, l->err);
}

/* Every tag ref, through libgit2. */
static int
list_libgit2(struct tag_list *l)
{
	struct tp_history *h = l->h;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL, *res = NULL;
	struct tp_history_tag *t;
	struct node *n;
	const char *name;
	int e, error = 0;

	if (git_reference_iterator_glob_new(&it, h->repo, "refs/tags/*") < 0)
		return git_fail(l->err, TP_EGIT, "cannot list the tags");
	while ((e = git_reference_next(&ref, it)) == 0) {
		name = git_reference_name(ref);
		if (strncmp(name, "refs/tags/", 10) != 0)
			goto next;
		if ((t = tag_add(l, name + 10, strlen(name + 10))) == NULL) {
			error = oom(l->err);
			goto done;
		}
		if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
			if (git_reference_resolve(&res, ref) < 0) {
				t->target = TP_TARGET_MISSING;
				goto next;
			}
			git_reference_free(ref);
			ref = res;
			res = NULL;
		}
		if ((error = peel_tag(h, t, &n, git_reference_target(ref),
				      l->err)) < 0)
			goto done;
next:
		git_reference_free(ref);
		ref = NULL;
	}
	if (e != GIT_ITEROVER)
		error = git_fail(l->err, TP_EGIT, "cannot list the tags");
done:
	git_reference_free(res);
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return error;
}

static int
load_tags(struct tp_history *h, struct tp_error *err)
{
	struct tag_list l;
	struct tp_history_tag *t;
	struct node *n;
	size_t i;
	int error = 0;

	if (h->tags_loaded)
		return 0;
	l.h = h;
	l.cap = 0;
	l.err = err;
	tp_buf_init(&l.ref, 0);
	if (h->nat != NULL)
		error = tp_history_foreach_tag_name(h, list_native, &l, err);
	else
		error = list_libgit2(&l);
	tp_buf_release(&l.ref);
	if (error < 0)
		goto done;
	if (h->ntags > 0)
		qsort(h->tags, h->ntags, sizeof(*h->tags), tag_cmp);
	h->tag_node = calloc(h->ntags ? h->ntags : 1, sizeof(*h->tag_node));
	h->tag_next = calloc(h->ntags ? h->ntags : 1, sizeof(*h->tag_next));
	if (h->tag_node == NULL || h->tag_next == NULL) {
		error = oom(err);
		goto done;
	}
	/* backwards, so that each commit's chain is in ascending order */
	for (i = h->ntags; i-- > 0;) {
		git_oid id;

		h->tag_next[i] = TAG_NONE;
		t = &h->tags[i];
		if (t->target != TP_TARGET_COMMIT || oid_hex(&id, t->commit) < 0)
			continue;
		n = node_find(h, &id);
		h->tag_node[i] = n;
		h->tag_next[i] = n->tag;
		n->tag = (int32_t)i;
	}
	h->tags_loaded = 1;
done:
	if (error < 0) {
		free(h->tag_node);
		free(h->tag_next);
		h->tag_node = NULL;
		h->tag_next = NULL;
		h->ntags = 0;
	}
	return error;
}

int
tp_history_tags(const struct tp_history_tag **tags, size_t *n,
		struct tp_history *h, struct tp_error *err)
{
	int error = load_tags(h, err);

	*tags = error < 0 ? NULL : h->tags;
	*n = error < 0 ? 0 : h->ntags;
	return error;
}

int
tp_history_tag_exists(struct tp_history *h, const char *name,
		      struct tp_error *err)
{
	struct tp_buf ref = TP_BUF_INIT;
	struct tp_error te;
	git_oid id;
	int e, valid = 0;

	if (tp_buf_printf(&ref, "refs/tags/%s", name) < 0)
		return oom(err);
	if (h->nat != NULL)
		valid = tp_refname_check(ref.ptr, ref.len, 0, NULL, 0);
	else if (git_reference_name_is_valid(&valid, ref.ptr) < 0)
		valid = 0;
	if (!valid || name[0] == '-') {
		tp_buf_release(&ref);
		return tp_error_set(err, TP_EINVAL, "'%s' is not a valid tag "
				    "name", name);
	}
	if (h->nat != NULL) {
		tp_error_init(&te);
		e = tp_repo_ref(id.id, NULL, h->nat, ref.ptr, &te);
		tp_buf_release(&ref);
		if (e == 0 || e == TP_ENOTFOUND)
			return e == 0;
		return e == TP_ENOMEM ? oom(err) :
		       tp_error_set(err, TP_EGIT, "cannot read tag '%s': %s",
				    name, te.msg);
	}
	e = git_reference_name_to_id(&id, h->repo, ref.ptr);
	tp_buf_release(&ref);
	if (e == 0)
		return 1;
	if (e == GIT_ENOTFOUND)
		return 0;
	return git_fail(err, TP_EGIT, "cannot read tag '%s'", name);
}

/* ------------------------------------------------------------------ */
/* tag names, without libgit2                                          */
/* ------------------------------------------------------------------ */

/* packed-refs larger than this are refused rather than read */
#define PACKED_MAX ((size_t)1 << 30)

/* One refs/tags line of packed-refs, in place in the file's text. */
struct packed_ref {
	const char *name;
	size_t len;
	const char *target; /* NULL: not 40 hex digits */
	int shadowed;       /* a loose ref (or an earlier line) has the name */
};

/* The state of one tp_history_foreach_tag_name(). */
struct name_scan {
	tp_history_tag_name_fn cb;
	void *payload;
	struct tp_error *err;
	struct packed_ref *packed; /* sorted by name */
	size_t npacked;
	size_t cap;
	/* the loose ref's path; zeroed past `len` (TP_HISTORY_NAME_PAD) */
	char path[4096 + TP_HISTORY_NAME_PAD];
	size_t len;
	size_t base; /* where the tag name starts in `path` */
};

static int
packed_cmp(const void *a, const void *b)
{
	const struct packed_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/*
 * Appends `path` to `out`; a missing file leaves it empty.  Then pads it
 * with TP_HISTORY_NAME_PAD zero bytes past its end (len is unchanged).
 */
static int
read_packed(struct tp_buf *out, const char *path, struct tp_error *err)
{
	static const char zeros[TP_HISTORY_NAME_PAD];
	struct stat st;
	size_t len, hint = 0;
	int fd, rc, error = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0
				       : tp_error_set(err, TP_EGIT,
						      "cannot read '%s': %s",
						      path, strerror(errno));
	/* one allocation for the whole file and the padding */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size <= PACKED_MAX)
		hint = (size_t)st.st_size + sizeof(zeros);
	rc = tp_buf_read_fd(out, fd, hint);
	if (rc == TP_EIO)
		error = tp_error_set(err, TP_EGIT, "cannot read '%s': %s",
				     path, strerror(errno));
	else if (rc < 0)
		error = tp_error_set(err, TP_EGIT, "'%s' is larger than %zu "
				     "bytes", path, PACKED_MAX);
	close(fd);
	len = out->len;
	if (error == 0 && tp_buf_put(out, zeros, sizeof(zeros)) < 0)
		error = oom(err);
	tp_buf_truncate(out, len);
	return error;
}

/*
 * Collects the refs/tags lines of packed-refs (`data`, which this makes
 * NUL-separated) into s->packed, sorted by name, later duplicates marked.
 */
static int
parse_packed(struct name_scan *s, struct tp_buf *data)
{
	struct packed_ref *r;
	char *p, *end, *nl, *sp;
	void *np;
	size_t i, ncap;
	int sorted = 1, c;

	for (p = data->ptr, end = data->ptr + data->len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		/* "<id> refs/tags/NAME"; '#' and '^' lines are not refs */
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (*p == '#' || *p == '^' || sp == NULL ||
		    (size_t)(nl - sp - 1) <= 10 ||
		    memcmp(sp + 1, "refs/tags/", 10) != 0)
			continue;
		if (s->npacked == s->cap) {
			/* git's tag lines take 53 bytes or more: room for
			 * all of them at once */
			ncap = s->cap ? 2 * s->cap : data->len / 53 + 16;
			np = realloc(s->packed, ncap * sizeof(*s->packed));
			if (np == NULL)
				return oom(s->err);
			s->packed = np;
			s->cap = ncap;
		}
		r = &s->packed[s->npacked++];
		r->name = sp + 11;
		r->len = (size_t)(nl - sp - 11);
		r->target = NULL;
		r->shadowed = 0;
		if (sp - p == 40 && strspn(p, "0123456789abcdef") >= 40)
			r->target = p;
		*sp = '\0';
		*nl = '\0';
		if (s->npacked > 1 && sorted) {
			c = packed_cmp(r - 1, r);
			sorted = c <= 0;
			r->shadowed = c == 0;
		}
	}
	if (sorted)
		return 0;
	/* git writes it sorted; a hand-edited file may not be */
	qsort(s->packed, s->npacked, sizeof(*s->packed), packed_cmp);
	s->packed[0].shadowed = 0;
	for (i = 1; i < s->npacked; i++)
		s->packed[i].shadowed =
			packed_cmp(&s->packed[i - 1], &s->packed[i]) == 0;
	return 0;
}

/* 1 when the entry `de` of `d` is a folder (a symbolic link never is). */
static int
is_folder(DIR *d, const struct dirent *de)
{
	struct stat st;

#ifdef DT_DIR
	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
#endif
	return fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* The loose ref at s->path: it overrides a packed one of its name. */
static int
visit_loose(struct name_scan *s)
{
	struct packed_ref key, *r;

	key.name = s->path + s->base;
	key.len = s->len - s->base;
	r = s->npacked == 0 ? NULL
			    : bsearch(&key, s->packed, s->npacked,
				      sizeof(*s->packed), packed_cmp);
	if (r != NULL)
		r->shadowed = 1;
	return s->cb(key.name, key.len, NULL, s->payload);
}

/* The loose refs in the folder s->path (refs/tags or one inside it). */
static int
scan_loose(struct name_scan *s)
{
	DIR *d;
	struct dirent *de;
	size_t len = s->len, n;
	int error = 0;

	d = opendir(s->path);
	if (d == NULL)
		return errno == ENOENT || errno == ENOTDIR
			       ? 0
			       : tp_error_set(s->err, TP_EGIT,
					      "cannot list the tags in '%s': "
					      "%s",
					      s->path, strerror(errno));
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				error = tp_error_set(s->err, TP_EGIT,
						     "cannot list the tags in "
						     "'%s': %s",
						     s->path, strerror(errno));
			break;
		}
		n = strlen(de->d_name);
		/* dot files, "." and ".." are never refs; nor are locks */
		if (de->d_name[0] == '.' ||
		    (n >= 5 && strcmp(de->d_name + n - 5, ".lock") == 0))
			continue;
		/* too long for a path: the system could not open it either */
		if (len + 1 + n >= sizeof(s->path) - TP_HISTORY_NAME_PAD)
			continue;
		s->path[len] = '/';
		memcpy(s->path + len + 1, de->d_name, n + 1);
		s->len = len + 1 + n;
		if (is_folder(d, de))
			error = scan_loose(s);
		else
			error = visit_loose(s);
		memset(s->path + len, 0, s->len - len);
		s->len = len;
		if (error != 0)
			break;
	}
	closedir(d);
	return error;
}

int
tp_history_foreach_tag_name(struct tp_history *h, tp_history_tag_name_fn cb,
			    void *payload, struct tp_error *err)
{
	const char *common = tp_history_commondir(h);
	struct tp_buf path = TP_BUF_INIT, data;
	struct name_scan *s = NULL;
	const struct packed_ref *r;
	size_t i, clen = strlen(common);
	int error = 0;

	tp_buf_init(&data, PACKED_MAX + TP_HISTORY_NAME_PAD);
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    tp_buf_printf(&path, "%spacked-refs", common) < 0) {
		error = oom(err);
		goto done;
	}
	s->cb = cb;
	s->payload = payload;
	s->err = err;
	if ((error = read_packed(&data, path.ptr, err)) < 0 ||
	    (error = parse_packed(s, &data)) < 0)
		goto done;
	if (clen + 10 >= sizeof(s->path) - TP_HISTORY_NAME_PAD) {
		error = tp_error_set(err, TP_EGIT, "the git folder's path "
				     "is too long: '%s'", common);
		goto done;
	}
	memcpy(s->path, common, clen);
	memcpy(s->path + clen, "refs/tags", 9);
	s->len = clen + 9;
	s->base = s->len + 1;
	if ((error = scan_loose(s)) != 0)
		goto done;
	for (i = 0; i < s->npacked && error == 0; i++) {
		r = &s->packed[i];
		if (!r->shadowed)
			error = cb(r->name, r->len, r->target, payload);
	}
done:
	if (s != NULL)
		free(s->packed);
	free(s);
	tp_buf_release(&path);
	tp_buf_release(&data);
	return error;
}

/*
 * The node of the commit `rev` resolves to.  A full hex id of a commit
 * skips revparse (which would read and parse the whole object).
 */
static int
rev_node(struct node **out, struct tp_history *h, const char *rev,
	 struct tp_error *err)
{
	struct tp_history_object obj;
	git_object_t type;
	git_oid id;
	size_t len;
	int error;

	if (rev != NULL && strlen(rev) == 40 &&
	    strspn(rev, "0123456789abcdef") == 40 && oid_hex(&id, rev) == 0 &&
	    (h->nat != NULL ?
	     ((*out = node_find(h, &id)) != NULL &&
	      ((*out)->flags & N_PARSED)) :
	     (git_odb_read_header(&len, &type, h->odb, &id) == 0 &&
	      type == GIT_OBJECT_COMMIT))) {
		if ((*out = node_get(h, &id)) == NULL)
			return oom(err);
		return 0;
	}
	if (rev == NULL)
		error = tp_history_head(obj.commit, h, err);
	else
		error = resolve(&obj, NULL, h, rev, err);
	if (error < 0)
		return error;
	if (oid_hex(&id, obj.commit) < 0)
		return git_fail(err, TP_EGIT, "bad object id '%s'",
				obj.commit);
	if ((*out = node_get(h, &id)) == NULL)
		return oom(err);
	return 0;
}

int
tp_history_commit_time(int64_t *out, struct tp_history *h, const char *rev,
		       struct tp_error *err)
{
	struct node *n;
	int error;

	*out = 0;
	if ((error = rev_node(&n, h, rev, err)) < 0 ||
	    (error = node_parse(h, n, err)) < 0)
		return error;
	*out = n->time;
	return 0;
}

int
tp_history_tags_at(size_t **out, size_t *n, struct tp_history *h,
		   const char *rev, struct tp_error *err)
{
	struct node *c;
	int32_t t;
	size_t k = 0;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = load_tags(h, err)) < 0 ||
	    (error = rev_node(&c, h, rev, err)) < 0)
		return error;
	for (t = c->tag; t != TAG_NONE; t = h->tag_next[t])
		k++;
	if (k == 0)
		return 0;
	if ((*out = malloc(k * sizeof(**out))) == NULL)
		return oom(err);
	for (t = c->tag; t != TAG_NONE; t = h->tag_next[t])
		(*out)[(*n)++] = (size_t)t;
	return 0;
}

/* ------------------------------------------------------------------ */
/* the current release                                                 */
/* ------------------------------------------------------------------ */

enum cls {
	C_OTHER,
	C_BAD,
	C_PRE,
	C_NOT_COMMIT,
	C_MISSING,
	C_CAND
};

struct cand {
	enum cls cls;
	int reached;     /* its commit was met walking from the start */
	int unreachable; /* tested: not in the history of the start */
	struct tp_version v;
};

struct ord {
	size_t tag;
	const struct tp_version *v;
	const struct tp_history_tag *t;
};

/* Higher version first, then the name in byte order. */
static int
ord_cmp(const void *a, const void *b)
{
	const struct ord *x = a, *y = b;
	int c = tp_version_cmp(y->v, x->v);

	return c != 0 ? c : tag_cmp(x->t, y->t);
}

const char *
tp_history_skip_str(enum tp_history_skip why)
{
	switch (why) {
	case TP_SKIP_OTHER_KIND:
		return "not of the release kind";
	case TP_SKIP_BAD_VERSION:
		return "not a valid version";
	case TP_SKIP_PRERELEASE:
		return "a prerelease";
	case TP_SKIP_NOT_COMMIT:
		return "does not point at a commit";
	case TP_SKIP_MISSING:
		return "its commit is not in the repository";
	case TP_SKIP_UNREACHABLE:
		return "not reachable from the commit";
	case TP_SKIP_SAME:
		return "the same version as the current release";
	case TP_SKIP_LOWER:
		return "lower than the current release";
	}
	return "unknown";
}

static void
classify_tags(struct cand *c, const struct tp_history *h, unsigned flags,
	      tp_history_classify_fn classify, void *payload)
{
	const struct tp_history_tag *t;
	size_t i, off, len;

	for (i = 0; i < h->ntags; i++) {
		t = &h->tags[i];
		off = len = 0;
		if (!classify(t->name, t->name_len, &off, &len, payload)) {
			c[i].cls = C_OTHER;
			continue;
		}
		if (off > t->name_len || len > t->name_len - off ||
		    tp_version_parse(&c[i].v, t->name + off, len, NULL) < 0) {
			c[i].cls = C_BAD;
			continue;
		}
		if (c[i].v.pre_len > 0 && !(flags & TP_FIND_PRERELEASES))
			c[i].cls = C_PRE;
		else if (t->target == TP_TARGET_MISSING)
			c[i].cls = C_MISSING;
		else if (t->target != TP_TARGET_COMMIT)
			c[i].cls = C_NOT_COMMIT;
		else
			c[i].cls = C_CAND;
	}
}

/* 1 when `i` beats the current best (higher, or equal and named first). */
static int
better(const struct tp_history *h, const struct cand *c, size_t i,
       long best)
{
	int d;

	if (best < 0)
		return 1;
	d = tp_version_cmp(&c[i].v, &c[best].v);
	return d > 0 || (d == 0 && tag_cmp(&h->tags[i], &h->tags[best]) < 0);
}

/*
 * Walks from `start` and stops each path at a commit that carries a
 * candidate (its ancestors are hidden).  Candidates met are reachable;
 * the commits that stopped a path go to `stops`; `*cut` says whether an
 * interesting path ran into the shallow boundary.
 */
static int
find_walk(struct tp_history *h, struct node *start, struct cand *c,
	  struct nodevec *stops, int *cut, long *best, size_t *walked,
	  struct tp_error *err)
{
	struct nodevec bound = { NULL, 0, 0 };
	struct node *n;
	int32_t t;
	size_t k;
	int error = 0, stop;

	walk_begin(h);
	*cut = 0;
	if ((error = walk_push(h, start, err)) < 0)
		return error;
	while (h->q_int > 0 && (n = walk_pop(h)) != NULL) {
		(*walked)++;
		stop = 0;
		for (t = n->tag; t != TAG_NONE; t = h->tag_next[t]) {
			if (c[t].cls != C_CAND)
				continue;
			c[t].reached = 1;
			stop = 1;
			if (better(h, c, (size_t)t, *best))
				*best = t;
		}
		if (stop && !(n->wflags & W_UNINT)) {
			n->wflags |= W_UNINT;
			if (vec_push(stops, n) < 0)
				goto nomem;
		}
		if ((n->flags & N_SHALLOW) && vec_push(&bound, n) < 0)
			goto nomem;
		if ((error = walk_parents(h, n, err)) < 0)
			goto done;
	}
	for (k = 0; k < bound.n; k++)
		if (!(wf(h, bound.v[k]) & W_UNINT))
			*cut = 1;
	goto done;
nomem:
	error = oom(err);
done:
	free(bound.v);
	return error;
}

static int
collect_skipped(struct tp_history_release *r, const struct tp_history *h,
		const struct cand *c, long best, struct tp_error *err)
{
	size_t i, n = 0;
	enum tp_history_skip why = TP_SKIP_OTHER_KIND;
	int d;

	r->skipped = calloc(h->ntags ? h->ntags : 1, sizeof(*r->skipped));
	if (r->skipped == NULL)
		return oom(err);
	for (i = 0; i < h->ntags; i++) {
		if ((long)i == best)
			continue;
		switch (c[i].cls) {
		case C_OTHER:
			why = TP_SKIP_OTHER_KIND;
			break;
		case C_BAD:
			why = TP_SKIP_BAD_VERSION;
			break;
		case C_PRE:
			why = TP_SKIP_PRERELEASE;
			break;
		case C_NOT_COMMIT:
			why = TP_SKIP_NOT_COMMIT;
			break;
		case C_MISSING:
			why = TP_SKIP_MISSING;
			break;
		case C_CAND:
			d = best < 0 ? 1 : tp_version_cmp(&c[i].v,
							  &c[best].v);
			if (c[i].unreachable || d > 0)
				why = TP_SKIP_UNREACHABLE;
			else if (d == 0)
				why = TP_SKIP_SAME;
			else
				why = TP_SKIP_LOWER;
			break;
		}
		r->skipped[n].tag = i;
		r->skipped[n].why = why;
		n++;
	}
	r->nskipped = n;
	return 0;
}

/*
 * The lowest generation of the `n` candidates `o` (0 when one has none),
 * below which no walk needs to look for them.
 */
static int
min_gen(uint32_t *out, struct tp_history *h, const struct cand *c,
	const struct ord *o, size_t n, struct tp_error *err)
{
	struct node *t;
	size_t i;
	int error;

	*out = GEN_INF;
	for (i = 0; i < n && *out > 0; i++) {
		if (c[o[i].tag].cls != C_CAND)
			continue;
		t = h->tag_node[o[i].tag];
		if ((error = node_parse(h, t, err)) < 0)
			return error;
		if (t->gen < *out)
			*out = t->gen;
	}
	if (*out == GEN_INF)
		*out = 0;
	return 0;
}

/*
 * Tests the candidates `o` (higher than *best, not met by the walk; highest
 * first) until one is reachable through the `stops`: anything reachable
 * from the start that the walk did not meet lies below a stop.  One by
 * one while that is cheap, then in one walk (see REACH_BUDGET).
 */
static int
find_higher(struct tp_history *h, struct cand *c, const struct ord *o,
	    size_t no, const struct nodevec *stops, int cut, long *best,
	    size_t *walked, struct tp_error *err)
{
	struct tp_buf subject = TP_BUF_INIT;
	size_t i, t, budget, spent, before = *walked;
	uint32_t mingen;
	int all = 0, allcut = 0, reach, error = 0;

	budget = 4 * before > REACH_BUDGET ? 4 * before : REACH_BUDGET;
	for (i = 0; i < no; i++) {
		t = o[i].tag;
		if (*best >= 0 && tp_version_cmp(&c[t].v, &c[*best].v) <= 0)
			break;
		tp_buf_clear(&subject);
		if (tp_buf_printf(&subject, "tag '%s'", h->tags[t].name) < 0) {
			error = oom(err);
			goto done;
		}
		if (c[t].cls == C_MISSING) {
			if (!h->shallow)
				continue;
			error = shallow_fail(err, "the history is shallow: the "
					     "commit of %s is missing, so it "
					     "may be the current release",
					     subject.ptr);
			goto done;
		}
		if (cut) {
			error = shallow_fail(err, "the history is shallow: %s "
					     "may be beyond the shallow "
					     "boundary", subject.ptr);
			goto done;
		}
		if (all) {
			reach = (wf(h, h->tag_node[t]) & W_SEEN) != 0;
			if (!reach && allcut) {
				error = shallow_fail(err, "the history is "
						     "shallow: cannot tell "
						     "whether %s is reachable",
						     subject.ptr);
				goto done;
			}
		} else {
			spent = *walked - before;
			reach = reach_any(h, h->tag_node[t], stops->v, stops->n,
					  subject.ptr, walked,
					  spent < budget ? budget - spent : 1,
					  err);
			if (reach == REACH_OVER) {
				if ((error = min_gen(&mingen, h, c, o + i,
						     no - i, err)) < 0 ||
				    (error = reach_all(h, stops->v, stops->n,
						       mingen, &allcut, walked,
						       err)) < 0)
					goto done;
				all = 1;
				i--;
				continue;
			}
		}
		if (reach < 0) {
			error = reach;
			goto done;
		}
		if (reach)
			*best = (long)t;
		else
			c[t].unreachable = 1;
	}
done:
	tp_buf_release(&subject);
	return error;
}

int
tp_history_find_release(struct tp_history_release **out,
			struct tp_history *h, const char *rev, unsigned flags,
			tp_history_classify_fn classify, void *payload,
			struct tp_error *err)
{
	struct tp_history_release *r = NULL;
	struct nodevec stops = { NULL, 0, 0 };
	struct cand *c = NULL;
	struct ord *o = NULL;
	struct node *start;
	size_t i, no = 0;
	long best = -1;
	int error, cut = 0;

	*out = NULL;
	if ((error = load_tags(h, err)) < 0 ||
	    (error = rev_node(&start, h, rev, err)) < 0)
		return error;
	r = calloc(1, sizeof(*r));
	c = calloc(h->ntags ? h->ntags : 1, sizeof(*c));
	o = calloc(h->ntags ? h->ntags : 1, sizeof(*o));
	if (r == NULL || c == NULL || o == NULL)
		goto nomem;
	hex(r->start, &start->oid);
	r->shallow = h->shallow;
	classify_tags(c, h, flags, classify, payload);
	if ((error = find_walk(h, start, c, &stops, &cut, &best, &r->walked,
			       err)) < 0)
		goto done;

	/*
	 * Higher candidates not met are reachable only through a commit
	 * that stopped a path: test them, highest first, until one is.
	 */
	for (i = 0; i < h->ntags; i++) {
		if ((c[i].cls != C_CAND && c[i].cls != C_MISSING) ||
		    c[i].reached ||
		    (best >= 0 && tp_version_cmp(&c[i].v, &c[best].v) <= 0))
			continue;
		o[no].tag = i;
		o[no].v = &c[i].v;
		o[no].t = &h->tags[i];
		no++;
	}
	qsort(o, no, sizeof(*o), ord_cmp);
	if ((error = find_higher(h, c, o, no, &stops, cut, &best, &r->walked,
				 err)) < 0)
		goto done;
	if (best < 0 && cut) {
		error = shallow_fail(err, "the history is shallow and no "
				     "release tag was found in the fetched "
				     "part");
		goto done;
	}
	if (best >= 0) {
		r->tag = &h->tags[best];
		r->tag_index = (size_t)best;
		r->version = c[best].v;
	}
	if ((error = collect_skipped(r, h, c, best, err)) < 0)
		goto done;
	*out = r;
	r = NULL;
	goto done;
nomem:
	error = oom(err);
done:
	tp_history_release_free(r);
	free(stops.v);
	free(c);
	free(o);
	return error;
}

void
tp_history_release_free(struct tp_history_release *r)
{
	if (r == NULL)
		return;
	free(r->skipped);
	free(r);
}

/* ------------------------------------------------------------------ */
/* commits since                                                       */
/* ------------------------------------------------------------------ */

struct pick {
	struct node *n;
	size_t order;
};

static int
pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->n->time != y->n->time)
		return x->n->time < y->n->time ? 1 : -1;
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * `git log SINCE..START`: git's limit_list() with our own queue order.
 * When every queued commit has a generation number the order is
 * topological and stopping as soon as only uninteresting commits are
 * queued is exact; otherwise SLOP more commits absorb clock skew.
 */
static int
since_walk(struct nodevec *res, struct tp_history *h, struct node *start,
	   struct node *since, size_t *walked, struct tp_error *err)
{
	struct nodevec bound = { NULL, 0, 0 };
	struct node *n;
	size_t k, j;
	int error = 0, slop = SLOP;

	walk_begin(h);
	if (since != NULL) {
		wset(h, since, W_UNINT);
		if ((error = walk_push(h, since, err)) < 0)
			return error;
	}
	if ((error = walk_push(h, start, err)) < 0)
		return error;
	while ((n = walk_pop(h)) != NULL) {
		(*walked)++;
		if ((n->flags & N_SHALLOW) && vec_push(&bound, n) < 0)
			goto nomem;
		if ((error = walk_parents(h, n, err)) < 0)
			goto done;
		if (!(n->wflags & W_UNINT)) {
			if (vec_push(res, n) < 0)
				goto nomem;
			continue;
		}
		if (h->q.n == 0 || (h->q_int == 0 &&
				    h->q.v[0].n->gen != GEN_INF))
			break;
		if (h->q.v[0].n->time >= n->time || h->q_int > 0)
			slop = SLOP;
		else if (--slop == 0)
			break;
	}
	for (k = j = 0; k < res->n; k++)
		if (!(res->v[k]->wflags & W_UNINT))
			res->v[j++] = res->v[k];
	res->n = j;
	for (k = 0; k < bound.n; k++)
		if (!(bound.v[k]->wflags & W_UNINT)) {
			error = shallow_fail(err, "the history is shallow: "
					     "commits of the range lie beyond "
					     "the shallow boundary");
			goto done;
		}
	goto done;
nomem:
	error = oom(err);
done:
	free(bound.v);
	return error;
}

/* 1 when `commit` changes something under one of `paths`. */
static int
touches(git_commit *commit, char **paths, size_t npaths, int *changed,
	struct tp_error *err)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_tree_entry *a = NULL, *b = NULL;
	char id[TP_HISTORY_ID_SIZE];
	size_t i;
	int ea, eb, error = 0;

	*changed = 0;
	hex(id, git_commit_id(commit));
	if (git_commit_tree(&tree, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     (git_commit_parent(&parent, commit, 0) < 0 ||
	      git_commit_tree(&ptree, parent) < 0))) {
		error = git_fail(err, TP_EGIT, "cannot read the trees of "
				 "commit '%s'", id);
		goto done;
	}
	for (i = 0; i < npaths && !*changed; i++) {
		if (paths[i][0] == '\0') {
			*changed = ptree == NULL ?
				git_tree_entrycount(tree) > 0 :
				!git_oid_equal(git_tree_id(tree),
					       git_tree_id(ptree));
			continue;
		}
		ea = git_tree_entry_bypath(&a, tree, paths[i]);
		eb = ptree == NULL ? GIT_ENOTFOUND :
		     git_tree_entry_bypath(&b, ptree, paths[i]);
		if ((ea < 0 && ea != GIT_ENOTFOUND) ||
		    (eb < 0 && eb != GIT_ENOTFOUND)) {
			error = git_fail(err, TP_EGIT, "cannot read '%s' in "
					 "commit '%s'", paths[i], id);
			goto done;
		}
		if ((ea == 0) != (eb == 0))
			*changed = 1;
		else if (ea == 0)
			*changed = !git_oid_equal(git_tree_entry_id(a),
						  git_tree_entry_id(b)) ||
				   git_tree_entry_filemode(a) !=
				   git_tree_entry_filemode(b);
		git_tree_entry_free(a);
		git_tree_entry_free(b);
		a = b = NULL;
	}
done:
	git_tree_entry_free(a);
	git_tree_entry_free(b);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	return error;
}

/* The path prefixes made canonical: no "./", no trailing '/', "." = "". */
static char **
norm_paths(struct arena *a, const char *const *paths, size_t n)
{
	char **v = arena_alloc(a, (n ? n : 1) * sizeof(*v));
	const char *p;
	size_t i, len;

	if (v == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		p = paths[i];
		while (p[0] == '.' && p[1] == '/')
			for (p += 2; *p == '/'; p++)
				;
		len = strlen(p);
		while (len > 0 && p[len - 1] == '/')
			len--;
		if (len == 1 && p[0] == '.')
			len = 0;
		if ((v[i] = arena_strndup(a, p, len)) == NULL)
			return NULL;
	}
	return v;
}

/*
 * Fills `c` from the raw commit `data`: the parent count and committer
 * time of its header, and its message, which (as libgit2's
 * git_commit_message_raw()) is everything after the first blank line, up
 * to a NUL byte if there is one.
 */
static int
fill_commit(struct tp_history_commit *c, struct arena *a,
	    const struct tp_history *h, struct node *n,
	    const unsigned char *data, size_t size)
{
	const char *raw = (const char *)data, *end = raw + size;
	const char *msg = end, *p, *eol;
	size_t len, k = 0, np = 0;
	int32_t t;
	size_t *tags;

	for (p = raw; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if (eol == p) {
			msg = eol + 1;
			break;
		}
		if (eol - p >= 7 && memcmp(p, "parent ", 7) == 0)
			np++;
	}
	len = strnlen(msg, (size_t)(end - msg));
	hex(c->id, &n->oid);
	c->nparents = np;
	c->time = header_time(data, size, "committer ");
	if ((c->message = arena_strndup(a, msg, len)) == NULL)
		return -1;
	c->message_len = len;
	/* the first line that is not blank */
	for (p = c->message; *p != '\0'; p = *eol ? eol + 1 : eol) {
		const char *q;

		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		for (q = p; q < eol && (*q == ' ' || *q == '\t' ||
					*q == '\r'); q++)
			;
		if (q < eol)
			break;
	}
	eol = strchr(p, '\n');
	if (eol == NULL)
		eol = p + strlen(p);
	while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t' ||
			   eol[-1] == '\r'))
		eol--;
	c->summary_len = (size_t)(eol - p);
	if ((c->summary = arena_strndup(a, p, c->summary_len)) == NULL)
		return -1;
	for (t = n->tag; t != TAG_NONE; t = h->tag_next[t])
		k++;
	c->ntags = k;
	if (k == 0)
		return 0;
	if ((tags = arena_alloc(a, k * sizeof(*tags))) == NULL)
		return -1;
	k = 0;
	for (t = n->tag; t != TAG_NONE; t = h->tag_next[t])
		tags[k++] = (size_t)t;
	c->tags = tags;
	return 0;
}

int
tp_history_commits_since(struct tp_history_commits **out,
			 struct tp_history *h, const char *rev,
			 const char *since, const char *const *paths,
			 size_t npaths, struct tp_error *err)
{
	struct tp_history_commits *l = NULL;
	struct arena *a = NULL;
	struct nodevec res = { NULL, 0, 0 };
	struct pick *pk = NULL;
	struct node *start, *base = NULL;
	git_commit *commit = NULL;
	enum tp_odb_type type;
	unsigned char *data = NULL;
	char **norm = NULL;
	size_t i, size;
	int error, changed;

	*out = NULL;
	if ((error = load_tags(h, err)) < 0 ||
	    (error = rev_node(&start, h, rev, err)) < 0 ||
	    (since != NULL && (error = rev_node(&base, h, since, err)) < 0))
		return error;
	if ((l = calloc(1, sizeof(*l))) == NULL ||
	    (a = calloc(1, sizeof(*a))) == NULL)
		goto nomem;
	l->priv = a;
	if (npaths > 0 && (norm = norm_paths(a, paths, npaths)) == NULL)
		goto nomem;
	if ((error = since_walk(&res, h, start, base, &l->walked, err)) < 0)
		goto done;
	l->total = res.n;
	if ((pk = calloc(res.n ? res.n : 1, sizeof(*pk))) == NULL ||
	    (l->commits = calloc(res.n ? res.n : 1,
				 sizeof(*l->commits))) == NULL)
		goto nomem;
	for (i = 0; i < res.n; i++) {
		pk[i].n = res.v[i];
		pk[i].order = i;
	}
	qsort(pk, res.n, sizeof(*pk), pick_cmp);
	if (npaths > 0 && (error = need_repo(h, err)) < 0)
		goto done;
	for (i = 0; i < res.n; i++) {
		char id[TP_HISTORY_ID_SIZE];

		changed = 1;
		if (npaths > 0) {
			if (git_commit_lookup(&commit, h->repo,
					      &pk[i].n->oid) < 0) {
				hex(id, &pk[i].n->oid);
				error = git_fail(err, TP_EGIT, "cannot read "
						 "commit '%s'", id);
				goto done;
			}
			error = touches(commit, norm, npaths, &changed, err);
			git_commit_free(commit);
			commit = NULL;
			if (error < 0)
				goto done;
		}
		if (!changed)
			continue;
		if ((error = read_for(h, &pk[i].n->oid, &type, &data, &size,
				      "commit", err)) < 0)
			goto done;
		if (fill_commit(&l->commits[l->nr++], a, h, pk[i].n, data,
				size) < 0)
			goto nomem;
		free(data);
		data = NULL;
	}
	*out = l;
	l = NULL;
	goto done;
nomem:
	error = oom(err);
done:
	free(data);
	if (commit != NULL)
		git_commit_free(commit);
	tp_history_commits_free(l);
	free(pk);
	free(res.v);
	return error;
}

void
tp_history_commits_free(struct tp_history_commits *c)
{
	if (c == NULL)
		return;
	if (c->priv != NULL) {
		arena_release(c->priv);
		free(c->priv);
	}
	free(c->commits);
	free(c);
}

/* ------------------------------------------------------------------ */
/* reachability                                                        */
/* ------------------------------------------------------------------ */

int
tp_history_reachable(struct tp_history *h, const char *ancestor,
		     const char *const *from, size_t n, struct tp_error *err)
{
	struct tp_buf subject = TP_BUF_INIT;
	struct node *t, **src = NULL;
	size_t i, walked = 0;
	int error;

	if ((error = rev_node(&t, h, ancestor, err)) < 0)
		return error;
	if ((src = calloc(n ? n : 1, sizeof(*src))) == NULL)
		return oom(err);
	for (i = 0; i < n; i++)
		if ((error = rev_node(&src[i], h, from[i], err)) < 0)
			goto done;
	tp_buf_printf(&subject, "'%s'", ancestor);
	error = reach_any(h, t, src, n, subject.ptr, &walked, 0, err);
done:
	tp_buf_release(&subject);
	free(src);
	return error;
}

/* The branch name of a ref: refs/heads/NAME or refs/remotes/R/NAME. */
static const char *
branch_part(const char *ref)
{
	const char *slash;

	if (strncmp(ref, "refs/heads/", 11) == 0)
		return ref + 11;
	if (strncmp(ref, "refs/remotes/", 13) == 0 &&
	    (slash = strchr(ref + 13, '/')) != NULL)
		return slash + 1;
	return NULL;
}

int
tp_history_on_branch(char **branch, struct tp_history *h, const char *rev,
		     const char *const *patterns, size_t npatterns,
		     struct tp_error *err)
{
	static const char *const globs[] = { "refs/heads/*",
					     "refs/remotes/*" };
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *obj = NULL;
	struct node *t, *tip;
	const char *name;
	size_t g, i, walked = 0;
	int e = 0, error, found = 0;

	if (branch != NULL)
		*branch = NULL;
	if ((error = rev_node(&t, h, rev, err)) < 0 ||
	    (error = need_repo(h, err)) < 0)
		return error;
	for (g = 0; g < 2 && !found; g++) {
		if (git_reference_iterator_glob_new(&it, h->repo,
						    globs[g]) < 0) {
			error = git_fail(err, TP_EGIT, "cannot list the "
					 "branches");
			goto done;
		}
		while (!found && (e = git_reference_next(&ref, it)) == 0) {
			name = branch_part(git_reference_name(ref));
			if (git_reference_type(ref) != GIT_REFERENCE_DIRECT ||
			    name == NULL)
				goto next;
			for (i = 0; i < npatterns; i++)
				if (fnmatch(patterns[i], name,
					    FNM_PATHNAME) == 0)
					break;
			if (i == npatterns)
				goto next;
			if (git_reference_peel(&obj, ref,
					       GIT_OBJECT_COMMIT) < 0)
				goto next;
			if ((tip = node_get(h, git_object_id(obj))) == NULL) {
				error = oom(err);
				goto done;
			}
			if ((error = reach_any(h, t, &tip, 1, rev, &walked, 0,
					       err)) < 0)
				goto done;
			if (error == 1) {
				found = 1;
				if (branch != NULL &&
				    (*branch = strdup(git_reference_name(ref)))
				    == NULL) {
					error = oom(err);
					goto done;
				}
			}
next:
			git_object_free(obj);
			obj = NULL;
			git_reference_free(ref);
			ref = NULL;
		}
		if (!found && e != GIT_ITEROVER) {
			error = git_fail(err, TP_EGIT, "cannot list the "
					 "branches");
			goto done;
		}
		git_reference_iterator_free(it);
		it = NULL;
	}
	error = found;
done:
	git_object_free(obj);
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return error;
}

/* ------------------------------------------------------------------ */
/* creating a tag                                                      */
/* ------------------------------------------------------------------ */

/* Like git: GIT_COMMITTER_NAME/EMAIL first, then user.name/email. */
static int
tagger(git_signature **sig, struct tp_history *h, struct tp_error *err)
{
	git_config *cfg = NULL;
	const char *name = getenv("GIT_COMMITTER_NAME");
	const char *email = getenv("GIT_COMMITTER_EMAIL");
	const char *cname = NULL, *cemail = NULL;
	int error = 0;

	if (git_repository_config_snapshot(&cfg, h->repo) < 0)
		return git_fail(err, TP_EGIT, "cannot read the git "
				"configuration");
	if (name == NULL || *name == '\0') {
		if (git_config_get_string(&cname, cfg, "user.name") < 0)
			cname = NULL;
		name = cname;
	}
	if (email == NULL || *email == '\0') {
		if (git_config_get_string(&cemail, cfg, "user.email") < 0)
			cemail = NULL;
		email = cemail;
	}
	if (name == NULL || *name == '\0' || email == NULL ||
	    *email == '\0') {
		error = tp_error_set(err, TP_EGIT, "cannot create a tag: no "
				     "tagger identity (%s not set in the git "
				     "configuration)",
				     name == NULL || *name == '\0' ?
				     (email == NULL || *email == '\0' ?
				      "user.name and user.email are" :
				      "user.name is") : "user.email is");
		tp_error_hint(err, "run git config user.name 'Your Name' "
			      "and git config user.email you@example.com");
		goto done;
	}
	if (git_signature_now(sig, name, email) < 0)
		error = git_fail(err, TP_EGIT, "bad tagger identity '%s <%s>'",
				 name, email);
done:
	git_config_free(cfg);
	return error;
}

int
tp_history_tag_create(char id[TP_HISTORY_ID_SIZE], struct tp_history *h,
		      const char *name, const char *rev, const char *message,
		      struct tp_error *err)
{
	struct tp_history_object obj;
	git_commit *commit = NULL;
	git_signature *sig = NULL;
	git_buf msg = { NULL, 0, 0 };
	git_oid oid;
	int e, error;

	if (id != NULL)
		id[0] = '\0';
	if ((error = tp_history_tag_exists(h, name, err)) < 0)
		return error;
	if (error == 1)
		return tp_error_set(err, TP_EEXISTS, "tag '%s' already "
				    "exists", name);
	if ((error = need_repo(h, err)) < 0 ||
	    (error = resolve(&obj, &commit, h, rev, err)) < 0)
		return error;
	if ((error = tagger(&sig, h, err)) < 0)
		goto done;
	if (git_message_prettify(&msg, message, 0, '#') < 0) {
		error = git_fail(err, TP_EGIT, "cannot prepare the message of "
				 "tag '%s'", name);
		goto done;
	}
	e = git_tag_create(&oid, h->repo, name, (git_object *)commit, sig,
			   msg.ptr, 0);
	if (e == GIT_EEXISTS) {
		error = tp_error_set(err, TP_EEXISTS, "tag '%s' already "
				     "exists", name);
	} else if (e == GIT_EINVALIDSPEC) {
		error = tp_error_set(err, TP_EINVAL, "'%s' is not a valid tag "
				     "name", name);
	} else if (e < 0) {
		error = git_fail(err, TP_EGIT, "cannot create tag '%s'",
				 name);
	} else if (id != NULL) {
		hex(id, &oid);
	}
done:
	git_buf_dispose(&msg);
	git_signature_free(sig);
	git_commit_free(commit);
	return error;
}

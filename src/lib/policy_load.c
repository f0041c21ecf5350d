/*
 * policy_load.c: .tagpolicy.yml -> struct tp_policy.
 *
 * Every source (the built-in field defaults, each preset or file named by
 * `extends`, depth first, then the file itself) is parsed into a node tree
 * and checked against the schema tables; its sections are then merged into
 * one layer, later sources winning (policy.md): kinds, each scope's list
 * and publish are replaced whole; fields, rules (custom rules by id),
 * release, bump (bump.types by type), check, components and retention key
 * by key.  The typed policy is built from that layer, cross-checked and
 * compiled; the node trees are dropped at the end.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"
#include "rule.h"
#include "schema.h"
#include "template.h"
#include "yamlnode.h"

#define EXTENDS_MAX_DEPTH 16
#define SOURCES_MAX 64
#define NAME_MAX_LEN 64
#define FIELD_NAME_MAX 32
#define HEX_MIN 4
#define HEX_MAX 64
#define RULE_NUM_MAX 1000000L

#define ORIGIN_DEFAULT "built-in default"

/* The defaults of the fields a policy may redefine (policy.md). */
static const char builtin_yaml[] = "version: 1\n"
				   "fields:\n"
				   "  env: {values: [dev, staging, prod]}\n"
				   "  sha: {hex: 7}\n"
				   "  build: {pattern: \"b[0-9]+\"}\n"
				   "  date: {date: \"%Y%m%d\"}\n";

static const struct {
	const char *name;
	enum tp_field_type type;
} builtin_fields[] = {
	{ "semver", TP_FIELD_SEMVER }, { "major", TP_FIELD_MAJOR },
	{ "minor", TP_FIELD_MINOR },   { "patch", TP_FIELD_PATCH },
	{ "pre", TP_FIELD_PRE },       { "meta", TP_FIELD_META },
	{ "branch", TP_FIELD_BRANCH }
};

#define NBUILTIN (sizeof(builtin_fields) / sizeof(builtin_fields[0]))

static const char *const bump_names[] = { "none", "patch", "minor", "major",
					  NULL };
static const char *const when_names[] = { "always", "release", "prerelease",
					  "branch", NULL };

/* One key of a merged section: its value and the source it came from. */
struct entry {
	const char *name;
	const struct tp_ynode *node;
	const char *file; /* a tp_policy.sources string; NULL = built in */
	unsigned gen; /* which apply() set it */
};

/*
 * The keys of a merged section, in the order first set.  A section of
 * many keys (components) also has a hash table of them, so that merging
 * it stays linear.
 */
struct entries {
	struct entry *v;
	size_t n;
	size_t cap;
	size_t *slot; /* by hash of the name: index + 1, or 0 (free) */
	size_t nslot; /* a power of two over twice n, or 0 (no table) */
};

/* Sections of fewer keys are searched one key after another. */
#define ENTRIES_HASHED 16

/* A section replaced whole. */
struct whole {
	const struct tp_ynode *node;
	const char *file;
};

struct layer {
	struct whole kinds;
	struct whole scope[TP_SCOPE_COUNT];
	struct whole publish;
	struct entries fields;
	struct entries rules;
	struct entries custom;
	struct entries release;
	struct entries bump;
	struct entries types;
	struct entries check;
	struct entries components;
	struct entries retention;
};

struct frame {
	char *identity; /* realpath, or "preset:NAME" */
	char *display; /* as written in `extends` */
};

struct loader {
	struct tp_policy *p;
	struct tp_ydoc **docs;
	size_t ndocs;
	size_t capdocs;
	struct layer L;
	struct frame stack[EXTENDS_MAX_DEPTH + 1];
	size_t depth;
	size_t nread;
	unsigned gen;
	struct whole *kind_src; /* per kind: its template node */
	struct tp_error *err;
};

static int
oom(struct loader *ld)
{
	return tp_error_set(ld->err, TP_ENOMEM, "out of memory");
}

static const struct tp_kind *
indexed_kind(const struct tp_policy *p, const char *name);
static int index_kinds(struct loader *ld);

/* Re-raises a lower layer's message at a node, with its key path. */
static int
wrap(struct loader *ld, int code, const char *file, const struct tp_ynode *node,
     const struct tp_error *inner)
{
	if (inner->code == TP_ENOMEM)
		return oom(ld);
	return tp_schema_error(ld->err, code, file, node, "%s", inner->msg);
}

static int
ascii_casecmp(const char *a, const char *b)
{
	int ca, cb;

	do {
		ca = (unsigned char)*a++;
		cb = (unsigned char)*b++;
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
	} while (ca == cb && ca != 0);
	return ca - cb;
}

static void
free_list(char **list, size_t n)
{
	size_t i;

	if (list == NULL)
		return;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* ------------------------------------------------------------------ */
/* Merging                                                             */
/* ------------------------------------------------------------------ */

static int
entry_is(const struct entry *v, const char *name, int nocase)
{
	return (nocase ? ascii_casecmp(v->name, name)
		       : strcmp(v->name, name)) == 0;
}

/* FNV-1a of the name (of its lower-case form for `nocase`). */
static size_t
name_hash(const char *name, int nocase)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	unsigned char c;

	for (; *name != '\0'; name++) {
		c = (unsigned char)*name;
		if (nocase && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h = (h ^ c) * UINT64_C(0x100000001b3);
	}
	return (size_t)(h ^ (h >> 32));
}

/* The entry named `name`, or SIZE_MAX. */
static size_t
entries_find(const struct entries *e, const char *name, int nocase)
{
	size_t i, s, mask = e->nslot - 1;

	if (e->nslot == 0) {
		for (i = 0; i < e->n; i++)
			if (entry_is(&e->v[i], name, nocase))
				return i;
		return SIZE_MAX;
	}
	for (s = name_hash(name, nocase) & mask; e->slot[s] != 0;
	     s = (s + 1) & mask)
		if (entry_is(&e->v[e->slot[s] - 1], name, nocase))
			return e->slot[s] - 1;
	return SIZE_MAX;
}

/* Puts entry i in the hash table (its name is not there yet). */
static void
entries_slot_put(struct entries *e, size_t i, int nocase)
{
	size_t s, mask = e->nslot - 1;

	for (s = name_hash(e->v[i].name, nocase) & mask; e->slot[s] != 0;
	     s = (s + 1) & mask)
		;
	e->slot[s] = i + 1;
}

/* Makes the hash table anew for the entries there are; 0 or TP_ENOMEM. */
static int
entries_rehash(struct loader *ld, struct entries *e, int nocase)
{
	size_t n = 64, i;

	free(e->slot);
	e->slot = NULL;
	e->nslot = 0;
	if (e->n < ENTRIES_HASHED)
		return 0;
	while (n <= 2 * e->n)
		n *= 2;
	e->slot = calloc(n, sizeof(*e->slot));
	if (e->slot == NULL)
		return oom(ld);
	e->nslot = n;
	for (i = 0; i < e->n; i++)
		entries_slot_put(e, i, nocase);
	return 0;
}

/*
 * Sets `name` in a merged section.  A later source replaces an earlier
 * one's value in place; the same source setting it twice (which only
 * happens for case-folded names and custom rule ids) returns 1.
 */
static int
entries_set(struct loader *ld, struct entries *e, const char *name,
	    const struct tp_ynode *node, const char *file, int nocase)
{
	struct entry *v;
	size_t i, cap;

	i = entries_find(e, name, nocase);
	if (i != SIZE_MAX) {
		if (e->v[i].gen == ld->gen)
			return 1;
		e->v[i].name = name;
		e->v[i].node = node;
		e->v[i].file = file;
		e->v[i].gen = ld->gen;
		return 0;
	}
	if (e->n == e->cap) {
		cap = e->cap ? e->cap * 2 : 8;
		v = realloc(e->v, cap * sizeof(*v));
		if (v == NULL)
			return oom(ld);
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n].name = name;
	e->v[e->n].node = node;
	e->v[e->n].file = file;
	e->v[e->n].gen = ld->gen;
	e->n++;
	if (e->nslot == 0 || 2 * e->n >= e->nslot)
		return entries_rehash(ld, e, nocase);
	entries_slot_put(e, e->n - 1, nocase);
	return 0;
}

/* A null value takes back what earlier sources set for `name`. */
static int
entries_del(struct loader *ld, struct entries *e, const char *name, int nocase)
{
	size_t i = entries_find(e, name, nocase);

	if (i == SIZE_MAX)
		return 0;
	memmove(&e->v[i], &e->v[i + 1], (e->n - i - 1) * sizeof(e->v[0]));
	e->n--;
	/* the later entries moved down: their places change */
	return e->nslot != 0 ? entries_rehash(ld, e, nocase) : 0;
}

/* Frees what a section holds (not the nodes: they are the documents'). */
static void
entries_free(struct entries *e)
{
	free(e->v);
	free(e->slot);
}

static int
set_children(struct loader *ld, struct entries *e, const struct tp_ynode *map,
	     const char *file)
{
	const struct tp_ynode *v;
	int error;

	for (v = map->child; v != NULL; v = v->next) {
		if (tp_ynode_is_null(v)) {
			error = entries_del(ld, e, v->key->str, 0);
			if (error < 0)
				return error;
			continue;
		}
		error = entries_set(ld, e, v->key->str, v, file, 0);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
apply_rules(struct loader *ld, const struct tp_ynode *rules, const char *file)
{
	const struct tp_ynode *v, *item, *id;
	int error;

	for (v = rules->child; v != NULL; v = v->next) {
		if (strcmp(v->key->str, "custom") != 0 && tp_ynode_is_null(v)) {
			error = entries_del(ld, &ld->L.rules, v->key->str, 0);
			if (error < 0)
				return error;
			continue;
		}
		if (strcmp(v->key->str, "custom") != 0) {
			error = entries_set(ld, &ld->L.rules, v->key->str, v,
					    file, 0);
			if (error < 0)
				return error;
			continue;
		}
		if (tp_ynode_is_null(v))
			continue;
		if (v->type != TP_YNODE_SEQUENCE)
			return tp_schema_error(ld->err, TP_EPOLICY, file, v,
					       "expected a list of custom "
					       "rules, got %s",
					       tp_ynode_what(v));
		for (item = v->child; item != NULL; item = item->next) {
			error = tp_schema_check(item, &tp_schema_custom_rule,
						file, ld->err);
			if (error < 0)
				return error;
			if (item->type != TP_YNODE_MAPPING)
				return tp_schema_error(ld->err, TP_EPOLICY,
						       file, item,
						       "expected a mapping, "
						       "got %s",
						       tp_ynode_what(item));
			id = tp_ynode_get(item, "id");
			error = entries_set(ld, &ld->L.custom, id->str, item,
					    file, 0);
			if (error == 1)
				return tp_schema_error(ld->err, TP_EPOLICY,
						       file, id,
						       "duplicate custom rule "
						       "'%s'",
						       id->str);
			if (error < 0)
				return error;
		}
	}
	return 0;
}

static int
apply_bump(struct loader *ld, const struct tp_ynode *bump, const char *file)
{
	const struct tp_ynode *v, *t;
	int error;

	for (v = bump->child; v != NULL; v = v->next) {
		if (tp_ynode_is_null(v) && strcmp(v->key->str, "types") != 0) {
			error = entries_del(ld, &ld->L.bump, v->key->str, 0);
			if (error < 0)
				return error;
			continue;
		}
		if (strcmp(v->key->str, "types") != 0) {
			error = entries_set(ld, &ld->L.bump, v->key->str, v,
					    file, 0);
			if (error < 0)
				return error;
			continue;
		}
		for (t = v->child; t != NULL; t = t->next) {
			if (tp_ynode_is_null(t)) {
				error = entries_del(ld, &ld->L.types,
						    t->key->str, 1);
				if (error < 0)
					return error;
				continue;
			}
			error = entries_set(ld, &ld->L.types, t->key->str, t,
					    file, 1);
			if (error == 1)
				return tp_schema_error(
					ld->err, TP_EPOLICY, file, t->key,
					"duplicate type '%s'", t->key->str);
			if (error < 0)
				return error;
		}
	}
	return 0;
}

/* Merges one checked source into the layer. */
static int
apply(struct loader *ld, const struct tp_ynode *root, const char *file)
{
	const struct tp_ynode *v, *s;
	struct layer *L = &ld->L;
	const char *k;
	int error = 0, i;

	ld->gen++;
	for (v = root->child; v != NULL && error == 0; v = v->next) {
		k = v->key->str;
		if (strcmp(k, "kinds") == 0) {
			L->kinds.node = tp_ynode_is_null(v) ? NULL : v;
			L->kinds.file = file;
		} else if (strcmp(k, "publish") == 0) {
			L->publish.node = tp_ynode_is_null(v) ? NULL : v;
			L->publish.file = file;
		} else if (strcmp(k, "scopes") == 0) {
			for (s = v->child; s != NULL; s = s->next) {
				i = strcmp(s->key->str, "git") == 0
					    ? TP_SCOPE_GIT
					    : TP_SCOPE_IMAGE;
				L->scope[i].node =
					tp_ynode_is_null(s) ? NULL : s;
				L->scope[i].file = file;
			}
		} else if (strcmp(k, "fields") == 0) {
			error = set_children(ld, &L->fields, v, file);
		} else if (strcmp(k, "rules") == 0) {
			error = apply_rules(ld, v, file);
		} else if (strcmp(k, "release") == 0) {
			error = set_children(ld, &L->release, v, file);
		} else if (strcmp(k, "bump") == 0) {
			error = apply_bump(ld, v, file);
		} else if (strcmp(k, "check") == 0) {
			error = set_children(ld, &L->check, v, file);
		} else if (strcmp(k, "components") == 0) {
			error = set_children(ld, &L->components, v, file);
		} else if (strcmp(k, "retention") == 0) {
			error = set_children(ld, &L->retention, v, file);
		}
	}
	return error;
}

/* ------------------------------------------------------------------ */
/* Sources and extends                                                 */
/* ------------------------------------------------------------------ */

static const char *
add_source(struct loader *ld, const char *name)
{
	struct tp_policy *p = ld->p;
	char **v, *copy;

	copy = strdup(name);
	if (copy == NULL)
		return NULL;
	v = realloc(p->sources, (p->nsources + 1) * sizeof(*v));
	if (v == NULL) {
		free(copy);
		return NULL;
	}
	p->sources = v;
	p->sources[p->nsources++] = copy;
	return copy;
}

static int
keep_doc(struct loader *ld, struct tp_ydoc *doc)
{
	struct tp_ydoc **v;
	size_t cap;

	if (ld->ndocs == ld->capdocs) {
		cap = ld->capdocs ? ld->capdocs * 2 : 8;
		v = realloc(ld->docs, cap * sizeof(*v));
		if (v == NULL) {
			tp_ydoc_free(doc);
			return oom(ld);
		}
		ld->docs = v;
		ld->capdocs = cap;
	}
	ld->docs[ld->ndocs++] = doc;
	return 0;
}

/*
 * Reads at most TP_YAML_MAX_SIZE bytes of a file into a malloc'd buffer
 * and names the file by device and inode in `id` (what cycle detection
 * compares, so that links and "../x/" spellings are one file).  Returns
 * 0, -1 with errno set, or -2 when the file is larger.
 */
static int
read_file(char **out, size_t *len, char *id, size_t idsize, const char *path)
{
	struct stat st;
	FILE *fp;
	char *buf;
	size_t n;
	int saved;

	*out = NULL;
	*len = 0;
	fp = fopen(path, "rb");
	if (fp == NULL)
		return -1;
	if (fstat(fileno(fp), &st) != 0) {
		saved = errno;
		fclose(fp);
		errno = saved;
		return -1;
	}
	snprintf(id, idsize, "file:%ju:%ju", (uintmax_t)st.st_dev,
		 (uintmax_t)st.st_ino);
	buf = malloc(TP_YAML_MAX_SIZE + 2);
	if (buf == NULL) {
		fclose(fp);
		errno = ENOMEM;
		return -1;
	}
	n = fread(buf, 1, TP_YAML_MAX_SIZE + 1, fp);
	if (ferror(fp)) {
		saved = errno ? errno : EIO;
		free(buf);
		fclose(fp);
		errno = saved;
		return -1;
	}
	fclose(fp);
	if (n > TP_YAML_MAX_SIZE) {
		free(buf);
		return -2;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	d = malloc((size_t)(slash - path) + 1);
	if (d == NULL)
		return NULL;
	memcpy(d, path, (size_t)(slash - path));
	d[slash - path] = '\0';
	return d;
}

static int
looks_like_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') != NULL ||
	       (n > 4 && strcmp(s + n - 4, ".yml") == 0) ||
	       (n > 5 && strcmp(s + n - 5, ".yaml") == 0);
}

static int load_source(struct loader *ld, const char *display,
		       const char *identity, const char *file, const char *data,
		       size_t len, const char *basedir, int preset);

static int
cycle_error(struct loader *ld, const char *file, const struct tp_ynode *at,
	    const char *display)
{
	struct tp_buf chain = TP_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < ld->depth && error == 0; i++)
		error = tp_buf_printf(&chain, "%s -> ", ld->stack[i].display);
	if (error == 0)
		error = tp_buf_puts(&chain, display);
	if (error < 0) {
		tp_buf_release(&chain);
		return oom(ld);
	}
	tp_schema_error(ld->err, TP_EPOLICY, file, at,
			"cyclic preset '%s' (%s)", display, chain.ptr);
	tp_buf_release(&chain);
	return TP_EPOLICY;
}

/* Loads one `extends` entry of the source `file`. */
static int
extend(struct loader *ld, const struct tp_ynode *at, const char *file,
       const char *basedir, int preset)
{
	const char *name = at->str, *text, *src;
	const char *const *names;
	char *path = NULL, *dir = NULL, *data = NULL, *identity = NULL;
	char real[64];
	struct tp_suggest sg;
	char hint[128];
	size_t len = 0, i;
	int error = 0, rc;

	if (ld->depth > EXTENDS_MAX_DEPTH)
		return tp_schema_error(ld->err, TP_EPOLICY, file, at,
				       "presets nested deeper than %d levels",
				       EXTENDS_MAX_DEPTH);
	if (++ld->nread > SOURCES_MAX)
		return tp_schema_error(ld->err, TP_EPOLICY, file, at,
				       "more than %d presets and files",
				       SOURCES_MAX);
	if (name[0] == '\0')
		return tp_schema_error(ld->err, TP_EPOLICY, file, at,
				       "empty preset name");
	if (!looks_like_path(name)) {
		text = tp_preset_text(name, &len);
		if (text == NULL) {
			tp_suggest_init(&sg, name, at->len);
			for (names = tp_preset_names(); *names; names++)
				tp_suggest_add(&sg, *names);
			tp_suggest_text(hint, sizeof(hint), &sg);
			return tp_schema_error(ld->err, TP_EPOLICY, file, at,
					       "unknown preset '%s'%s", name,
					       hint);
		}
		identity = malloc(strlen(name) + 8);
		if (identity == NULL)
			return oom(ld);
		snprintf(identity, strlen(name) + 8, "preset:%s", name);
		for (i = 0; i < ld->depth; i++)
			if (ld->stack[i].identity != NULL &&
			    strcmp(ld->stack[i].identity, identity) == 0)
				break;
		if (i < ld->depth)
			error = cycle_error(ld, file, at, name);
		else if ((src = add_source(ld, identity)) == NULL)
			error = oom(ld);
		else
			error = load_source(ld, name, identity, src, text, len,
					    NULL, 1);
		free(identity);
		return error;
	}
	if (preset)
		return tp_schema_error(ld->err, TP_EPOLICY, file, at,
				       "a built-in preset can only extend "
				       "presets by name, not '%s'",
				       name);
	if (name[0] == '/' || basedir == NULL) {
		path = strdup(name);
	} else {
		path = malloc(strlen(basedir) + strlen(name) + 2);
		if (path != NULL)
			snprintf(path, strlen(basedir) + strlen(name) + 2,
				 "%s/%s", basedir, name);
	}
	if (path == NULL)
		return oom(ld);
	rc = read_file(&data, &len, real, sizeof(real), path);
	if (rc == -2) {
		error = tp_schema_error(ld->err, TP_EPOLICY, file, at,
					"'%s' is larger than 1 MiB", name);
		goto done;
	}
	if (rc < 0) {
		error = tp_schema_error(ld->err, TP_EPOLICY, file, at,
					"cannot read '%s': %s", name,
					strerror(errno));
		goto done;
	}
	dir = dir_of(path);
	if (dir == NULL) {
		error = oom(ld);
		goto done;
	}
	for (i = 0; i < ld->depth; i++)
		if (ld->stack[i].identity != NULL &&
		    strcmp(ld->stack[i].identity, real) == 0)
			break;
	if (i < ld->depth) {
		error = cycle_error(ld, file, at, name);
		goto done;
	}
	src = add_source(ld, path);
	if (src == NULL) {
		error = oom(ld);
		goto done;
	}
	error = load_source(ld, name, real, src, data, len, dir, 0);
done:
	free(path);
	free(dir);
	free(data);
	return error;
}

static int
load_extends(struct loader *ld, const struct tp_ynode *ext, const char *file,
	     const char *basedir, int preset)
{
	const struct tp_ynode *v;
	int error;

	if (ext == NULL || tp_ynode_is_null(ext))
		return 0;
	if (ext->type == TP_YNODE_SCALAR)
		return extend(ld, ext, file, basedir, preset);
	if (ext->type != TP_YNODE_SEQUENCE)
		return tp_schema_error(ld->err, TP_EPOLICY, file, ext,
				       "expected a preset or a list of "
				       "presets, got %s",
				       tp_ynode_what(ext));
	for (v = ext->child; v != NULL; v = v->next) {
		if (v->type != TP_YNODE_SCALAR || tp_ynode_is_null(v))
			return tp_schema_error(ld->err, TP_EPOLICY, file, v,
					       "expected a preset name or a "
					       "path, got %s",
					       tp_ynode_what(v));
		error = extend(ld, v, file, basedir, preset);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
load_source(struct loader *ld, const char *display, const char *identity,
	    const char *file, const char *data, size_t len, const char *basedir,
	    int preset)
{
	struct tp_ydoc *doc = NULL;
	const struct tp_ynode *root, *ver;
	struct frame *f;
	long version;
	int error;

	error = tp_ydoc_parse(&doc, file ? file : "", data, len, ld->err);
	if (error < 0)
		return error;
	error = keep_doc(ld, doc);
	if (error < 0)
		return error;
	root = tp_ydoc_root(doc);
	if (root == NULL)
		return tp_error_set_at(ld->err, TP_EPOLICY, file, 1, 1,
				       "missing required key 'version'");
	if (root->type != TP_YNODE_MAPPING && !tp_ynode_is_null(root))
		return tp_schema_error(ld->err, TP_EPOLICY, file, root,
				       "expected a mapping at the top, got %s",
				       tp_ynode_what(root));
	error = tp_schema_check(root, &tp_schema_policy, file, ld->err);
	if (error < 0)
		return error;
	ver = tp_ynode_get(root, "version");
	error = tp_schema_int(&version, ver, 0, LONG_MAX, file, ld->err);
	if (error < 0)
		return error;
	if (version != 1)
		return tp_schema_error(ld->err, TP_EPOLICY, file, ver,
				       "unsupported schema version %ld "
				       "(expected 1)",
				       version);
	f = &ld->stack[ld->depth];
	f->identity = identity ? strdup(identity) : NULL;
	f->display = strdup(display);
	ld->depth++;
	if ((identity != NULL && f->identity == NULL) || f->display == NULL)
		error = oom(ld);
	else
		error = load_extends(ld, tp_ynode_get(root, "extends"), file,
				     basedir, preset);
	ld->depth--;
	free(f->identity);
	free(f->display);
	f->identity = NULL;
	f->display = NULL;
	if (error < 0)
		return error;
	return apply(ld, root, file);
}

/* ------------------------------------------------------------------ */
/* Building: fields                                                    */
/* ------------------------------------------------------------------ */

static int
valid_field_name(const char *s)
{
	size_t i;

	if (!(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 1; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i <= FIELD_NAME_MAX;
}

static int
valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			continue;
		if (i > 0 && (c == '.' || c == '_' || c == '-'))
			continue;
		return 0;
	}
	return i > 0 && i <= NAME_MAX_LEN;
}

static int
string_list(struct loader *ld, char ***out, size_t *nout,
	    const struct tp_ynode *list, const char *file, int nonempty)
{
	const struct tp_ynode *v;
	char **items;
	size_t n = 0;

	*out = NULL;
	*nout = 0;
	if (list == NULL || tp_ynode_is_null(list) || list->n == 0) {
		if (nonempty)
			return tp_schema_error(ld->err, TP_EPOLICY, file, list,
					       "expected a non-empty list");
		return 0;
	}
	if (list->type != TP_YNODE_SEQUENCE)
		return tp_schema_error(ld->err, TP_EPOLICY, file, list,
				       "expected a list, got %s",
				       tp_ynode_what(list));
	items = calloc(list->n, sizeof(*items));
	if (items == NULL)
		return oom(ld);
	for (v = list->child; v != NULL; v = v->next) {
		if (v->type != TP_YNODE_SCALAR || tp_ynode_is_null(v) ||
		    v->len == 0) {
			free_list(items, n);
			return tp_schema_error(
				ld->err, TP_EPOLICY, file, v,
				"expected a non-empty string, "
				"got %s",
				v->type == TP_YNODE_SCALAR &&
						!tp_ynode_is_null(v)
					? "an empty one"
					: tp_ynode_what(v));
		}
		items[n] = strdup(v->str);
		if (items[n] == NULL) {
			free_list(items, n);
			return oom(ld);
		}
		n++;
	}
	*out = items;
	*nout = n;
	return 0;
}

static int
field_hex(struct loader *ld, struct tp_field *f, const struct tp_ynode *hex,
	  const char *file)
{
	long lo = 0, hi = 0;
	int error;

	if (hex->type == TP_YNODE_SCALAR && !tp_ynode_is_null(hex)) {
		error = tp_schema_int(&lo, hex, HEX_MIN, HEX_MAX, file,
				      ld->err);
		hi = lo;
	} else if (hex->type == TP_YNODE_SEQUENCE && hex->n == 2) {
		error = tp_schema_int(&lo, hex->child, HEX_MIN, HEX_MAX, file,
				      ld->err);
		if (error == 0)
			error = tp_schema_int(&hi, hex->child->next, HEX_MIN,
					      HEX_MAX, file, ld->err);
		if (error == 0 && lo > hi)
			error = tp_schema_error(ld->err, TP_EPOLICY, file, hex,
						"minimum length %ld is above "
						"maximum %ld",
						lo, hi);
	} else {
		error = tp_schema_error(ld->err, TP_EPOLICY, file, hex,
					"expected a length or [min, max], got "
					"%s",
					tp_ynode_what(hex));
	}
	if (error < 0)
		return error;
	f->type = TP_FIELD_HEX;
	f->hex_min = (unsigned)lo;
	f->hex_max = (unsigned)hi;
	return 0;
}

static int
field_def(struct loader *ld, struct tp_field *f, const struct entry *e)
{
	const struct tp_ynode *n = e->node, *v;
	struct tp_error inner;
	size_t i, j;
	int error, kinds = 0;

	f->loc.file = e->file;
	f->loc.line = n->line;
	f->loc.column = n->column;
	for (i = 0; i < NBUILTIN; i++)
		if (strcmp(e->name, builtin_fields[i].name) == 0)
			return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
					       "cannot redefine built-in "
					       "field '%s'",
					       e->name);
	if (!valid_field_name(e->name))
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, n->key,
				       "invalid field name '%s' (a "
				       "lower-case letter, then lower-case "
				       "letters, digits or '_', at most %d)",
				       e->name, FIELD_NAME_MAX);
	for (v = n->child; v != NULL; v = v->next)
		kinds++;
	if (n->type != TP_YNODE_MAPPING || kinds != 1)
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
				       "expected exactly one of values, "
				       "pattern, hex or date");
	v = n->child;
	tp_error_init(&inner);
	if (strcmp(v->key->str, "values") == 0) {
		f->type = TP_FIELD_VALUES;
		error = string_list(ld, &f->values, &f->nvalues, v, e->file, 1);
		for (i = 0; error == 0 && i < f->nvalues; i++)
			for (j = 0; j < i; j++)
				if (strcmp(f->values[i], f->values[j]) == 0)
					return tp_schema_error(
						ld->err, TP_EPOLICY, e->file, v,
						"duplicate value '%s'",
						f->values[i]);
		return error;
	}
	if (strcmp(v->key->str, "pattern") == 0) {
		f->type = TP_FIELD_PATTERN;
		f->pattern = strdup(v->str);
		if (f->pattern == NULL)
			return oom(ld);
		error = tp_regex_compile(&f->pattern_re, f->pattern,
					 PCRE2_ANCHORED | PCRE2_ENDANCHORED,
					 &inner);
		return error < 0 ? wrap(ld, error, e->file, v, &inner) : 0;
	}
	if (strcmp(v->key->str, "hex") == 0)
		return field_hex(ld, f, v, e->file);
	f->type = TP_FIELD_DATE;
	f->date_text = strdup(v->str);
	if (f->date_text == NULL)
		return oom(ld);
	error = tp_date_fmt_compile(&f->date, f->date_text, &inner);
	return error < 0 ? wrap(ld, TP_EPOLICY, e->file, v, &inner) : 0;
}

static int
build_fields(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	size_t i;
	int error;

	p->fields = calloc(NBUILTIN + ld->L.fields.n, sizeof(*p->fields));
	if (p->fields == NULL)
		return oom(ld);
	for (i = 0; i < NBUILTIN; i++) {
		p->fields[i].name = strdup(builtin_fields[i].name);
		p->fields[i].type = builtin_fields[i].type;
		p->nfields++;
		if (p->fields[i].name == NULL)
			return oom(ld);
	}
	for (i = 0; i < ld->L.fields.n; i++) {
		struct tp_field *f = &p->fields[p->nfields++];

		f->name = strdup(ld->L.fields.v[i].name);
		if (f->name == NULL)
			return oom(ld);
		error = field_def(ld, f, &ld->L.fields.v[i]);
		if (error < 0)
			return error;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building: kinds, components, scopes, release                        */
/* ------------------------------------------------------------------ */

static int
suggest_kind(struct loader *ld, const char *file, const struct tp_ynode *at,
	     const char *what, const char *name)
{
	struct tp_suggest sg;
	char hint[128];
	size_t i;

	tp_suggest_init(&sg, name, strlen(name));
	for (i = 0; i < ld->p->nkinds; i++)
		tp_suggest_add(&sg, ld->p->kinds[i].name);
	tp_suggest_text(hint, sizeof(hint), &sg);
	return tp_schema_error(ld->err, TP_EPOLICY, file, at, "%s '%s'%s", what,
			       name, hint);
}

static int
kind_flags(struct tp_kind *k)
{
	size_t i;

	for (i = 0; i < k->npieces; i++) {
		const struct tp_field *f = k->pieces[i].field;

		if (f == NULL)
			continue;
		if (f->type == TP_FIELD_SEMVER)
			k->has_semver = 1;
		if (f->type == TP_FIELD_SEMVER || f->type == TP_FIELD_MAJOR ||
		    f->type == TP_FIELD_MINOR || f->type == TP_FIELD_PATCH)
			k->has_version = 1;
		if (f->type == TP_FIELD_DATE)
			k->has_date = 1;
	}
	return 0;
}

/* Adds a kind: its name is checked by the caller. */
static int
add_kind(struct loader *ld, const char *name, const struct tp_ynode *tmpl,
	 const char *file)
{
	struct tp_policy *p = ld->p;
	struct tp_kind *k = &p->kinds[p->nkinds];
	struct tp_error inner;
	int error;

	k->name = strdup(name);
	k->template = strdup(tmpl->str);
	ld->kind_src[p->nkinds].node = tmpl;
	ld->kind_src[p->nkinds].file = file;
	p->nkinds++;
	if (k->name == NULL || k->template == NULL)
		return oom(ld);
	k->loc.file = file;
	k->loc.line = tmpl->line;
	k->loc.column = tmpl->column;
	tp_error_init(&inner);
	error = tp_template_parse(&k->pieces, &k->npieces, k->template,
				  p->fields, p->nfields, &inner);
	if (error < 0)
		return wrap(ld, error, file, tmpl, &inner);
	return kind_flags(k);
}

static int
build_kinds(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	const struct tp_ynode *kinds = ld->L.kinds.node, *v, *tmpl;
	size_t nk = 0, nc = ld->L.components.n, i;
	int error;

	if (kinds != NULL && kinds->type == TP_YNODE_MAPPING)
		nk = kinds->n;
	if (nk + nc > TP_POLICY_KINDS_MAX)
		return tp_schema_error(
			ld->err, TP_EPOLICY,
			nc > 0 ? ld->L.components.v[nc - 1].file
			       : ld->L.kinds.file,
			nc > 0 ? ld->L.components.v[nc - 1].node->key : kinds,
			"too many kinds and components (%zu; at most %d)",
			nk + nc, TP_POLICY_KINDS_MAX);
	p->kinds = calloc(nk + nc + 1, sizeof(*p->kinds));
	p->components = calloc(nc + 1, sizeof(*p->components));
	ld->kind_src = calloc(nk + nc + 1, sizeof(*ld->kind_src));
	if (p->kinds == NULL || p->components == NULL || ld->kind_src == NULL)
		return oom(ld);
	for (v = nk ? kinds->child : NULL; v != NULL; v = v->next) {
		if (!valid_name(v->key->str))
			return tp_schema_error(ld->err, TP_EPOLICY,
					       ld->L.kinds.file, v->key,
					       "invalid kind name '%s' "
					       "(letters and digits, then "
					       "also '.', '_' or '-'; at most "
					       "%d)",
					       v->key->str, NAME_MAX_LEN);
		error = add_kind(ld, v->key->str, v, ld->L.kinds.file);
		if (error < 0)
			return error;
	}
	/* the components' names are distinct: each is looked up in these */
	error = index_kinds(ld);
	if (error < 0)
		return error;
	for (i = 0; i < nc; i++) {
		const struct entry *e = &ld->L.components.v[i];
		struct tp_component *c = &p->components[p->ncomponents++];
		struct tp_kind *k;

		c->name = strdup(e->name);
		if (c->name == NULL)
			return oom(ld);
		c->loc.file = e->file;
		c->loc.line = e->node->line;
		c->loc.column = e->node->column;
		if (!valid_name(e->name))
			return tp_schema_error(ld->err, TP_EPOLICY, e->file,
					       e->node->key,
					       "invalid component name '%s' "
					       "(letters and digits, then "
					       "also '.', '_' or '-'; at most "
					       "%d)",
					       e->name, NAME_MAX_LEN);
		if (indexed_kind(p, e->name) != NULL)
			return tp_schema_error(ld->err, TP_EPOLICY, e->file,
					       e->node->key,
					       "a kind named '%s' already "
					       "exists",
					       e->name);
		tmpl = tp_ynode_get(e->node, "kind");
		k = &p->kinds[p->nkinds];
		error = add_kind(ld, e->name, tmpl, e->file);
		if (error < 0)
			return error;
		k->component = c->name;
		c->kind = k;
		error = string_list(ld, &c->paths, &c->npaths,
				    tp_ynode_get(e->node, "paths"), e->file, 0);
		if (error < 0)
			return error;
	}
	return index_kinds(ld);
}

static int
build_scopes(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	const struct tp_ynode *list, *v;
	const struct tp_kind *k;
	const char *file;
	unsigned char *in; /* per kind: in the scope being built */
	size_t s, i;
	int error = 0;

	in = malloc(p->nkinds + 1);
	if (in == NULL)
		return oom(ld);
	for (s = 0; s < TP_SCOPE_COUNT && error == 0; s++) {
		list = ld->L.scope[s].node;
		file = ld->L.scope[s].file;
		memset(in, 0, p->nkinds + 1);
		p->scope[s] = calloc(p->nkinds + 1, sizeof(*p->scope[s]));
		if (p->scope[s] == NULL) {
			error = oom(ld);
			break;
		}
		if (list == NULL) {
			/* an absent scope allows every kind of `kinds` */
			for (i = 0; i < p->nkinds; i++)
				if (p->kinds[i].component == NULL) {
					p->scope[s][p->nscope[s]++] =
						&p->kinds[i];
					in[i] = 1;
				}
		}
		for (v = list ? list->child : NULL; v != NULL && error == 0;
		     v = v->next) {
			k = tp_policy_kind(p, v->str);
			if (k == NULL)
				error = suggest_kind(ld, file, v,
						     "unknown kind", v->str);
			else if (in[k - p->kinds])
				error = tp_schema_error(
					ld->err, TP_EPOLICY, file, v,
					"kind '%s' is listed twice", v->str);
			else {
				p->scope[s][p->nscope[s]++] = k;
				in[k - p->kinds] = 1;
			}
		}
		if (s != TP_SCOPE_GIT || error != 0)
			continue;
		/* every component's kind is a kind of scope git */
		for (i = 0; i < p->nkinds; i++)
			if (p->kinds[i].component != NULL && !in[i]) {
				p->scope[s][p->nscope[s]++] = &p->kinds[i];
				in[i] = 1;
			}
	}
	free(in);
	return error;
}

static const struct entry *
find_entry(const struct entries *e, const char *name)
{
	size_t i = entries_find(e, name, 0);

	return i != SIZE_MAX ? &e->v[i] : NULL;
}

static int
release_ok(const struct tp_policy *p, const struct tp_kind *k)
{
	return p->calver ? k->has_date : k->has_semver;
}

static int
build_release(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	const struct entry *e;
	const struct tp_kind *k;
	struct tp_version ver;
	struct tp_error inner;
	long num;
	size_t i;
	int error;

	e = find_entry(&ld->L.release, "kind");
	if (e != NULL) {
		k = tp_policy_kind(p, e->node->str);
		if (k == NULL)
			return suggest_kind(ld, e->file, e->node,
					    "unknown kind", e->node->str);
		if (!release_ok(p, k))
			return tp_schema_error(
				ld->err, TP_EPOLICY, e->file, e->node,
				"kind '%s' has no %s "
				"field",
				k->name, p->calver ? "date" : "{semver}");
		p->release_kind = k;
	} else {
		k = tp_policy_kind(p, "release");
		if (k != NULL && release_ok(p, k))
			p->release_kind = k;
		for (i = 0;
		     p->release_kind == NULL && i < p->nscope[TP_SCOPE_GIT];
		     i++)
			if (release_ok(p, p->scope[TP_SCOPE_GIT][i]))
				p->release_kind = p->scope[TP_SCOPE_GIT][i];
	}
	e = find_entry(&ld->L.release, "initial");
	p->initial = strdup(e ? e->node->str : "0.1.0");
	if (p->initial == NULL)
		return oom(ld);
	tp_error_init(&inner);
	if (tp_version_parse(&ver, p->initial, strlen(p->initial), &inner) <
	    0) {
		if (inner.code == TP_ENOMEM)
			return oom(ld);
		return tp_schema_error(ld->err, TP_EPOLICY, e ? e->file : NULL,
				       e ? e->node : NULL,
				       "'%s' is not a version: %s", p->initial,
				       inner.msg);
	}
	p->prerelease_start = 1;
	e = find_entry(&ld->L.release, "prerelease-start");
	if (e != NULL) {
		error = tp_schema_int(&num, e->node, 0, 1000000, e->file,
				      ld->err);
		if (error < 0)
			return error;
		p->prerelease_start = (unsigned)num;
	}
	return 0;
}

static int
compile_kinds(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	struct tp_error inner;
	size_t i;
	int error;

	for (i = 0; i < p->nkinds; i++) {
		struct tp_kind *k = &p->kinds[i];

		k->calver_counter =
			p->calver && k->has_date &&
			(k == p->release_kind || k->component != NULL);
		tp_error_init(&inner);
		error = tp_template_compile(&k->re, k->pieces, k->npieces,
					    k->calver_counter, &inner);
		if (error < 0)
			return wrap(ld, error, ld->kind_src[i].file,
				    ld->kind_src[i].node, &inner);
	}
	return 0;
}

static int
check_component_kinds(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	size_t i;

	for (i = 0; i < p->nkinds; i++) {
		const struct tp_kind *k = &p->kinds[i];

		if (k->component != NULL && !release_ok(p, k))
			return tp_schema_error(
				ld->err, TP_EPOLICY, ld->kind_src[i].file,
				ld->kind_src[i].node,
				"template '%s' has no %s field", k->template,
				p->calver ? "date" : "{semver}");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building: bump, check                                               */
/* ------------------------------------------------------------------ */

static int
valid_type(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return i > 0 && i <= NAME_MAX_LEN;
}

static int
bump_value(struct loader *ld, enum tp_bump *out, const struct entry *e,
	   const char *const *allowed)
{
	int i;

	if (tp_schema_enum(e->node, allowed, e->file, ld->err) < 0)
		return TP_EPOLICY;
	for (i = 0; bump_names[i] != NULL; i++)
		if (strcmp(bump_names[i], e->node->str) == 0)
			*out = (enum tp_bump)i;
	return 0;
}

static int
build_bump(struct loader *ld)
{
	static const char *const any[] = { "major", "minor", "patch", "none",
					   NULL };
	static const char *const some[] = { "major", "minor", "patch", NULL };
	struct tp_policy *p = ld->p;
	struct tp_bump_map def = tp_bump_map_default();
	struct tp_bump_type *types;
	const struct entry *e;
	size_t n = 0, i, j;
	int error;

	e = find_entry(&ld->L.bump, "scheme");
	p->calver = e != NULL && strcmp(e->node->str, "calver") == 0;
	types = calloc(def.ntypes + ld->L.types.n + 1, sizeof(*types));
	if (types == NULL)
		return oom(ld);
	p->bump_types = types;
	p->bump_names = calloc(def.ntypes + ld->L.types.n + 1,
			       sizeof(*p->bump_names));
	if (p->bump_names == NULL)
		return oom(ld);
	p->bump = def;
	p->bump.types = types;
	p->bump.ntypes = 0;
	for (i = 0; i < def.ntypes; i++) {
		p->bump_names[n] = strdup(def.types[i].name);
		if (p->bump_names[n] == NULL)
			return oom(ld);
		types[n].name = p->bump_names[n];
		types[n].bump = def.types[i].bump;
		p->bump.ntypes = ++n;
	}
	for (i = 0; i < ld->L.types.n; i++) {
		e = &ld->L.types.v[i];
		if (!valid_type(e->name))
			return tp_schema_error(ld->err, TP_EPOLICY, e->file,
					       e->node->key,
					       "invalid commit type '%s' "
					       "(letters only)",
					       e->name);
		for (j = 0; j < n; j++)
			if (ascii_casecmp(types[j].name, e->name) == 0)
				break;
		if (j == n) {
			p->bump_names[n] = strdup(e->name);
			if (p->bump_names[n] == NULL)
				return oom(ld);
			types[n].name = p->bump_names[n];
			p->bump.ntypes = ++n;
		}
		error = bump_value(ld, &types[j].bump, e, any);
		if (error < 0)
			return error;
	}
	e = find_entry(&ld->L.bump, "breaking");
	if (e != NULL &&
	    (error = bump_value(ld, &p->bump.breaking, e, some)) < 0)
		return error;
	e = find_entry(&ld->L.bump, "zero-major");
	if (e != NULL &&
	    (error = bump_value(ld, &p->bump.zero_major, e, some)) < 0)
		return error;
	return 0;
}

static int
build_check(struct loader *ld)
{
	const struct entry *e = find_entry(&ld->L.check, "default-scope");
	int i;

	ld->p->default_scope = TP_SCOPE_IMAGE;
	if (e == NULL)
		return 0;
	i = tp_schema_enum(e->node, tp_schema_scopes, e->file, ld->err);
	if (i < 0)
		return TP_EPOLICY;
	ld->p->default_scope = (enum tp_scope)i;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building: rules                                                     */
/* ------------------------------------------------------------------ */

static int
level_of(struct loader *ld, enum tp_level *out, const struct tp_ynode *n,
	 const char *file)
{
	static const enum tp_level levels[] = { TP_LEVEL_ERROR,
						TP_LEVEL_WARNING,
						TP_LEVEL_OFF };
	int i = tp_schema_enum(n, tp_schema_levels, file, ld->err);

	if (i < 0)
		return TP_EPOLICY;
	*out = levels[i];
	return 0;
}

static void
option_shape(char *buf, size_t size, const struct tp_rule_desc *d)
{
	if (d->opt == TP_ROPT_INT)
		snprintf(buf, size, "[level, number]");
	else
		snprintf(buf, size, "[level, [%s...]]",
			 d->opt_name ? d->opt_name : "values");
}

/* Reads a rule's option; `shape_at` is where a wrong shape is reported. */
static int
rule_option(struct loader *ld, struct tp_rule_conf *c,
	    const struct tp_ynode *opt, const struct tp_ynode *shape_at,
	    const char *file)
{
	const struct tp_rule_desc *d = c->desc;
	char shape[96];
	char **list = NULL;
	size_t n = 0;
	long num;
	int error;

	option_shape(shape, sizeof(shape), d);
	if (d->opt == TP_ROPT_NONE)
		return tp_schema_error(ld->err, TP_EPOLICY, file, shape_at,
				       "rule '%s' takes no option; expected a "
				       "level",
				       d->id);
	if (d->opt == TP_ROPT_INT) {
		if (opt->type != TP_YNODE_SCALAR || tp_ynode_is_null(opt) ||
		    opt->style != TP_YNODE_PLAIN ||
		    strspn(opt->str, "0123456789") != opt->len)
			return tp_schema_error(ld->err, TP_EPOLICY, file,
					       shape_at, "expected %s", shape);
		error = tp_schema_int(&num, opt, 1, RULE_NUM_MAX, file,
				      ld->err);
		if (error < 0)
			return error;
		c->num = num;
		c->has_option = 1;
		return 0;
	}
	if (opt->type != TP_YNODE_SEQUENCE && !tp_ynode_is_null(opt))
		return tp_schema_error(ld->err, TP_EPOLICY, file, shape_at,
				       "expected %s", shape);
	/* what the items mean is the rule's to check, in its configure() */
	error = string_list(ld, &list, &n, opt, file, 0);
	if (error < 0)
		return error;
	free_list(c->list, c->nlist);
	c->list = list;
	c->nlist = n;
	c->has_option = 1;
	return 0;
}

static int
rule_map(struct loader *ld, struct tp_rule_conf *c, const struct tp_ynode *n,
	 const char *file)
{
	const struct tp_ynode *level, *scope, *git, *image, *opt;
	enum tp_level l;
	int error, s;

	error = tp_schema_check(n, &tp_schema_rule_map, file, ld->err);
	if (error < 0)
		return error;
	level = tp_ynode_get(n, "level");
	scope = tp_ynode_get(n, "scope");
	git = tp_ynode_get(n, "git");
	image = tp_ynode_get(n, "image");
	opt = tp_ynode_get(n, "option");
	if (level != NULL && (git != NULL || image != NULL))
		return tp_schema_error(ld->err, TP_EPOLICY, file, n,
				       "use either 'level' or 'git' and "
				       "'image'");
	if (scope != NULL && level == NULL)
		return tp_schema_error(ld->err, TP_EPOLICY, file, scope,
				       "'scope' needs a 'level'");
	if (level != NULL) {
		error = level_of(ld, &l, level, file);
		if (error < 0)
			return error;
		c->level[TP_SCOPE_GIT] = c->level[TP_SCOPE_IMAGE] = l;
		if (scope != NULL) {
			s = strcmp(scope->str, "git") == 0 ? TP_SCOPE_GIT
							   : TP_SCOPE_IMAGE;
			c->level[!s] = TP_LEVEL_OFF;
		}
	}
	if (git != NULL &&
	    (error = level_of(ld, &c->level[TP_SCOPE_GIT], git, file)) < 0)
		return error;
	if (image != NULL &&
	    (error = level_of(ld, &c->level[TP_SCOPE_IMAGE], image, file)) < 0)
		return error;
	if (opt != NULL)
		return rule_option(ld, c, opt, opt, file);
	return 0;
}

static int
rule_setting(struct loader *ld, struct tp_rule_conf *c, const struct entry *e)
{
	const struct tp_ynode *n = e->node;
	char shape[96];
	enum tp_level l;
	int error;

	c->loc.file = e->file;
	c->loc.line = n->line;
	c->loc.column = n->column;
	if (n->type == TP_YNODE_MAPPING) {
		error = rule_map(ld, c, n, e->file);
	} else if (n->type == TP_YNODE_SEQUENCE) {
		option_shape(shape, sizeof(shape), c->desc);
		if (c->desc->opt == TP_ROPT_NONE)
			return rule_option(ld, c, n, n, e->file);
		if (n->n != 2)
			return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
					       "expected %s", shape);
		error = level_of(ld, &l, n->child, e->file);
		if (error < 0)
			return error;
		c->level[TP_SCOPE_GIT] = c->level[TP_SCOPE_IMAGE] = l;
		error = rule_option(ld, c, n->child->next, n, e->file);
	} else {
		error = level_of(ld, &l, n, e->file);
		if (error == 0)
			c->level[TP_SCOPE_GIT] = c->level[TP_SCOPE_IMAGE] = l;
	}
	if (error < 0)
		return error;
	if ((c->desc->flags & TP_RULE_ALWAYS_ON) &&
	    (c->level[TP_SCOPE_GIT] == TP_LEVEL_OFF ||
	     c->level[TP_SCOPE_IMAGE] == TP_LEVEL_OFF))
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
				       "rule '%s' cannot be turned off",
				       c->desc->id);
	return 0;
}

static int
default_list(struct loader *ld, struct tp_rule_conf *c)
{
	struct tp_policy *p = ld->p;
	const char *const *dl = c->desc->default_list;
	size_t n = 0, i;

	if (strcmp(c->desc->id, "immutable") == 0) {
		/* the release kind and every component's kind */
		c->list = calloc(p->ncomponents + 2, sizeof(*c->list));
		if (c->list == NULL)
			return oom(ld);
		if (p->release_kind != NULL) {
			c->list[0] = strdup(p->release_kind->name);
			if (c->list[0] == NULL)
				return oom(ld);
			c->nlist = 1;
		}
		for (i = 0; i < p->ncomponents; i++) {
			c->list[c->nlist] = strdup(p->components[i].name);
			if (c->list[c->nlist] == NULL)
				return oom(ld);
			c->nlist++;
		}
		return 0;
	}
	if (dl == NULL)
		return 0;
	while (dl[n] != NULL)
		n++;
	c->list = calloc(n + 1, sizeof(*c->list));
	if (c->list == NULL)
		return oom(ld);
	for (i = 0; i < n; i++) {
		c->list[i] = strdup(dl[i]);
		if (c->list[i] == NULL)
			return oom(ld);
		c->nlist = i + 1;
	}
	return 0;
}

static int
build_rules(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	const struct tp_rule_desc *d;
	struct tp_suggest sg;
	char hint[128];
	size_t i;
	int error;

	p->rules = calloc(tp_rule_count + 1, sizeof(*p->rules));
	if (p->rules == NULL)
		return oom(ld);
	for (i = 0; i < tp_rule_count; i++) {
		struct tp_rule_conf *c = &p->rules[i];

		d = tp_rule_registry[i];
		c->desc = d;
		c->level[TP_SCOPE_GIT] = d->default_level[TP_SCOPE_GIT];
		c->level[TP_SCOPE_IMAGE] = d->default_level[TP_SCOPE_IMAGE];
		c->num = d->default_num;
		p->nrules++;
	}
	for (i = 0; i < ld->L.rules.n; i++) {
		const struct entry *e = &ld->L.rules.v[i];
		size_t r;

		for (r = 0; r < p->nrules; r++)
			if (strcmp(p->rules[r].desc->id, e->name) == 0)
				break;
		if (r == p->nrules) {
			tp_suggest_init(&sg, e->name, strlen(e->name));
			for (r = 0; r < tp_rule_count; r++)
				tp_suggest_add(&sg, tp_rule_registry[r]->id);
			tp_suggest_add(&sg, "custom");
			tp_suggest_text(hint, sizeof(hint), &sg);
			return tp_schema_error(
				ld->err, TP_EPOLICY, e->file, e->node->key,
				"unknown rule '%s'%s", e->name, hint);
		}
		error = rule_setting(ld, &p->rules[r], e);
		if (error < 0)
			return error;
	}
	for (i = 0; i < p->nrules; i++) {
		if (p->rules[i].desc->opt != TP_ROPT_LIST ||
		    p->rules[i].has_option)
			continue;
		error = default_list(ld, &p->rules[i]);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
valid_rule_id(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || (i > 0 && s[i] == '-')))
			return 0;
	return i > 0 && i <= NAME_MAX_LEN;
}

static int
custom_rule(struct loader *ld, struct tp_custom_rule *r, const struct entry *e)
{
	const struct tp_ynode *n = e->node, *v, *m, *nm;
	struct tp_error inner;
	size_t i;
	int error;

	r->loc.file = e->file;
	r->loc.line = n->line;
	r->loc.column = n->column;
	r->level = TP_LEVEL_ERROR;
	r->scope = -1;
	r->id = strdup(e->name);
	if (r->id == NULL)
		return oom(ld);
	v = tp_ynode_get(n, "id");
	if (!valid_rule_id(r->id))
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, v,
				       "invalid rule id '%s' (lower-case "
				       "letters, digits and '-')",
				       r->id);
	if (tp_rule_find(r->id, strlen(r->id)) != NULL ||
	    strcmp(r->id, "custom") == 0)
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, v,
				       "'%s' is a built-in rule", r->id);
	if ((v = tp_ynode_get(n, "level")) != NULL &&
	    (error = level_of(ld, &r->level, v, e->file)) < 0)
		return error;
	if ((v = tp_ynode_get(n, "scope")) != NULL)
		r->scope = strcmp(v->str, "git") == 0 ? TP_SCOPE_GIT
						      : TP_SCOPE_IMAGE;
	v = tp_ynode_get(n, "kinds");
	error = string_list(ld, &r->kinds, &r->nkinds, v, e->file, 0);
	if (error < 0)
		return error;
	for (i = 0, v = v ? v->child : NULL; i < r->nkinds; i++, v = v->next)
		if (tp_policy_kind(ld->p, r->kinds[i]) == NULL)
			return suggest_kind(ld, e->file, v, "unknown kind",
					    r->kinds[i]);
	m = tp_ynode_get(n, "match");
	nm = tp_ynode_get(n, "not-match");
	if ((m == NULL) == (nm == NULL))
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
				       "expected exactly one of 'match' or "
				       "'not-match'");
	r->negate = nm != NULL;
	v = m ? m : nm;
	r->regex = strdup(v->str);
	if (r->regex == NULL)
		return oom(ld);
	tp_error_init(&inner);
	error = tp_regex_compile(&r->re, r->regex, 0, &inner);
	if (error < 0)
		return wrap(ld, error, e->file, v, &inner);
	v = tp_ynode_get(n, "message");
	if (v != NULL) {
		r->message = strdup(v->str);
	} else {
		size_t len = strlen(r->regex) + 32;

		r->message = malloc(len);
		if (r->message != NULL)
			snprintf(r->message, len, "%s '%s'",
				 r->negate ? "matches" : "does not match",
				 r->regex);
	}
	return r->message == NULL ? oom(ld) : 0;
}

static int
build_custom(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	size_t i;
	int error;

	p->custom = calloc(ld->L.custom.n + 1, sizeof(*p->custom));
	if (p->custom == NULL)
		return oom(ld);
	for (i = 0; i < ld->L.custom.n; i++) {
		error = custom_rule(ld, &p->custom[p->ncustom++],
				    &ld->L.custom.v[i]);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
configure_rules(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	struct tp_error inner;
	size_t i;
	int error;

	for (i = 0; i < p->nrules; i++) {
		struct tp_rule_conf *c = &p->rules[i];

		if (c->desc->configure == NULL)
			continue;
		tp_error_init(&inner);
		error = c->desc->configure(c, p, &inner);
		if (error == 0)
			continue;
		if (inner.code == TP_ENOMEM || error == TP_ENOMEM)
			return oom(ld);
		return tp_error_set_at(
			ld->err, TP_EPOLICY, c->loc.file, c->loc.line,
			c->loc.column, "rules.%s: %s", c->desc->id,
			inner.msg[0] ? inner.msg : "invalid option");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building: publish, retention                                        */
/* ------------------------------------------------------------------ */

static int
publish_item(struct loader *ld, struct tp_publish *pub,
	     const struct tp_ynode *n, const char *file)
{
	const struct tp_ynode *tmpl = n, *when;
	struct tp_error inner;
	int error, i;

	pub->when = TP_WHEN_ALWAYS;
	pub->loc.file = file;
	pub->loc.line = n->line;
	pub->loc.column = n->column;
	if (n->type == TP_YNODE_MAPPING) {
		error = tp_schema_check(n, &tp_schema_publish_item, file,
					ld->err);
		if (error < 0)
			return error;
		tmpl = tp_ynode_get(n, "template");
		when = tp_ynode_get(n, "when");
		if (when != NULL) {
			i = tp_schema_enum(when, when_names, file, ld->err);
			if (i < 0)
				return TP_EPOLICY;
			pub->when = (enum tp_when)i;
		}
	} else if (n->type != TP_YNODE_SCALAR || tp_ynode_is_null(n)) {
		return tp_schema_error(ld->err, TP_EPOLICY, file, n,
				       "expected a template or {template, "
				       "when}, got %s",
				       tp_ynode_what(n));
	}
	pub->template = strdup(tmpl->str);
	if (pub->template == NULL)
		return oom(ld);
	tp_error_init(&inner);
	error = tp_template_parse(&pub->pieces, &pub->npieces, pub->template,
				  ld->p->fields, ld->p->nfields, &inner);
	return error < 0 ? wrap(ld, error, file, tmpl, &inner) : 0;
}

static int
build_publish(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	const struct tp_ynode *list = ld->L.publish.node, *v;
	size_t n = list ? list->n : 0;
	int error;

	p->publish = calloc(n + 1, sizeof(*p->publish));
	if (p->publish == NULL)
		return oom(ld);
	for (v = n ? list->child : NULL; v != NULL; v = v->next) {
		error = publish_item(ld, &p->publish[p->npublish++], v,
				     ld->L.publish.file);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
retention_entry(struct loader *ld, struct tp_retention *r,
		const struct entry *e)
{
	const struct tp_ynode *n = e->node, *v;
	const struct tp_kind *k;
	struct tp_error inner;
	size_t i;
	long num;
	int error;

	r->keep = -1;
	r->keep_within = -1;
	r->loc.file = e->file;
	r->loc.line = n->line;
	r->loc.column = n->column;
	k = tp_policy_kind(ld->p, e->name);
	if (k == NULL)
		return suggest_kind(ld, e->file, n->key, "unknown kind",
				    e->name);
	r->kind = k;
	if (!k->has_version && !k->has_date)
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
				       "kind '%s' has no version or date "
				       "field, so its tags cannot be ordered",
				       k->name);
	if ((v = tp_ynode_get(n, "keep")) != NULL) {
		error = tp_schema_int(&num, v, 0, 1000000, e->file, ld->err);
		if (error < 0)
			return error;
		r->keep = num;
	}
	if ((v = tp_ynode_get(n, "keep-within")) != NULL) {
		tp_error_init(&inner);
		error = tp_duration_parse(&r->keep_within, v->str, v->len,
					  &inner);
		if (error < 0)
			return wrap(ld, TP_EPOLICY, e->file, v, &inner);
	}
	if (r->keep < 0 && r->keep_within < 0)
		return tp_schema_error(ld->err, TP_EPOLICY, e->file, n,
				       "expected 'keep' or 'keep-within'");
	if ((v = tp_ynode_get(n, "keep-per")) != NULL) {
		if (r->keep < 0)
			return tp_schema_error(ld->err, TP_EPOLICY, e->file, v,
					       "'keep-per' needs 'keep'");
		for (i = 0; i < k->npieces; i++)
			if (k->pieces[i].field != NULL &&
			    strcmp(k->pieces[i].field->name, v->str) == 0)
				r->keep_per = k->pieces[i].field;
		if (r->keep_per == NULL)
			return tp_schema_error(ld->err, TP_EPOLICY, e->file, v,
					       "'%s' is not a field of kind "
					       "'%s'",
					       v->str, k->name);
	}
	return 0;
}

static int
build_retention(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	size_t i;
	int error;

	p->retention = calloc(ld->L.retention.n + 1, sizeof(*p->retention));
	if (p->retention == NULL)
		return oom(ld);
	for (i = 0; i < ld->L.retention.n; i++) {
		error = retention_entry(ld, &p->retention[p->nretention++],
					&ld->L.retention.v[i]);
		if (error < 0)
			return error;
	}
	return 0;
}

static int
build(struct loader *ld)
{
	int error;

	if ((error = build_bump(ld)) < 0 || (error = build_fields(ld)) < 0 ||
	    (error = build_kinds(ld)) < 0 || (error = build_scopes(ld)) < 0 ||
	    (error = build_release(ld)) < 0 ||
	    (error = check_component_kinds(ld)) < 0 ||
	    (error = compile_kinds(ld)) < 0 || (error = build_check(ld)) < 0 ||
	    (error = build_rules(ld)) < 0 || (error = build_custom(ld)) < 0 ||
	    (error = build_publish(ld)) < 0 ||
	    (error = build_retention(ld)) < 0 ||
	    (error = configure_rules(ld)) < 0)
		return error;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static void
loader_release(struct loader *ld)
{
	struct layer *L = &ld->L;
	size_t i;

	for (i = 0; i < ld->ndocs; i++)
		tp_ydoc_free(ld->docs[i]);
	free(ld->docs);
	entries_free(&L->fields);
	entries_free(&L->rules);
	entries_free(&L->custom);
	entries_free(&L->release);
	entries_free(&L->bump);
	entries_free(&L->types);
	entries_free(&L->check);
	entries_free(&L->components);
	entries_free(&L->retention);
	free(ld->kind_src);
}

static int
load(struct tp_policy **out, const char *origin, const char *file,
     const char *display, const char *identity, const char *data, size_t len,
     const char *basedir, int preset, struct tp_error *err)
{
	struct loader ld;
	struct tp_ydoc *base = NULL;
	const char *src;
	int error;

	*out = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.err = err;
	ld.p = calloc(1, sizeof(*ld.p));
	if (ld.p == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	ld.p->origin = strdup(origin);
	if (ld.p->origin == NULL) {
		error = oom(&ld);
		goto done;
	}
	error = tp_ydoc_parse(&base, "", builtin_yaml, sizeof(builtin_yaml) - 1,
			      err);
	if (error < 0 || (error = keep_doc(&ld, base)) < 0 ||
	    (error = apply(&ld, tp_ydoc_root(base), NULL)) < 0)
		goto done;
	src = add_source(&ld, file);
	if (src == NULL) {
		error = oom(&ld);
		goto done;
	}
	ld.nread = 1;
	error = load_source(&ld, display, identity, src, data, len, basedir,
			    preset);
	if (error == 0)
		error = build(&ld);
done:
	loader_release(&ld);
	if (error < 0) {
		tp_policy_free(ld.p);
		return error;
	}
	*out = ld.p;
	return 0;
}

int
tp_policy_load_buffer(struct tp_policy **out, const char *name,
		      const char *data, size_t len, const char *basedir,
		      struct tp_error *err)
{
	return load(out, name, name, name, NULL, data, len,
		    basedir ? basedir : ".", 0, err);
}

int
tp_policy_load_file(struct tp_policy **out, const char *path,
		    struct tp_error *err)
{
	char *data = NULL, *dir = NULL;
	const char *base = strrchr(path, '/');
	char real[64];
	size_t len = 0;
	int error, rc;

	*out = NULL;
	rc = read_file(&data, &len, real, sizeof(real), path);
	if (rc == -2)
		return tp_error_set_at(err, TP_EPOLICY, path, 0, 0,
				       "policy file is larger than 1 MiB");
	if (rc < 0)
		return tp_error_set(err, TP_EIO,
				    "cannot read policy file '%s': %s", path,
				    strerror(errno));
	dir = dir_of(path);
	if (dir == NULL) {
		error = tp_error_set(err, TP_ENOMEM, "out of memory");
		goto done;
	}
	error = load(out, path, path, base ? base + 1 : path, real, data, len,
		     dir, 0, err);
done:
	free(data);
	free(dir);
	return error;
}

int
tp_policy_load_default(struct tp_policy **out, struct tp_error *err)
{
	const char *text;
	size_t len = 0;

	*out = NULL;
	text = tp_preset_text("default", &len);
	if (text == NULL)
		return tp_error_set(err, TP_ERROR,
				    "the built-in default policy is missing");
	return load(out, ORIGIN_DEFAULT, "preset:default", "default",
		    "preset:default", text, len, NULL, 1, err);
}

void
tp_policy_jit(struct tp_policy *p)
{
	size_t i;

	for (i = 0; i < p->nfields; i++)
		if (p->fields[i].pattern_re != NULL)
			(void)pcre2_jit_compile(p->fields[i].pattern_re,
						PCRE2_JIT_COMPLETE);
	for (i = 0; i < p->nkinds; i++)
		if (p->kinds[i].re != NULL)
			(void)pcre2_jit_compile(p->kinds[i].re,
						PCRE2_JIT_COMPLETE);
	for (i = 0; i < p->ncustom; i++)
		if (p->custom[i].re != NULL)
			(void)pcre2_jit_compile(p->custom[i].re,
						PCRE2_JIT_COMPLETE);
}

void
tp_policy_free(struct tp_policy *p)
{
	size_t i, s;

	if (p == NULL)
		return;
	free(p->origin);
	free_list(p->sources, p->nsources);
	for (i = 0; i < p->nfields; i++) {
		struct tp_field *f = &p->fields[i];

		free(f->name);
		free_list(f->values, f->nvalues);
		free(f->pattern);
		pcre2_code_free(f->pattern_re);
		free(f->date_text);
		tp_date_fmt_free(f->date);
	}
	free(p->fields);
	for (i = 0; i < p->nkinds; i++) {
		free(p->kinds[i].name);
		free(p->kinds[i].template);
		free(p->kinds[i].pieces);
		pcre2_code_free(p->kinds[i].re);
	}
	free(p->kinds);
	free(p->kinds_by_name);
	for (s = 0; s < TP_SCOPE_COUNT; s++)
		free(p->scope[s]);
	for (i = 0; i < p->nrules; i++)
		free_list(p->rules[i].list, p->rules[i].nlist);
	free(p->rules);
	for (i = 0; i < p->ncustom; i++) {
		free(p->custom[i].id);
		free_list(p->custom[i].kinds, p->custom[i].nkinds);
		free(p->custom[i].regex);
		pcre2_code_free(p->custom[i].re);
		free(p->custom[i].message);
	}
	free(p->custom);
	free(p->initial);
	if (p->bump_names != NULL)
		for (i = 0; p->bump_names[i] != NULL; i++)
			free(p->bump_names[i]);
	free(p->bump_names);
	free(p->bump_types);
	for (i = 0; i < p->ncomponents; i++) {
		free(p->components[i].name);
		free_list(p->components[i].paths, p->components[i].npaths);
	}
	free(p->components);
	for (i = 0; i < p->npublish; i++) {
		free(p->publish[i].template);
		free(p->publish[i].pieces);
	}
	free(p->publish);
	free(p->retention);
	free(p);
}

const char *
tp_policy_origin(const struct tp_policy *p)
{
	return p->origin;
}

const struct tp_field *
tp_policy_field(const struct tp_policy *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nfields; i++)
		if (strcmp(p->fields[i].name, name) == 0)
			return &p->fields[i];
	return NULL;
}

/*
 * Kinds are looked up by name for every name a policy lists (scopes,
 * rules, components): by halves in the kinds sorted by name, then one by
 * one in those added since (while the kinds are being built), so that a
 * policy of many kinds loads in n log n.
 */
static const struct tp_kind *
indexed_kind(const struct tp_policy *p, const char *name)
{
	size_t lo = 0, hi = p->nkinds_by_name, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(p->kinds_by_name[mid]->name, name);
		if (c == 0)
			return p->kinds_by_name[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct tp_kind *
tp_policy_kind(const struct tp_policy *p, const char *name)
{
	const struct tp_kind *k = indexed_kind(p, name);
	size_t i;

	if (k != NULL)
		return k;
	for (i = p->nkinds_by_name; i < p->nkinds; i++)
		if (p->kinds[i].name != NULL &&
		    strcmp(p->kinds[i].name, name) == 0)
			return &p->kinds[i];
	return NULL;
}

static int
by_kind_name(const void *pa, const void *pb)
{
	const struct tp_kind *const *a = pa, *const *b = pb;

	return strcmp((*a)->name, (*b)->name);
}

/*
 * Sorts the kinds made so far by name for tp_policy_kind() (their names
 * are distinct: the caller checked each against those before it).
 */
static int
index_kinds(struct loader *ld)
{
	struct tp_policy *p = ld->p;
	const struct tp_kind **v;
	size_t i;

	v = realloc(p->kinds_by_name, (p->nkinds + 1) * sizeof(*v));
	if (v == NULL)
		return oom(ld);
	p->kinds_by_name = v;
	for (i = 0; i < p->nkinds; i++)
		v[i] = &p->kinds[i];
	qsort(v, p->nkinds, sizeof(*v), by_kind_name);
	p->nkinds_by_name = p->nkinds;
	return 0;
}

const struct tp_rule_conf *
tp_policy_rule(const struct tp_policy *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->nrules; i++)
		if (strcmp(p->rules[i].desc->id, id) == 0)
			return &p->rules[i];
	return NULL;
}

int
tp_policy_locate(char **out, const char *dir, struct tp_error *err)
{
	static const char *const names[] = { ".tagpolicy.yml",
					     ".tagpolicy.yaml" };
	char *found[2] = { NULL, NULL };
	struct stat st;
	size_t i, len;
	int error = 0;

	*out = NULL;
	if (dir == NULL || dir[0] == '\0')
		dir = ".";
	for (i = 0; i < 2; i++) {
		len = strlen(dir) + strlen(names[i]) + 2;
		found[i] = malloc(len);
		if (found[i] == NULL) {
			error = tp_error_set(err, TP_ENOMEM, "out of memory");
			goto done;
		}
		snprintf(found[i], len, "%s/%s", dir, names[i]);
		if (stat(found[i], &st) == 0)
			continue;
		if (errno != ENOENT && errno != ENOTDIR) {
			error = tp_error_set(err, TP_EIO,
					     "cannot read '%s': "
					     "%s",
					     found[i], strerror(errno));
			goto done;
		}
		free(found[i]);
		found[i] = NULL;
	}
	if (found[0] != NULL && found[1] != NULL) {
		error = tp_error_set(err, TP_EPOLICY,
				     "both '%s' and '%s' exist", found[0],
				     found[1]);
		tp_error_hint(err, "remove one of them");
		goto done;
	}
	*out = found[0] ? found[0] : found[1];
	found[0] = found[1] = NULL;
done:
	free(found[0]);
	free(found[1]);
	return error;
}

/*
 * policy_dump.c: `policy show`, the effective policy as YAML or JSON.
 *
 * The policy is first turned back into a node tree in the shape of the
 * policy file (every default filled in, presets resolved, no `extends`),
 * then written out.  The YAML loads back to the same policy, and dumping
 * that gives the same text: built-in fields and component kinds are left
 * out (they are not written in `fields` and `kinds`), everything else is
 * explicit.  JSON has the same tree, plus "origin" and "sources".
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "policy.h"
#include "rule.h"
#include "yamlnode.h"

#define DUMP_WIDTH 78

struct dump {
	struct tp_ydoc *doc;
	int error;
};

static const char *const level_names[] = { "off", "warning", "error" };
static const char *const bump_names[] = { "none", "patch", "minor", "major" };
static const char *const when_names[] = { "always", "release", "prerelease",
					  "branch" };
static const char *const scope_names[] = { "git", "image" };

static struct tp_ynode *
d_check(struct dump *d, struct tp_ynode *n)
{
	if (n == NULL)
		d->error = TP_ENOMEM;
	return n;
}

static struct tp_ynode *
d_str(struct dump *d, const char *s)
{
	return d_check(d, tp_ynode_new_str(d->doc, s));
}

static struct tp_ynode *
d_num(struct dump *d, long long v)
{
	return d_check(d, tp_ynode_new_num(d->doc, v));
}

static struct tp_ynode *
d_map(struct dump *d)
{
	return d_check(d, tp_ynode_new(d->doc, TP_YNODE_MAPPING));
}

static struct tp_ynode *
d_seq(struct dump *d)
{
	return d_check(d, tp_ynode_new(d->doc, TP_YNODE_SEQUENCE));
}

static void
d_put(struct dump *d, struct tp_ynode *map, const char *key, struct tp_ynode *v)
{
	if (tp_ynode_put(d->doc, map, key, v) < 0)
		d->error = TP_ENOMEM;
}

static void
d_add(struct dump *d, struct tp_ynode *seq, struct tp_ynode *v)
{
	if (tp_ynode_add(seq, v) < 0)
		d->error = TP_ENOMEM;
}

static struct tp_ynode *
d_list(struct dump *d, char *const *items, size_t n)
{
	struct tp_ynode *seq = d_seq(d);
	size_t i;

	for (i = 0; i < n; i++)
		d_add(d, seq, d_str(d, items[i]));
	return seq;
}

static struct tp_ynode *
dump_field(struct dump *d, const struct tp_field *f)
{
	struct tp_ynode *m = d_map(d), *hex;

	switch (f->type) {
	case TP_FIELD_VALUES:
		d_put(d, m, "values", d_list(d, f->values, f->nvalues));
		break;
	case TP_FIELD_PATTERN:
		d_put(d, m, "pattern", d_str(d, f->pattern));
		break;
	case TP_FIELD_HEX:
		if (f->hex_min == f->hex_max) {
			hex = d_num(d, f->hex_min);
		} else {
			hex = d_seq(d);
			d_add(d, hex, d_num(d, f->hex_min));
			d_add(d, hex, d_num(d, f->hex_max));
		}
		d_put(d, m, "hex", hex);
		break;
	case TP_FIELD_DATE: d_put(d, m, "date", d_str(d, f->date_text)); break;
	default: break;
	}
	return m;
}

/*
 * The shortest form that loads back to the same setting: a level, [level,
 * option], {level, scope, option} when one scope is off, or {git, image,
 * option}.  A list option is written when the policy set it or it is not
 * empty, so an explicit empty list stays explicit.
 */
static struct tp_ynode *
dump_rule(struct dump *d, const struct tp_rule_conf *c)
{
	enum tp_level g = c->level[TP_SCOPE_GIT], i = c->level[TP_SCOPE_IMAGE];
	struct tp_ynode *opt = NULL, *n;

	if (c->desc->opt == TP_ROPT_INT)
		opt = d_num(d, c->num);
	else if (c->desc->opt == TP_ROPT_LIST &&
		 (c->has_option || c->nlist > 0))
		opt = d_list(d, c->list, c->nlist);
	if (g == i && opt == NULL)
		return d_str(d, level_names[g]);
	if (g == i) {
		n = d_seq(d);
		d_add(d, n, d_str(d, level_names[g]));
		d_add(d, n, opt);
		return n;
	}
	n = d_map(d);
	if (g == TP_LEVEL_OFF || i == TP_LEVEL_OFF) {
		d_put(d, n, "level", d_str(d, level_names[g ? g : i]));
		d_put(d, n, "scope",
		      d_str(d, scope_names[g ? TP_SCOPE_GIT : TP_SCOPE_IMAGE]));
	} else {
		d_put(d, n, "git", d_str(d, level_names[g]));
		d_put(d, n, "image", d_str(d, level_names[i]));
	}
	if (opt != NULL)
		d_put(d, n, "option", opt);
	return n;
}

static struct tp_ynode *
dump_custom(struct dump *d, const struct tp_custom_rule *r)
{
	struct tp_ynode *m = d_map(d);

	d_put(d, m, "id", d_str(d, r->id));
	d_put(d, m, "level", d_str(d, level_names[r->level]));
	if (r->scope >= 0)
		d_put(d, m, "scope", d_str(d, scope_names[r->scope]));
	if (r->nkinds > 0)
		d_put(d, m, "kinds", d_list(d, r->kinds, r->nkinds));
	d_put(d, m, r->negate ? "not-match" : "match", d_str(d, r->regex));
	d_put(d, m, "message", d_str(d, r->message));
	return m;
}

/* keep-within in the largest unit that divides it (it is whole hours). */
static struct tp_ynode *
dump_duration(struct dump *d, int64_t secs)
{
	char tmp[32];

	if (secs % 604800 == 0)
		snprintf(tmp, sizeof(tmp), "%lldw", (long long)(secs / 604800));
	else if (secs % 86400 == 0)
		snprintf(tmp, sizeof(tmp), "%lldd", (long long)(secs / 86400));
	else
		snprintf(tmp, sizeof(tmp), "%lldh", (long long)(secs / 3600));
	return d_str(d, tmp);
}

static struct tp_ynode *
dump_tree(struct dump *d, const struct tp_policy *p, int json)
{
	struct tp_ynode *root = d_map(d), *m, *s, *n;
	size_t i, k;

	if (json) {
		d_put(d, root, "origin", d_str(d, p->origin));
		d_put(d, root, "sources", d_list(d, p->sources, p->nsources));
	}
	d_put(d, root, "version", d_num(d, 1));

	m = d_map(d);
	for (i = 0; i < p->nfields; i++)
		if (p->fields[i].type >= TP_FIELD_VALUES)
			d_put(d, m, p->fields[i].name,
			      dump_field(d, &p->fields[i]));
	d_put(d, root, "fields", m);

	m = d_map(d);
	for (i = 0; i < p->nkinds; i++)
		if (p->kinds[i].component == NULL)
			d_put(d, m, p->kinds[i].name,
			      d_str(d, p->kinds[i].template));
	d_put(d, root, "kinds", m);

	m = d_map(d);
	for (k = 0; k < TP_SCOPE_COUNT; k++) {
		s = d_seq(d);
		for (i = 0; i < p->nscope[k]; i++)
			d_add(d, s, d_str(d, p->scope[k][i]->name));
		d_put(d, m, scope_names[k], s);
	}
	d_put(d, root, "scopes", m);

	m = d_map(d);
	d_put(d, m, "default-scope", d_str(d, scope_names[p->default_scope]));
	d_put(d, root, "check", m);

	m = d_map(d);
	for (i = 0; i < p->nrules; i++)
		d_put(d, m, p->rules[i].desc->id, dump_rule(d, &p->rules[i]));
	if (p->ncustom > 0) {
		s = d_seq(d);
		for (i = 0; i < p->ncustom; i++)
			d_add(d, s, dump_custom(d, &p->custom[i]));
		d_put(d, m, "custom", s);
	}
	d_put(d, root, "rules", m);

	m = d_map(d);
	if (p->release_kind != NULL)
		d_put(d, m, "kind", d_str(d, p->release_kind->name));
	d_put(d, m, "initial", d_str(d, p->initial));
	d_put(d, m, "prerelease-start", d_num(d, p->prerelease_start));
	d_put(d, root, "release", m);

	m = d_map(d);
	d_put(d, m, "scheme", d_str(d, p->calver ? "calver" : "semver"));
	n = d_map(d);
	for (i = 0; i < p->bump.ntypes; i++)
		d_put(d, n, p->bump.types[i].name,
		      d_str(d, bump_names[p->bump.types[i].bump]));
	d_put(d, m, "types", n);
	d_put(d, m, "breaking", d_str(d, bump_names[p->bump.breaking]));
	d_put(d, m, "zero-major", d_str(d, bump_names[p->bump.zero_major]));
	d_put(d, root, "bump", m);

	m = d_map(d);
	for (i = 0; i < p->ncomponents; i++) {
		n = d_map(d);
		d_put(d, n, "kind", d_str(d, p->components[i].kind->template));
		d_put(d, n, "paths",
		      d_list(d, p->components[i].paths,
			     p->components[i].npaths));
		d_put(d, m, p->components[i].name, n);
	}
	d_put(d, root, "components", m);

	s = d_seq(d);
	for (i = 0; i < p->npublish; i++) {
		const struct tp_publish *pub = &p->publish[i];

		if (pub->when == TP_WHEN_ALWAYS) {
			d_add(d, s, d_str(d, pub->template));
			continue;
		}
		n = d_map(d);
		d_put(d, n, "template", d_str(d, pub->template));
		d_put(d, n, "when", d_str(d, when_names[pub->when]));
		d_add(d, s, n);
	}
	d_put(d, root, "publish", s);

	m = d_map(d);
	for (i = 0; i < p->nretention; i++) {
		const struct tp_retention *r = &p->retention[i];

		n = d_map(d);
		if (r->keep >= 0)
			d_put(d, n, "keep", d_num(d, r->keep));
		if (r->keep_within >= 0)
			d_put(d, n, "keep-within",
			      dump_duration(d, r->keep_within));
		if (r->keep_per != NULL)
			d_put(d, n, "keep-per", d_str(d, r->keep_per->name));
		d_put(d, m, r->kind->name, n);
	}
	d_put(d, root, "retention", m);
	return root;
}

/* ------------------------------------------------------------------ */
/* YAML                                                                */
/* ------------------------------------------------------------------ */

static int
is_plain_char(int c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '/')
		return 1;
	return !first &&
	       (c == '.' || c == '-' || c == '+' || c == '%' || c == '*');
}

/* Text that YAML readers would take for a number, a boolean or null. */
static int
looks_special(const char *s)
{
	static const char *const words[] = { "null",  "Null", "NULL",  "true",
					     "True",  "TRUE", "false", "False",
					     "FALSE", "yes",  "Yes",   "YES",
					     "no",    "No",   "NO",    "y",
					     "Y",     "n",    "N",     NULL };
	size_t i, dots = 0, digits = 0;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.')
			dots++;
		else if (!strchr("+-eE_", s[i]))
			return 0;
	}
	return digits > 0 && dots <= 1;
}

static int
yaml_scalar(struct tp_buf *b, const struct tp_ynode *n)
{
	const unsigned char *s = (const unsigned char *)n->str;
	size_t i;
	int plain = n->len > 0, error = 0;

	if (n->style == TP_YNODE_NUMBER)
		return tp_buf_put(b, n->str, n->len);
	for (i = 0; i < n->len && plain; i++)
		plain = is_plain_char(s[i], i == 0);
	if (plain && !looks_special(n->str))
		return tp_buf_put(b, n->str, n->len);
	error = tp_buf_putc(b, '"');
	for (i = 0; i < n->len && error == 0; i++) {
		if (s[i] == '"' || s[i] == '\\')
			error = tp_buf_printf(b, "\\%c", s[i]);
		else if (s[i] == '\n')
			error = tp_buf_puts(b, "\\n");
		else if (s[i] == '\t')
			error = tp_buf_puts(b, "\\t");
		else if (s[i] < 0x20 || s[i] == 0x7F)
			error = tp_buf_printf(b, "\\x%02x", s[i]);
		else
			error = tp_buf_putc(b, s[i]);
	}
	return error ? error : tp_buf_putc(b, '"');
}

static int
yaml_flow(struct tp_buf *b, const struct tp_ynode *n)
{
	const struct tp_ynode *c;
	int error = 0;

	if (n->type == TP_YNODE_SCALAR)
		return yaml_scalar(b, n);
	error = tp_buf_putc(b, n->type == TP_YNODE_MAPPING ? '{' : '[');
	for (c = n->child; c != NULL && error == 0; c = c->next) {
		if (c != n->child)
			error = tp_buf_puts(b, ", ");
		if (error == 0 && n->type == TP_YNODE_MAPPING) {
			error = yaml_scalar(b, c->key);
			if (error == 0)
				error = tp_buf_puts(b, ": ");
		}
		if (error == 0)
			error = yaml_flow(b, c);
	}
	if (error == 0)
		error = tp_buf_putc(b, n->type == TP_YNODE_MAPPING ? '}' : ']');
	return error;
}

static int yaml_block_map(struct tp_buf *b, const struct tp_ynode *m,
			  size_t indent, int inline_first, int force);
static int
yaml_block_seq(struct tp_buf *b, const struct tp_ynode *s, size_t indent);

/* Flow when it fits on the line, which starts at column `col`. */
static int
fits(const struct tp_ynode *n, size_t col, int *out)
{
	struct tp_buf tmp = TP_BUF_INIT;
	int error = yaml_flow(&tmp, n);

	*out = error == 0 && col + 1 + tmp.len <= DUMP_WIDTH;
	tp_buf_release(&tmp);
	return error;
}

/* A value after "key:" or "-", the line so far being `col` wide. */
static int
yaml_value(struct tp_buf *b, const struct tp_ynode *v, size_t indent,
	   size_t col, int force_block)
{
	int error, flow = 1;

	if (v->type != TP_YNODE_SCALAR && v->n > 0) {
		flow = 0;
		if (!force_block && (error = fits(v, col, &flow)) < 0)
			return error;
	}
	if (flow) {
		if ((error = tp_buf_putc(b, ' ')) < 0 ||
		    (error = yaml_flow(b, v)) < 0)
			return error;
		return tp_buf_putc(b, '\n');
	}
	if ((error = tp_buf_putc(b, '\n')) < 0)
		return error;
	if (v->type == TP_YNODE_MAPPING)
		return yaml_block_map(b, v, indent + 2, 0, 0);
	return yaml_block_seq(b, v, indent + 2);
}

static int
yaml_block_map(struct tp_buf *b, const struct tp_ynode *m, size_t indent,
	       int inline_first, int force)
{
	const struct tp_ynode *c;
	size_t mark;
	int error = 0;

	for (c = m->child; c != NULL && error == 0; c = c->next) {
		if (c != m->child || !inline_first)
			error = tp_buf_printf(b, "%*s", (int)indent, "");
		mark = b->len;
		if (error == 0)
			error = yaml_scalar(b, c->key);
		if (error == 0)
			error = tp_buf_putc(b, ':');
		if (error == 0)
			error = yaml_value(b, c, indent, indent + b->len - mark,
					   force);
	}
	return error;
}

static int
yaml_block_seq(struct tp_buf *b, const struct tp_ynode *s, size_t indent)
{
	const struct tp_ynode *c;
	int error = 0, flow;

	for (c = s->child; c != NULL && error == 0; c = c->next) {
		error = tp_buf_printf(b, "%*s-", (int)indent, "");
		if (error == 0 && c->type == TP_YNODE_MAPPING && c->n > 0) {
			error = fits(c, indent + 1, &flow);
			if (error == 0 && !flow) {
				error = tp_buf_putc(b, ' ');
				if (error == 0)
					error = yaml_block_map(b, c, indent + 2,
							       1, 0);
				continue;
			}
		}
		if (error == 0)
			error = yaml_value(b, c, indent, indent + 1, 0);
	}
	return error;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static void
json_node(struct tp_json_w *w, const struct tp_ynode *n)
{
	const struct tp_ynode *c;

	if (n->type == TP_YNODE_SCALAR) {
		if (n->style == TP_YNODE_NUMBER)
			tp_jw_number(w, n->str, n->len);
		else
			tp_jw_strn(w, n->str, n->len);
		return;
	}
	if (n->type == TP_YNODE_MAPPING)
		tp_jw_obj_begin(w);
	else
		tp_jw_arr_begin(w);
	for (c = n->child; c != NULL; c = c->next) {
		if (n->type == TP_YNODE_MAPPING)
			tp_jw_key(w, c->key->str);
		json_node(w, c);
	}
	if (n->type == TP_YNODE_MAPPING)
		tp_jw_obj_end(w);
	else
		tp_jw_arr_end(w);
}

int
tp_policy_dump(struct tp_buf *out, const struct tp_policy *p,
	       enum tp_dump_format fmt, struct tp_error *err)
{
	struct dump d;
	struct tp_json_w w;
	const struct tp_ynode *root;
	size_t start = out->len;
	int error;

	d.error = 0;
	d.doc = tp_ydoc_new("policy");
	if (d.doc == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	root = dump_tree(&d, p, fmt == TP_DUMP_JSON);
	error = d.error;
	if (error == 0 && fmt == TP_DUMP_JSON) {
		tp_jw_init(&w, out, 1);
		json_node(&w, root);
		error = w.error;
		if (error == 0)
			error = tp_buf_putc(out, '\n');
	} else if (error == 0) {
		error = yaml_block_map(out, root, 0, 0, 1);
	}
	tp_ydoc_free(d.doc);
	if (error < 0) {
		tp_buf_truncate(out, start);
		return tp_error_set(err, error, "cannot write the policy: %s",
				    error == TP_ENOMEM ? "out of memory"
						       : "internal error");
	}
	return 0;
}

/*
 * publish.c: rendering the policy's publish templates into image tags.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "publish.h"
#include "date.h"
#include "imageref.h"
#include "json.h"

/* What every template of one render shares. */
struct ctx {
	const struct tp_publish_build *b;
	const struct tp_version *v; /* NULL on a branch build */
	int pre; /* v is a prerelease */
	struct tp_buf branch; /* the sanitised branch, uncut */
};

/* The longest subject quoted in a message. */
#define SHOW_MAX 140

static char *
dupn(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/*
 * Quotes text from a policy or a build in a one-line message: control
 * bytes become '?' and long text is cut.
 */
static void
show(char *dst, size_t size, const char *s, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len && o + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o >= SHOW_MAX) {
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		dst[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[o] = '\0';
}

static int
is_latest(const struct tp_publish *e)
{
	return e->npieces == 1 && e->pieces[0].field == NULL &&
	       e->pieces[0].len == 6 &&
	       memcmp(e->pieces[0].text, "latest", 6) == 0;
}

/* Appends a reason; returns 0 (skip) or TP_ENOMEM. */
static int why_set(struct tp_buf *why, const char *fmt, ...) TP_PRINTF(2, 3);

static int
why_set(struct tp_buf *why, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tp_buf_vprintf(why, fmt, ap);
	va_end(ap);
	return rc;
}

#define VFMT "%.*s"
#define VARG(v) (int)(v)->len, (v)->str

/* 1 when `when` rules the entry out (reason in `why`), 0, or TP_ENOMEM. */
static int
when_skip(struct tp_buf *why, const struct tp_publish *e, const struct ctx *c)
{
	int rc = 0;

	switch (e->when) {
	case TP_WHEN_ALWAYS: return 0;
	case TP_WHEN_RELEASE:
		if (c->v == NULL)
			rc = why_set(why, "when: release but this is a branch "
					  "build");
		else if (c->pre)
			rc = why_set(why,
				     "when: release but " VFMT " is a "
				     "prerelease",
				     VARG(c->v));
		else
			return 0;
		break;
	case TP_WHEN_PRERELEASE:
		if (c->v == NULL)
			rc = why_set(why, "when: prerelease but this is a "
					  "branch build");
		else if (!c->pre)
			rc = why_set(why,
				     "when: prerelease but " VFMT " is "
				     "not a prerelease",
				     VARG(c->v));
		else
			return 0;
		break;
	case TP_WHEN_BRANCH:
		if (c->v == NULL)
			return 0;
		rc = why_set(why,
			     "when: branch but this build has version " VFMT,
			     VARG(c->v));
		break;
	}
	return rc < 0 ? rc : 1;
}

/* The same for the `latest` template. */
static int
latest_skip(struct tp_buf *why, const struct ctx *c)
{
	int rc;

	if (c->v == NULL)
		rc = why_set(why, "latest is rendered only for a release: "
				  "this is a branch build");
	else if (c->pre)
		rc = why_set(why, "latest is not rendered for a prerelease");
	else if (!c->b->latest)
		rc = why_set(why,
			     "latest is not rendered: a release greater "
			     "than " VFMT " exists",
			     VARG(c->v));
	else
		return 0;
	return rc < 0 ? rc : 1;
}

/*
 * The floating-tag rules: 1 when the entry is not rendered for this
 * version (reason in `why`), 0, or TP_ENOMEM.
 */
static int
floating_skip(struct tp_buf *why, const struct tp_publish *e,
	      const struct ctx *c)
{
	const struct tp_field *part = NULL, *major = NULL;
	int full = 0, finer = 0, rc;
	size_t i;

	if (c->v == NULL)
		return 0;
	for (i = 0; i < e->npieces; i++) {
		const struct tp_field *f = e->pieces[i].field;

		if (f == NULL)
			continue;
		switch (f->type) {
		case TP_FIELD_SEMVER: full = finer = 1; break;
		case TP_FIELD_PRE: full = 1; break;
		case TP_FIELD_MAJOR:
			if (major == NULL)
				major = f;
			/* fall through */
		case TP_FIELD_MINOR:
		case TP_FIELD_PATCH:
			if (part == NULL)
				part = f;
			if (f->type != TP_FIELD_MAJOR)
				finer = 1;
			break;
		default: break;
		}
	}
	if (c->pre && part != NULL && !full)
		rc = why_set(why, "{%s} is not rendered for a prerelease",
			     part->name);
	else if (major != NULL && !finer && c->v->major_len == 1 &&
		 c->v->str[c->v->major_off] == '0')
		rc = why_set(why, "{%s} is not rendered while major is 0",
			     major->name);
	else
		return 0;
	return rc < 0 ? rc : 1;
}

static const char *
var_value(const struct tp_publish_build *b, const char *name)
{
	size_t i;

	if (strcmp(name, "env") == 0)
		return b->env;
	for (i = 0; i < b->nvars; i++)
		if (b->vars[i].name && strcmp(b->vars[i].name, name) == 0)
			return b->vars[i].value;
	return NULL;
}

/* Checks a `values` or `pattern` field's value: 0, TP_EINVAL, TP_ENOMEM. */
static int
value_check(const struct tp_field *f, const char *v, struct tp_error *err)
{
	struct tp_buf list = TP_BUF_INIT;
	char shown[SHOW_MAX + 8];
	pcre2_match_data *md;
	size_t i;
	int rc;

	show(shown, sizeof(shown), v, strlen(v));
	if (f->type == TP_FIELD_VALUES) {
		for (i = 0; i < f->nvalues; i++)
			if (strcmp(f->values[i], v) == 0)
				return 0;
		for (i = 0; i < f->nvalues; i++)
			if (tp_buf_printf(&list, "%s%s", i ? ", " : "",
					  f->values[i]) < 0) {
				tp_buf_release(&list);
				return tp_error_set(err, TP_ENOMEM,
						    "out of memory");
			}
		tp_error_set(err, TP_EINVAL,
			     "value '%s' of field '%s' is not one of: %s",
			     shown, f->name, list.ptr);
		tp_buf_release(&list);
		return TP_EINVAL;
	}
	if (f->pattern_re == NULL)
		return 0;
	md = pcre2_match_data_create_from_pattern(f->pattern_re, NULL);
	if (md == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	rc = pcre2_match(f->pattern_re, (PCRE2_SPTR)v, strlen(v), 0, 0, md,
			 NULL);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 0;
	return tp_error_set(err, TP_EINVAL,
			    "value '%s' of field '%s' does not match its "
			    "pattern '%s'",
			    shown, f->name, f->pattern ? f->pattern : "");
}

static int
commit_put(struct tp_buf *out, const struct tp_field *f, const char *id,
	   struct tp_error *err)
{
	char shown[SHOW_MAX + 8];
	size_t i, len = strlen(id);
	size_t want = f->hex_min ? f->hex_min : f->hex_max;

	for (i = 0; i < len; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
		      (id[i] >= 'a' && id[i] <= 'f')))
			break;
	show(shown, sizeof(shown), id, len);
	if (i < len || len == 0)
		return tp_error_set(err, TP_EINVAL,
				    "commit id '%s' is not lower-case hex",
				    shown);
	if (len < want)
		return tp_error_set(err, TP_EINVAL,
				    "commit id '%s' is shorter than the %zu "
				    "digits of field '%s'",
				    shown, want, f->name);
	if (tp_buf_put(out, id, want) < 0)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	return 0;
}

#define BRANCH_VARS \
	"GITHUB_HEAD_REF, GITHUB_REF_NAME, " \
	"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME, CI_COMMIT_BRANCH, " \
	"CHANGE_BRANCH, BRANCH_NAME"

/*
 * Appends field `f`'s value for this build, a branch cut to `branch_max`
 * bytes.  Returns 1, 0 when the field has no value (the reason in `why`),
 * or a negative status.
 */
static int
field_put(struct tp_buf *out, struct tp_buf *why, const struct tp_field *f,
	  const struct ctx *c, size_t branch_max, struct tp_error *err)
{
	const struct tp_version *v = c->v;
	char shown[SHOW_MAX + 8];
	const char *val;
	size_t end;
	int rc;

	switch (f->type) {
	case TP_FIELD_SEMVER:
	case TP_FIELD_MAJOR:
	case TP_FIELD_MINOR:
	case TP_FIELD_PATCH:
	case TP_FIELD_PRE:
	case TP_FIELD_META:
		if (v == NULL) {
			rc = why_set(why, "no version on a branch build");
			break;
		}
		if (f->type == TP_FIELD_SEMVER) {
			end = v->pre_len ? v->pre_off + v->pre_len
					 : v->patch_off + v->patch_len;
			rc = tp_buf_put(out, v->str + v->major_off,
					end - v->major_off);
		} else if (f->type == TP_FIELD_MAJOR) {
			rc = tp_buf_put(out, v->str + v->major_off,
					v->major_len);
		} else if (f->type == TP_FIELD_MINOR) {
			rc = tp_buf_put(out, v->str + v->minor_off,
					v->minor_len);
		} else if (f->type == TP_FIELD_PATCH) {
			rc = tp_buf_put(out, v->str + v->patch_off,
					v->patch_len);
		} else if (f->type == TP_FIELD_PRE) {
			if (v->pre_len == 0) {
				rc = why_set(why,
					     "{%s} is empty: " VFMT
					     " is not a prerelease",
					     f->name, VARG(v));
				break;
			}
			rc = tp_buf_put(out, v->str + v->pre_off, v->pre_len);
		} else {
			if (v->build_len == 0) {
				rc = why_set(why,
					     "{%s} is empty: " VFMT
					     " has no build metadata",
					     f->name, VARG(v));
				break;
			}
			rc = tp_buf_put(out, v->str + v->build_off,
					v->build_len);
		}
		if (rc < 0)
			break;
		return 1;
	case TP_FIELD_BRANCH:
		if (c->b->branch == NULL) {
			rc = why_set(why, "no branch: set one of " BRANCH_VARS);
			break;
		}
		if (c->branch.len == 0) {
			show(shown, sizeof(shown), c->b->branch,
			     strlen(c->b->branch));
			rc = why_set(why,
				     "{%s} is empty: branch '%s' has no "
				     "character allowed in a tag",
				     f->name, shown);
			break;
		}
		rc = tp_buf_put(out, c->branch.ptr,
				c->branch.len < branch_max ? c->branch.len
							   : branch_max);
		if (rc < 0)
			break;
		return 1;
	case TP_FIELD_VALUES:
	case TP_FIELD_PATTERN:
		val = var_value(c->b, f->name);
		if (val == NULL) {
			if (strcmp(f->name, "env") == 0)
				rc = why_set(why, "no value for {env}: use "
						  "--env");
			else
				rc = why_set(why, "no value for {%s}", f->name);
			break;
		}
		rc = value_check(f, val, err);
		if (rc < 0)
			return rc;
		rc = tp_buf_puts(out, val);
		if (rc < 0)
			break;
		return 1;
	case TP_FIELD_HEX:
		if (c->b->commit == NULL) {
			rc = why_set(why, "no commit for {%s}", f->name);
			break;
		}
		rc = commit_put(out, f, c->b->commit, err);
		if (rc < 0)
			return rc;
		return 1;
	case TP_FIELD_DATE:
		assert(f->date != NULL);
		rc = tp_date_format(out, f->date, c->b->time);
		if (rc == TP_EINVAL)
			return tp_error_set(err, TP_EINVAL,
					    "build time %lld cannot be shown "
					    "in the format of field '%s'",
					    (long long)c->b->time, f->name);
		if (rc < 0)
			break;
		return 1;
	default:
		return tp_error_set(err, TP_ERROR,
				    "field '%s' has an unknown type", f->name);
	}
	if (rc < 0)
		return tp_error_set(err, rc, "out of memory");
	return 0;
}

/* Renders every piece: 1, 0 (a field has no value) or a negative status. */
static int
pieces_put(struct tp_buf *out, struct tp_buf *why, const struct tp_publish *e,
	   const struct ctx *c, size_t branch_max, size_t *nbranch,
	   struct tp_error *err)
{
	size_t i;
	int rc;

	*nbranch = 0;
	for (i = 0; i < e->npieces; i++) {
		const struct tp_piece *p = &e->pieces[i];

		if (p->field == NULL) {
			if (tp_buf_put(out, p->text, p->len) < 0)
				return tp_error_set(err, TP_ENOMEM,
						    "out of memory");
			continue;
		}
		if (p->field->type == TP_FIELD_BRANCH)
			(*nbranch)++;
		rc = field_put(out, why, p->field, c, branch_max, err);
		if (rc <= 0)
			return rc;
	}
	return 1;
}

/* 1 with the tag in `tag`, 0 with the reason in `why`, or an error. */
static int
entry_render(struct tp_buf *tag, struct tp_buf *why, const struct tp_publish *e,
	     const struct ctx *c, struct tp_error *err)
{
	size_t nbranch, max;
	int rc;

	rc = when_skip(why, e, c);
	if (rc == 0 && is_latest(e))
		rc = latest_skip(why, c);
	if (rc < 0)
		return tp_error_set(err, rc, "out of memory");
	if (rc > 0)
		return 0;
	/* First without the branch, to learn how much room it has. */
	rc = pieces_put(tag, why, e, c, 0, &nbranch, err);
	if (rc <= 0)
		return rc;
	rc = floating_skip(why, e, c);
	if (rc < 0)
		return tp_error_set(err, rc, "out of memory");
	if (rc > 0)
		return 0;
	if (nbranch == 0)
		return 1;
	/*
	 * A fixed part that leaves no room gets the whole branch, so that
	 * the length check reports the template instead of dropping the
	 * branch silently.
	 */
	max = SIZE_MAX;
	if (tag->len < TP_IMAGE_TAG_MAX &&
	    (TP_IMAGE_TAG_MAX - tag->len) / nbranch > 0)
		max = (TP_IMAGE_TAG_MAX - tag->len) / nbranch;
	tp_buf_clear(tag);
	return pieces_put(tag, why, e, c, max, &nbranch, err);
}

static int
skip_add(struct tp_publish_result *r, const char *tmpl, const char *reason)
{
	struct tp_publish_skip *s;

	s = realloc(r->skipped, (r->nskipped + 1) * sizeof(*s));
	if (s == NULL)
		return TP_ENOMEM;
	r->skipped = s;
	s = &r->skipped[r->nskipped];
	s->template = dupn(tmpl, strlen(tmpl));
	s->reason = dupn(reason, strlen(reason));
	if (s->template == NULL || s->reason == NULL) {
		free(s->template);
		free(s->reason);
		return TP_ENOMEM;
	}
	r->nskipped++;
	return 0;
}

static int
tag_add(struct tp_publish_result *r, const struct tp_buf *tag)
{
	char **t, *copy;

	t = realloc(r->tags, (r->ntags + 1) * sizeof(*t));
	if (t == NULL)
		return TP_ENOMEM;
	r->tags = t;
	copy = dupn(tag->ptr, tag->len);
	if (copy == NULL)
		return TP_ENOMEM;
	r->tags[r->ntags++] = copy;
	return 0;
}

static int
tag_check(const struct tp_publish *e, const struct tp_buf *tag,
	  struct tp_error *err)
{
	char why[128], stag[SHOW_MAX + 8], stmpl[SHOW_MAX + 8];
	const char *tmpl = e->template ? e->template : "";

	if (tp_image_tag_check(tag->ptr, tag->len, why, sizeof(why)))
		return 0;
	show(stag, sizeof(stag), tag->ptr, tag->len);
	show(stmpl, sizeof(stmpl), tmpl, strlen(tmpl));
	return tp_error_set_at(err, TP_EPOLICY, e->loc.file, e->loc.line,
			       e->loc.column,
			       "publish template '%s' renders '%s', which is "
			       "not a valid image tag: %s",
			       stmpl, stag, why);
}

int
tp_publish_render(struct tp_publish_result *out,
		  const struct tp_publish *entries, size_t n,
		  const struct tp_publish_build *build, struct tp_error *err)
{
	struct tp_publish_result r = TP_PUBLISH_RESULT_INIT;
	struct tp_buf tag = TP_BUF_INIT, why = TP_BUF_INIT;
	struct ctx c;
	const char **source = NULL;
	size_t i, j;
	int error = 0, rc;

	*out = r;
	c.b = build;
	c.v = build->version;
	c.pre = c.v != NULL && c.v->pre_len > 0;
	tp_buf_init(&c.branch, TP_BUF_MAX_DEFAULT);
	if (c.v != NULL) {
		r.version = dupn(c.v->str, c.v->len);
		if (r.version == NULL)
			goto nomem;
	}
	if (build->branch != NULL &&
	    tp_publish_branch_sanitize(&c.branch, build->branch, SIZE_MAX) < 0)
		goto nomem;
	/* The template that first gave each tag, for duplicates. */
	source = calloc(n ? n : 1, sizeof(*source));
	if (source == NULL)
		goto nomem;

	for (i = 0; i < n; i++) {
		const struct tp_publish *e = &entries[i];
		const char *tmpl = e->template ? e->template : "";

		tp_buf_clear(&tag);
		tp_buf_clear(&why);
		rc = entry_render(&tag, &why, e, &c, err);
		if (rc < 0) {
			error = rc;
			goto done;
		}
		if (rc == 0) {
			if (skip_add(&r, tmpl, why.ptr) < 0)
				goto nomem;
			continue;
		}
		error = tag_check(e, &tag, err);
		if (error < 0)
			goto done;
		for (j = 0; j < r.ntags; j++)
			if (strcmp(r.tags[j], tag.ptr) == 0)
				break;
		if (j < r.ntags) {
			tp_buf_clear(&why);
			if (why_set(&why,
				    "renders '%s', the same tag as "
				    "template '%s'",
				    r.tags[j], source[j]) < 0 ||
			    skip_add(&r, tmpl, why.ptr) < 0)
				goto nomem;
			continue;
		}
		if (tag_add(&r, &tag) < 0)
			goto nomem;
		source[r.ntags - 1] = tmpl;
	}
	*out = r;
	r = (struct tp_publish_result)TP_PUBLISH_RESULT_INIT;
	goto done;
nomem:
	error = tp_error_set(err, TP_ENOMEM, "out of memory");
done:
	tp_publish_result_release(&r);
	tp_buf_release(&c.branch);
	tp_buf_release(&tag);
	tp_buf_release(&why);
	free(source);
	return error;
}

void
tp_publish_result_release(struct tp_publish_result *r)
{
	size_t i;

	for (i = 0; i < r->ntags; i++)
		free(r->tags[i]);
	for (i = 0; i < r->nskipped; i++) {
		free(r->skipped[i].template);
		free(r->skipped[i].reason);
	}
	free(r->tags);
	free(r->skipped);
	free(r->version);
	*r = (struct tp_publish_result)TP_PUBLISH_RESULT_INIT;
}

int
tp_publish_branch_sanitize(struct tp_buf *out, const char *branch, size_t max)
{
	size_t start = out->len, kept = 0;
	int in_run = 0;
	const char *s;

	for (s = branch; *s != '\0' && kept < max; s++) {
		unsigned char ch = (unsigned char)*s;
		char c;

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '.' || ch == '_' || ch == '-') {
			c = (char)ch;
			in_run = 0;
		} else if (in_run) {
			continue;
		} else {
			c = '-';
			in_run = 1;
		}
		/* Leading '.' and '-' go, a replaced run's '-' included. */
		if (kept == 0 && (c == '.' || c == '-'))
			continue;
		if (tp_buf_putc(out, c) < 0) {
			tp_buf_truncate(out, start);
			return TP_ENOMEM;
		}
		kept++;
	}
	return 0;
}

const char *
tp_publish_env_branch(const char **out_var, tp_publish_getenv_fn get,
		      void *payload)
{
	static const char *const names[] = {
		"GITHUB_HEAD_REF",
		"GITHUB_REF_NAME",
		"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
		"CI_COMMIT_BRANCH",
		"CHANGE_BRANCH",
		"BRANCH_NAME"
	};
	const char *v, *type;
	size_t i;

	if (out_var != NULL)
		*out_var = NULL;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i], "GITHUB_REF_NAME") == 0) {
			/* On a tag push it names the tag, not a branch. */
			type = get("GITHUB_REF_TYPE", payload);
			if (type == NULL || strcmp(type, "branch") != 0)
				continue;
		}
		v = get(names[i], payload);
		if (v == NULL || *v == '\0')
			continue;
		if (out_var != NULL)
			*out_var = names[i];
		return v;
	}
	return NULL;
}

int
tp_publish_image_check(const char *name, struct tp_error *err)
{
	struct tp_image_ref ref;
	struct tp_error perr;
	char shown[SHOW_MAX + 8];
	const char *what = NULL;

	tp_error_init(&perr);
	show(shown, sizeof(shown), name, strlen(name));
	if (tp_image_ref_parse(&ref, name, strlen(name), &perr) < 0) {
		tp_error_set(err, TP_EINVAL, "invalid image name '%s': %s",
			     shown, perr.msg);
		return TP_EINVAL;
	}
	if (ref.tag_len > 0)
		what = "a tag";
	else if (ref.digest_len > 0)
		what = "a digest";
	if (what == NULL)
		return 0;
	tp_error_set(err, TP_EINVAL, "image name '%s' has %s", shown, what);
	tp_error_hint(err, "give the name only: the tags come from the "
			   "policy");
	return TP_EINVAL;
}

/* 1 when images[i] is a repeat of an earlier image. */
static int
image_repeat(const char *const *images, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (strcmp(images[j], images[i]) == 0)
			return 1;
	return 0;
}

static int
json_write(struct tp_buf *out, const struct tp_publish_result *r,
	   const char *const *images, size_t nimages)
{
	struct tp_buf ref = TP_BUF_INIT;
	struct tp_json_w w;
	size_t i, j;
	int rc = 0;

	tp_jw_init(&w, out, 0);
	tp_jw_obj_begin(&w);
	tp_jw_key(&w, "version");
	tp_jw_str(&w, r->version);
	tp_jw_key(&w, "tags");
	tp_jw_arr_begin(&w);
	for (i = 0; i < r->ntags; i++)
		tp_jw_str(&w, r->tags[i]);
	tp_jw_arr_end(&w);
	tp_jw_key(&w, "references");
	tp_jw_arr_begin(&w);
	for (i = 0; i < nimages; i++) {
		if (image_repeat(images, i))
			continue;
		for (j = 0; j < r->ntags && rc == 0; j++) {
			tp_buf_clear(&ref);
			rc = tp_buf_printf(&ref, "%s:%s", images[i],
					   r->tags[j]);
			if (rc == 0)
				tp_jw_strn(&w, ref.ptr, ref.len);
		}
	}
	tp_jw_arr_end(&w);
	tp_jw_key(&w, "skipped");
	tp_jw_arr_begin(&w);
	for (i = 0; i < r->nskipped; i++) {
		tp_jw_obj_begin(&w);
		tp_jw_key(&w, "template");
		tp_jw_str(&w, r->skipped[i].template);
		tp_jw_key(&w, "reason");
		tp_jw_str(&w, r->skipped[i].reason);
		tp_jw_obj_end(&w);
	}
	tp_jw_arr_end(&w);
	tp_jw_obj_end(&w);
	tp_buf_release(&ref);
	if (rc < 0)
		return rc;
	if (w.error < 0)
		return w.error;
	return tp_buf_putc(out, '\n');
}

int
tp_publish_write(struct tp_buf *out, const struct tp_publish_result *r,
		 const char *const *images, size_t nimages,
		 enum tp_publish_fmt fmt, struct tp_error *err)
{
	const char *lead = fmt == TP_PUBLISH_DOCKER ? "-t " : "";
	size_t i, j;
	int rc = 0;

	for (i = 0; i < nimages; i++)
		if (tp_publish_image_check(images[i], err) < 0)
			return TP_EINVAL;
	if (fmt == TP_PUBLISH_DOCKER && nimages == 0)
		return tp_error_set(err, TP_EINVAL,
				    "the docker format needs "
				    "an image name");
	if (fmt == TP_PUBLISH_JSON) {
		rc = json_write(out, r, images, nimages);
	} else if (nimages == 0) {
		for (i = 0; i < r->ntags && rc == 0; i++)
			rc = tp_buf_printf(out, "%s\n", r->tags[i]);
	} else {
		for (i = 0; i < nimages && rc == 0; i++) {
			if (image_repeat(images, i))
				continue;
			for (j = 0; j < r->ntags && rc == 0; j++)
				rc = tp_buf_printf(out, "%s%s:%s\n", lead,
						   images[i], r->tags[j]);
		}
	}
	if (rc < 0)
		return tp_error_set(err, rc, "out of memory");
	return 0;
}

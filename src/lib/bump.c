/*
 * bump.c: the next release version (SemVer or CalVer) from the current
 * release, the commits since it and the existing tags.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bump.h"

static const char *const kind_names[] = {
	"none", "patch", "minor", "major", "prerelease", "initial"
};

static const char *const req_names[] = {
	"auto", "major", "minor", "patch", "prerelease"
};

/* The state of one tp_bump_next() call. */
struct ctx {
	const struct tp_bump_input *in;
	struct tp_bump_result *out;
	const char *pre;           /* --pre, NULL when absent or empty */
	struct tp_version cur;     /* valid when in->current != NULL */
	struct tp_version *vt;     /* parsed in->tags, parallel */
};

static const char *
tag_name(const struct tp_bump_tag *t)
{
	return t->tag != NULL ? t->tag : t->version;
}

static int
parse_str(struct tp_version *v, const char *s, struct tp_error *sub)
{
	tp_error_init(sub);
	return tp_version_parse(v, s, strlen(s), sub);
}

static int
core_cmp(const struct tp_version *a, const struct tp_version *b)
{
	int c;

	c = tp_num_cmp(a->str + a->major_off, a->major_len,
		       b->str + b->major_off, b->major_len);
	if (c == 0)
		c = tp_num_cmp(a->str + a->minor_off, a->minor_len,
			       b->str + b->minor_off, b->minor_len);
	if (c == 0)
		c = tp_num_cmp(a->str + a->patch_off, a->patch_len,
			       b->str + b->patch_off, b->patch_len);
	return c;
}

/* Appends MAJOR.MINOR.PATCH of `v`. */
static int
put_core(struct tp_buf *out, const struct tp_version *v)
{
	size_t end = v->patch_off + v->patch_len;

	/* The core is contiguous: "X.Y.Z" at the start of the text. */
	return tp_buf_put(out, v->str + v->major_off, end - v->major_off);
}

/*
 * The identifier of a prerelease line: its prerelease without a last
 * numeric identifier ("rc.2" -> "rc", "beta" -> "beta", "3" -> "").
 */
static size_t
line_id_len(const struct tp_version *v)
{
	const char *p = v->str + v->pre_off;
	size_t n = v->pre_len, i = n;

	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
		i--;
	if (i == n)
		return n;
	if (i == 0)
		return 0;
	return p[i - 1] == '.' ? i - 1 : n;
}

/* 1 when the prerelease of `v` is exactly ID.N (just N when ID is empty). */
static int
has_id(const struct tp_version *v, const char *id, size_t idlen)
{
	const char *p = v->str + v->pre_off;
	size_t i;

	if (v->pre_len == 0)
		return 0;
	if (idlen > 0) {
		if (v->pre_len < idlen + 2 || memcmp(p, id, idlen) != 0 ||
		    p[idlen] != '.')
			return 0;
		idlen++;
	}
	for (i = idlen; i < v->pre_len; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return i > idlen;
}

static int
find_line(const struct tp_bump_tag *tags, const struct tp_version *vt,
	  const int *ok, size_t n, const struct tp_version *cur)
{
	size_t i;
	int best = -1;

	for (i = 0; i < n; i++) {
		if (!tags[i].reachable || (ok != NULL && !ok[i]) ||
		    vt[i].pre_len == 0)
			continue;
		if (cur != NULL && tp_version_cmp(&vt[i], cur) <= 0)
			continue;
		if (best < 0 || tp_version_cmp(&vt[i], &vt[best]) > 0)
			best = (int)i;
	}
	return best;
}

const struct tp_bump_tag *
tp_bump_find_line(const struct tp_bump_tag *tags, size_t ntags,
		  const char *current)
{
	struct tp_version *vt = NULL, cur;
	struct tp_error sub;
	int *ok = NULL, best = -1, have_cur = 0;
	size_t i;

	if (ntags == 0)
		return NULL;
	vt = calloc(ntags, sizeof(*vt));
	ok = calloc(ntags, sizeof(*ok));
	if (vt == NULL || ok == NULL)
		goto done;
	for (i = 0; i < ntags; i++)
		ok[i] = tags[i].version != NULL &&
			parse_str(&vt[i], tags[i].version, &sub) == 0;
	if (current != NULL && parse_str(&cur, current, &sub) == 0)
		have_cur = 1;
	best = find_line(tags, vt, ok, ntags, have_cur ? &cur : NULL);
done:
	free(vt);
	free(ok);
	return best < 0 ? NULL : &tags[best];
}

void
tp_bump_result_init(struct tp_bump_result *r)
{
	struct tp_bump_result init = TP_BUMP_RESULT_INIT;

	*r = init;
}

void
tp_bump_result_release(struct tp_bump_result *r)
{
	tp_buf_release(&r->next);
	free(r->reasons);
	tp_bump_result_init(r);
}

int
tp_bump_req_parse(enum tp_bump_req *out, const char *s, struct tp_error *err)
{
	size_t i;

	for (i = 0; i < sizeof(req_names) / sizeof(req_names[0]); i++) {
		if (strcmp(s, req_names[i]) == 0) {
			*out = (enum tp_bump_req)i;
			return 0;
		}
	}
	return tp_error_set(err, TP_EINVAL, "unknown bump '%s': expected "
			    "auto, major, minor, patch or prerelease", s);
}

const char *
tp_bump_kind_name(enum tp_bump_kind k)
{
	if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "none";
	return kind_names[k];
}

static int
oom(struct tp_error *err)
{
	return tp_error_set(err, TP_ENOMEM, "out of memory");
}

/* Parses every commit; fills the reasons and the largest bump. */
static int
scan_commits(struct tp_bump_result *out, const struct tp_bump_input *in,
	     int major_is_zero, struct tp_error *err)
{
	struct tp_bump_map def = tp_bump_map_default();
	const struct tp_bump_map *m = in->map != NULL ? in->map : &def;
	struct tp_bump_reason *r;
	struct tp_cc cc;
	enum tp_bump b;
	size_t i, cap = 0;

	for (i = 0; i < in->ncommits; i++) {
		tp_cc_parse(&cc, in->commits[i].msg, in->commits[i].len);
		b = tp_cc_bump(&cc, m, major_is_zero);
		if (b == TP_BUMP_NONE)
			continue;
		if (b > out->commit_bump)
			out->commit_bump = b;
		if (out->nreasons == cap) {
			cap = cap ? cap * 2 : 8;
			r = realloc(out->reasons, cap * sizeof(*r));
			if (r == NULL)
				return oom(err);
			out->reasons = r;
		}
		r = &out->reasons[out->nreasons++];
		r->index = i;
		r->cc = cc;
		r->bump = b;
	}
	return 0;
}

static enum tp_bump_kind
kind_of(enum tp_bump b)
{
	switch (b) {
	case TP_BUMP_MAJOR: return TP_BUMP_KIND_MAJOR;
	case TP_BUMP_MINOR: return TP_BUMP_KIND_MINOR;
	case TP_BUMP_PATCH: return TP_BUMP_KIND_PATCH;
	default: return TP_BUMP_KIND_NONE;
	}
}

/* Nothing to release: the answer is the current release, if any. */
static int
set_none(struct ctx *c, struct tp_error *err)
{
	c->out->kind = TP_BUMP_KIND_NONE;
	if (c->in->current != NULL &&
	    tp_buf_puts(&c->out->next, c->in->current) < 0)
		return oom(err);
	return 0;
}

/* Appends `s` plus one; `s` is a decimal digit string. */
/* 1 when s[0..n) is a positive decimal without a leading zero. */
static int
is_counter(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '0')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
next_calver(struct ctx *c, struct tp_error *err)
{
	const struct tp_bump_input *in = c->in;
	struct tp_buf date = TP_BUF_INIT;
	const char *max = NULL, *v;
	size_t maxlen = 0, dlen, vlen, i;
	int found = 0, rc;

	if (c->pre != NULL)
		return tp_error_set(err, TP_EINVAL, "--pre does not apply to "
				    "bump.scheme calver");
	if (in->req != TP_BUMP_REQ_AUTO)
		return tp_error_set(err, TP_EINVAL, "bump '%s' does not apply "
				    "to bump.scheme calver",
				    req_names[in->req]);
	assert(in->date != NULL);
	if (in->current != NULL && c->out->commit_bump == TP_BUMP_NONE)
		return set_none(c, err);

	rc = tp_date_format(&date, in->date, in->now);
	if (rc == TP_ENOMEM)
		return oom(err);
	if (rc < 0)
		return tp_error_set(err, rc, "cannot write the date of time "
				    "%lld in the release kind's date format",
				    (long long)in->now);
	dlen = date.len;
	for (i = 0; i < in->ntags; i++) {
		v = in->tags[i].version;
		vlen = strlen(v);
		if (vlen < dlen || memcmp(v, date.ptr, dlen) != 0)
			continue;
		if (vlen == dlen) {
			found = 1;
			continue;
		}
		if (v[dlen] != '.' ||
		    !is_counter(v + dlen + 1, vlen - dlen - 1))
			continue;
		found = 1;
		if (max == NULL || tp_num_cmp(v + dlen + 1, vlen - dlen - 1,
					      max, maxlen) > 0) {
			max = v + dlen + 1;
			maxlen = vlen - dlen - 1;
		}
	}
	rc = tp_buf_put(&c->out->next, date.ptr, date.len);
	if (rc == 0 && found)
		rc = tp_buf_putc(&c->out->next, '.');
	if (rc == 0 && found)
		rc = max != NULL ? tp_num_inc(&c->out->next, max, maxlen) :
				   tp_buf_putc(&c->out->next, '1');
	tp_buf_release(&date);
	if (rc < 0)
		return oom(err);
	c->out->kind = in->current != NULL ? kind_of(c->out->commit_bump) :
					     TP_BUMP_KIND_INITIAL;
	return 0;
}

/*
 * The base target T0 (see bump.h) into `t0`; left empty when there is
 * none.
 */
static int
base_target(struct tp_buf *t0, struct ctx *c, struct tp_error *err)
{
	const struct tp_bump_input *in = c->in;
	struct tp_version base, v;
	struct tp_error sub;
	enum tp_inc what;

	switch (in->req) {
	case TP_BUMP_REQ_MAJOR:
	case TP_BUMP_REQ_MINOR:
	case TP_BUMP_REQ_PATCH:
		what = in->req == TP_BUMP_REQ_MAJOR ? TP_INC_MAJOR :
		       in->req == TP_BUMP_REQ_MINOR ? TP_INC_MINOR :
						      TP_INC_PATCH;
		if (in->current != NULL)
			base = c->cur;
		else
			parse_str(&base, "0.0.0", &sub);
		return tp_version_inc(t0, &base, what, NULL, 0, err);
	default:
		break;
	}
	if (in->current == NULL) {
		if (in->initial == NULL || parse_str(&v, in->initial, &sub) < 0)
			return tp_error_set(err, TP_EINVAL, "release.initial "
					    "'%s' is not a version: %s",
					    in->initial ? in->initial : "",
					    in->initial ? sub.msg : "missing");
		return tp_buf_puts(t0, in->initial) < 0 ? oom(err) : 0;
	}
	switch (c->out->commit_bump) {
	case TP_BUMP_MAJOR: what = TP_INC_MAJOR; break;
	case TP_BUMP_MINOR: what = TP_INC_MINOR; break;
	case TP_BUMP_PATCH: what = TP_INC_PATCH; break;
	default:
		if (in->req != TP_BUMP_REQ_PRERELEASE)
			return 0;
		what = TP_INC_PATCH;
		break;
	}
	return tp_version_inc(t0, &c->cur, what, NULL, 0, err);
}

/* Rule 6: `v` must not be the version of an existing tag. */
static int
check_unused(struct ctx *c, const struct tp_version *v, struct tp_error *err)
{
	size_t i;

	for (i = 0; i < c->in->ntags; i++) {
		if (tp_version_cmp(v, &c->vt[i]) != 0)
			continue;
		tp_error_set(err, TP_EEXISTS, "version '%.*s' is already "
			     "tagged as '%s'", (int)v->len, v->str,
			     tag_name(&c->in->tags[i]));
		tp_error_hint(err, "tags are never reused: force a higher "
			      "bump, or release from the history that holds "
			      "'%s'", tag_name(&c->in->tags[i]));
		return TP_EEXISTS;
	}
	return 0;
}

/* --pre ID must make a prerelease on its own: no '+', no empty part. */
static int
check_pre_id(const char *id, struct tp_error *err)
{
	struct tp_buf b = TP_BUF_INIT;
	struct tp_version v;
	struct tp_error sub;
	int rc;

	if (tp_buf_printf(&b, "0.0.0-%s", id) < 0)
		return oom(err);
	rc = parse_str(&v, b.ptr, &sub);
	if (rc == 0 && v.build_len > 0) {
		rc = TP_EINVAL;
		snprintf(sub.msg, sizeof(sub.msg), "'+' starts build metadata");
	}
	tp_buf_release(&b);
	if (rc < 0)
		return tp_error_set(err, TP_EINVAL, "cannot use '%s' as a "
				    "prerelease identifier: %s", id, sub.msg);
	return 0;
}

/* The kind of a release `next` that follows `cur`. */
static enum tp_bump_kind
release_kind(struct ctx *c, const struct tp_version *next)
{
	const struct tp_version *a = &c->cur;

	switch (c->in->req) {
	case TP_BUMP_REQ_MAJOR: return TP_BUMP_KIND_MAJOR;
	case TP_BUMP_REQ_MINOR: return TP_BUMP_KIND_MINOR;
	case TP_BUMP_REQ_PATCH: return TP_BUMP_KIND_PATCH;
	default: break;
	}
	if (c->in->current == NULL)
		return TP_BUMP_KIND_INITIAL;
	if (tp_num_cmp(a->str + a->major_off, a->major_len,
		       next->str + next->major_off, next->major_len) != 0)
		return TP_BUMP_KIND_MAJOR;
	if (tp_num_cmp(a->str + a->minor_off, a->minor_len,
		       next->str + next->minor_off, next->minor_len) != 0)
		return TP_BUMP_KIND_MINOR;
	return TP_BUMP_KIND_PATCH;
}

/*
 * The prerelease of target `tgt` with identifier id[0..idlen): the next
 * counter, the "nothing to release" test and the ordering check.
 */
static int
next_pre(struct ctx *c, const struct tp_version *tgt, int line,
	 const char *id, size_t idlen, struct tp_error *err)
{
	const struct tp_bump_input *in = c->in;
	struct tp_buf cand = TP_BUF_INIT;
	struct tp_version v;
	struct tp_error sub;
	int best = -1, block = -1, rc;
	size_t i, bl;

	for (i = 0; i < in->ntags; i++) {
		if (core_cmp(&c->vt[i], tgt) != 0 ||
		    !has_id(&c->vt[i], id, idlen))
			continue;
		if (best < 0 || tp_version_cmp(&c->vt[i], &c->vt[best]) > 0)
			best = (int)i;
	}
	if (best >= 0) {
		rc = tp_version_inc(&cand, &c->vt[best], TP_INC_PRERELEASE,
				    NULL, 0, err);
	} else {
		rc = put_core(&cand, tgt);
		if (rc == 0)
			rc = tp_buf_printf(&cand,
					   idlen ? "-%.*s.%u" : "-%.*s%u",
					   (int)idlen, id, in->pre_start);
		if (rc < 0)
			rc = oom(err);
	}
	if (rc < 0)
		goto done;
	rc = parse_str(&v, cand.ptr, &sub);
	if (rc < 0) {
		rc = tp_error_set(err, TP_ERROR, "cannot read version '%s': "
				  "%s", cand.ptr, sub.msg);
		goto done;
	}

	if (line >= 0 && !in->pre_new_commits &&
	    core_cmp(&c->vt[line], tgt) == 0 &&
	    line_id_len(&c->vt[line]) == idlen &&
	    memcmp(c->vt[line].str + c->vt[line].pre_off, id, idlen) == 0) {
		rc = set_none(c, err);
		goto done;
	}

	if ((rc = check_unused(c, &v, err)) < 0)
		goto done;
	for (i = 0; i < in->ntags; i++) {
		if (c->vt[i].pre_len == 0 || core_cmp(&c->vt[i], tgt) != 0 ||
		    tp_version_cmp(&v, &c->vt[i]) >= 0)
			continue;
		if (block < 0 || tp_version_cmp(&c->vt[i], &c->vt[block]) > 0)
			block = (int)i;
	}
	if (block >= 0) {
		bl = line_id_len(&c->vt[block]);
		rc = tp_error_set(err, TP_EEXISTS, "prerelease '%s' would not "
				  "be greater than the existing '%s'",
				  cand.ptr, tag_name(&in->tags[block]));
		if (bl > 0)
			tp_error_hint(err, "continue with --pre %.*s, or use "
				      "an identifier that sorts after '%.*s'",
				      (int)bl,
				      c->vt[block].str + c->vt[block].pre_off,
				      (int)bl,
				      c->vt[block].str + c->vt[block].pre_off);
		goto done;
	}
	c->out->kind = TP_BUMP_KIND_PRERELEASE;
	if (tp_buf_put(&c->out->next, cand.ptr, cand.len) < 0)
		rc = oom(err);
done:
	tp_buf_release(&cand);
	return rc;
}

static int
next_semver(struct ctx *c, struct tp_error *err)
{
	const struct tp_bump_input *in = c->in;
	struct tp_buf t0 = TP_BUF_INIT, tgt = TP_BUF_INIT, idbuf = TP_BUF_INIT;
	struct tp_version v0, vl, vt;
	struct tp_error sub;
	const char *id;
	size_t i, idlen;
	int line, pre_mode, use_line, rc = 0;

	pre_mode = c->pre != NULL || in->req == TP_BUMP_REQ_PRERELEASE;
	if (c->pre != NULL && (rc = check_pre_id(c->pre, err)) < 0)
		return rc;
	if (in->current != NULL) {
		if (parse_str(&c->cur, in->current, &sub) < 0)
			return tp_error_set(err, TP_EINVAL, "current release "
					    "'%s' is not a version: %s",
					    in->current, sub.msg);
		if (c->cur.pre_len > 0)
			return tp_error_set(err, TP_EINVAL, "current release "
					    "'%s' is a prerelease",
					    in->current);
	}
	if (in->ntags > 0) {
		c->vt = calloc(in->ntags, sizeof(*c->vt));
		if (c->vt == NULL)
			return oom(err);
	}
	for (i = 0; i < in->ntags; i++) {
		if (parse_str(&c->vt[i], in->tags[i].version, &sub) < 0)
			return tp_error_set(err, TP_EINVAL, "tag '%s': version "
					    "'%s' is not valid: %s",
					    tag_name(&in->tags[i]),
					    in->tags[i].version, sub.msg);
	}
	line = find_line(in->tags, c->vt, NULL, in->ntags,
			 in->current != NULL ? &c->cur : NULL);
	c->out->line = line >= 0 ? &in->tags[line] : NULL;
	if (in->req == TP_BUMP_REQ_PRERELEASE && c->pre == NULL && line < 0) {
		tp_error_set(err, TP_EINVAL, "no prerelease line to continue");
		tp_error_hint(err, "start one with --pre ID (e.g. --pre rc)");
		return TP_EINVAL;
	}

	if ((rc = base_target(&t0, c, err)) < 0)
		goto done;
	if (t0.len > 0 && parse_str(&v0, t0.ptr, &sub) < 0) {
		rc = tp_error_set(err, TP_ERROR, "cannot read version '%s': "
				  "%s", t0.ptr, sub.msg);
		goto done;
	}
	/* The target: T0 or the line's target, the higher. */
	use_line = line >= 0 && (pre_mode || in->req == TP_BUMP_REQ_AUTO);
	if (use_line && (t0.len == 0 || core_cmp(&c->vt[line], &v0) > 0))
		rc = put_core(&tgt, &c->vt[line]);
	else if (t0.len > 0 && pre_mode)
		rc = put_core(&tgt, &v0);
	else if (t0.len > 0)
		rc = tp_buf_put(&tgt, t0.ptr, t0.len);
	if (rc < 0) {
		rc = oom(err);
		goto done;
	}
	if (tgt.len == 0) {
		rc = set_none(c, err);
		goto done;
	}
	if (parse_str(&vt, tgt.ptr, &sub) < 0) {
		rc = tp_error_set(err, TP_ERROR, "cannot read version '%s': "
				  "%s", tgt.ptr, sub.msg);
		goto done;
	}

	if (!pre_mode) {
		if ((rc = check_unused(c, &vt, err)) < 0)
			goto done;
		c->out->kind = release_kind(c, &vt);
		if (tp_buf_put(&c->out->next, tgt.ptr, tgt.len) < 0)
			rc = oom(err);
		goto done;
	}

	if (c->pre != NULL) {
		id = c->pre;
		idlen = strlen(id);
	} else {
		vl = c->vt[line];
		idlen = line_id_len(&vl);
		if (tp_buf_put(&idbuf, vl.str + vl.pre_off, idlen) < 0) {
			rc = oom(err);
			goto done;
		}
		id = idbuf.ptr;
	}
	rc = next_pre(c, &vt, line, id, idlen, err);
done:
	tp_buf_release(&t0);
	tp_buf_release(&tgt);
	tp_buf_release(&idbuf);
	return rc;
}

int
tp_bump_next(struct tp_bump_result *out, const struct tp_bump_input *in,
	     struct tp_error *err)
{
	struct ctx c;
	int rc, major_is_zero;

	assert(out != NULL && in != NULL);
	assert(in->ntags == 0 || in->tags != NULL);
	assert(in->ncommits == 0 || in->commits != NULL);
	tp_bump_result_release(out);

	memset(&c, 0, sizeof(c));
	c.in = in;
	c.out = out;
	c.pre = in->pre != NULL && in->pre[0] != '\0' ? in->pre : NULL;

	/* 0.x rules need the current major; CalVer has none. */
	major_is_zero = !in->calver &&
			(in->current == NULL ||
			 (in->current[0] == '0' && in->current[1] == '.'));
	rc = scan_commits(out, in, major_is_zero, err);
	if (rc == 0)
		rc = in->calver ? next_calver(&c, err) : next_semver(&c, err);
	free(c.vt);
	if (rc < 0)
		tp_bump_result_release(out);
	return rc;
}

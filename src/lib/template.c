/*
 * template.c: templates -> pieces -> one anchored PCRE2 pattern per kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "template.h"

#define REGEX_OPTIONS (PCRE2_NEVER_UTF | PCRE2_NO_AUTO_CAPTURE)

#define RE_NUM "(?:0|[1-9][0-9]*)"
#define RE_PREID "(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
#define RE_PRE RE_PREID "(?:\\." RE_PREID ")*"
#define RE_META "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*"

static const struct tp_field *
find_field(const struct tp_field *fields, size_t n, const char *name,
	   size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(fields[i].name) == len &&
		    memcmp(fields[i].name, name, len) == 0)
			return &fields[i];
	return NULL;
}

int
tp_template_parse(struct tp_piece **out, size_t *nout, const char *text,
		  const struct tp_field *fields, size_t nfields,
		  struct tp_error *err)
{
	struct tp_piece *pieces;
	const char *p = text, *open, *close, *name;
	const struct tp_field *f;
	struct tp_suggest sg;
	char hint[128];
	size_t n = 0, max = 1, i, nlen;

	*out = NULL;
	*nout = 0;
	if (text[0] == '\0')
		return tp_error_set(err, TP_EPOLICY, "empty template");
	for (i = 0; text[i] != '\0'; i++)
		if (text[i] == '{')
			max += 2;
	pieces = calloc(max, sizeof(*pieces));
	if (pieces == NULL)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	while (*p != '\0') {
		open = strchr(p, '{');
		close = strchr(p, '}');
		if (close != NULL && (open == NULL || close < open))
			goto unbalanced_close;
		if (open == NULL)
			open = p + strlen(p);
		if (open > p) {
			pieces[n].text = p;
			pieces[n].len = (size_t)(open - p);
			n++;
		}
		if (*open == '\0')
			break;
		name = open + 1;
		nlen = strcspn(name, "{}");
		if (name[nlen] != '}') {
			free(pieces);
			return tp_error_set(err, TP_EPOLICY,
					    "unbalanced '{' in template");
		}
		if (nlen == 0) {
			free(pieces);
			return tp_error_set(err, TP_EPOLICY,
					    "empty field '{}' in template "
					    "'%s'",
					    text);
		}
		f = find_field(fields, nfields, name, nlen);
		if (f == NULL) {
			tp_suggest_init(&sg, name, nlen);
			for (i = 0; i < nfields; i++)
				tp_suggest_add(&sg, fields[i].name);
			tp_suggest_text(hint, sizeof(hint), &sg);
			free(pieces);
			return tp_error_set(err, TP_EPOLICY,
					    "unknown field '{%.*s}' in "
					    "template '%s'%s",
					    (int)nlen, name, text, hint);
		}
		pieces[n].text = open;
		pieces[n].len = 0;
		pieces[n].field = f;
		n++;
		p = name + nlen + 1;
	}
	*out = pieces;
	*nout = n;
	return 0;

unbalanced_close:
	free(pieces);
	return tp_error_set(err, TP_EPOLICY, "unbalanced '}' in template");
}

/*
 * Literal bytes that stay literal in any PCRE2 mode: ASCII letters and
 * digits as they are, other printable ASCII behind a backslash, anything
 * else as a \x{..} escape (a byte, since patterns never use UTF).
 */
static int
put_literal(struct tp_buf *b, const char *s, size_t len)
{
	size_t i;
	int error = 0;

	for (i = 0; i < len && error == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9'))
			error = tp_buf_putc(b, c);
		else if (c > ' ' && c < 0x7F)
			error = tp_buf_printf(b, "\\%c", c);
		else
			error = tp_buf_printf(b, "\\x{%02x}", c);
	}
	return error;
}

static int
put_field(struct tp_buf *b, const struct tp_field *f, struct tp_error *err)
{
	size_t i;
	int error;

	error = tp_buf_printf(b, "(?<%s>", f->name);
	switch (f->type) {
	case TP_FIELD_SEMVER:
		error |= tp_buf_puts(b, "(?<major>" RE_NUM ")\\."
					"(?<minor>" RE_NUM ")\\."
					"(?<patch>" RE_NUM ")"
					"(?:-(?<pre>" RE_PRE "))?"
					"(?:\\+(?<meta>" RE_META "))?");
		break;
	case TP_FIELD_MAJOR:
	case TP_FIELD_MINOR:
	case TP_FIELD_PATCH: error |= tp_buf_puts(b, RE_NUM); break;
	case TP_FIELD_PRE: error |= tp_buf_puts(b, RE_PRE); break;
	case TP_FIELD_META: error |= tp_buf_puts(b, RE_META); break;
	case TP_FIELD_BRANCH:
		error |= tp_buf_puts(b, "[a-z0-9_][a-z0-9._-]*");
		break;
	case TP_FIELD_VALUES:
		for (i = 0; i < f->nvalues; i++) {
			if (i > 0)
				error |= tp_buf_putc(b, '|');
			error |= put_literal(b, f->values[i],
					     strlen(f->values[i]));
		}
		break;
	case TP_FIELD_PATTERN:
		/* \E closes a \Q the user left open, so it cannot eat ")" */
		error |= tp_buf_printf(b, "(?:%s\\E)", f->pattern);
		break;
	case TP_FIELD_HEX:
		if (f->hex_min == f->hex_max)
			error |= tp_buf_printf(b, "[0-9a-f]{%u}", f->hex_min);
		else
			error |= tp_buf_printf(b, "[0-9a-f]{%u,%u}", f->hex_min,
					       f->hex_max);
		break;
	case TP_FIELD_DATE: error |= tp_date_fmt_regex(b, f->date); break;
	}
	error |= tp_buf_putc(b, ')');
	if (error != 0)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	return 0;
}

static int
is_semver_part(enum tp_field_type t)
{
	return t == TP_FIELD_MAJOR || t == TP_FIELD_MINOR ||
	       t == TP_FIELD_PATCH || t == TP_FIELD_PRE || t == TP_FIELD_META;
}

int
tp_template_pattern(struct tp_buf *out, const struct tp_piece *pieces,
		    size_t npieces, int counter, struct tp_error *err)
{
	const struct tp_field *semver = NULL, *part = NULL;
	size_t i, j;
	int error;

	for (i = 0; i < npieces; i++) {
		const struct tp_field *f = pieces[i].field;

		if (f == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (pieces[j].field == f)
				return tp_error_set(err, TP_EPOLICY,
						    "field '{%s}' appears "
						    "twice in template",
						    f->name);
		if (f->type == TP_FIELD_SEMVER)
			semver = f;
		else if (is_semver_part(f->type) && part == NULL)
			part = f;
	}
	if (semver != NULL && part != NULL)
		return tp_error_set(err, TP_EPOLICY,
				    "template has both '{semver}' and '{%s}'",
				    part->name);
	for (i = 0; i < npieces; i++) {
		if (pieces[i].field != NULL)
			error = put_field(out, pieces[i].field, err);
		else if (put_literal(out, pieces[i].text, pieces[i].len) < 0)
			error = tp_error_set(err, TP_ENOMEM, "out of memory");
		else
			error = 0;
		if (error < 0)
			return error;
	}
	if (counter && tp_buf_puts(out, "(?:\\.(?<" TP_TEMPLATE_COUNTER_GROUP
					">[1-9][0-9]*))?") < 0)
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	return 0;
}

/*
 * Compiles the limits of template.h as start-of-pattern settings, then
 * `pattern`.  On a PCRE2 error returns TP_EREGEX and leaves its message
 * and the offset in `pattern` (not counting the settings) for the caller
 * to word; err is untouched then.
 */
static int
compile_raw(pcre2_code **out, const char *pattern, size_t len, uint32_t options,
	    char *msg, size_t msgsize, size_t *offset, struct tp_error *err)
{
	struct tp_buf b = TP_BUF_INIT;
	PCRE2_SIZE eoff = 0;
	int ecode = 0;
	size_t plen;
	int error;

	*out = NULL;
	error = tp_buf_printf(&b,
			      "(*LIMIT_HEAP=%d)(*LIMIT_MATCH=%d)"
			      "(*LIMIT_DEPTH=%d)",
			      TP_REGEX_LIMIT_HEAP, TP_REGEX_LIMIT_MATCH,
			      TP_REGEX_LIMIT_DEPTH);
	plen = b.len;
	if (error == 0)
		error = tp_buf_put(&b, pattern, len);
	if (error < 0) {
		tp_buf_release(&b);
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	}
	*out = pcre2_compile((PCRE2_SPTR)b.ptr, b.len, options | REGEX_OPTIONS,
			     &ecode, &eoff, NULL);
	tp_buf_release(&b);
	if (*out == NULL) {
		if (ecode == PCRE2_ERROR_NOMEMORY)
			return tp_error_set(err, TP_ENOMEM, "out of memory");
		if (pcre2_get_error_message(ecode, (PCRE2_UCHAR *)msg,
					    msgsize) < 0)
			snprintf(msg, msgsize, "PCRE2 error %d", ecode);
		*offset = eoff < plen ? 0 : eoff - plen;
		if (*offset > len)
			*offset = len;
		return TP_EREGEX;
	}
	return 0;
}

int
tp_regex_compile(pcre2_code **out, const char *pattern, uint32_t options,
		 struct tp_error *err)
{
	char msg[256];
	size_t off = 0;
	int error;

	error = compile_raw(out, pattern, strlen(pattern), options, msg,
			    sizeof(msg), &off, err);
	if (error == TP_EREGEX)
		return tp_error_set(err, TP_EREGEX,
				    "regex '%s' does not compile: %s at "
				    "offset %zu",
				    pattern, msg, off);
	return error;
}

int
tp_template_compile(pcre2_code **out, struct tp_piece *pieces, size_t npieces,
		    int counter, struct tp_error *err)
{
	struct tp_buf b = TP_BUF_INIT;
	char msg[256];
	size_t off = 0, i;
	int error, g;

	*out = NULL;
	error = tp_template_pattern(&b, pieces, npieces, counter, err);
	if (error == 0)
		error = compile_raw(out, b.ptr, b.len,
				    PCRE2_ANCHORED | PCRE2_ENDANCHORED, msg,
				    sizeof(msg), &off, err);
	tp_buf_release(&b);
	if (error == TP_EREGEX)
		return tp_error_set(err, TP_EREGEX,
				    "template does not compile: %s", msg);
	if (error < 0)
		return error;
	for (i = 0; i < npieces; i++) {
		if (pieces[i].field == NULL)
			continue;
		g = pcre2_substring_number_from_name(
			*out, (PCRE2_SPTR)pieces[i].field->name);
		if (g < 0) {
			pcre2_code_free(*out);
			*out = NULL;
			return tp_error_set(err, TP_EREGEX,
					    "template does not compile: no "
					    "group for field '{%s}'",
					    pieces[i].field->name);
		}
		pieces[i].group = (unsigned)g;
	}
	return 0;
}

pcre2_match_data *
tp_policy_match_data(const struct tp_policy *p)
{
	uint32_t n, most = 0;
	size_t i;

	for (i = 0; i < p->nkinds; i++)
		if (pcre2_pattern_info(p->kinds[i].re, PCRE2_INFO_CAPTURECOUNT,
				       &n) == 0 &&
		    n > most)
			most = n;
	return pcre2_match_data_create(most + 1, NULL);
}

int
tp_kind_match(const struct tp_kind *k, const char *tag, size_t len,
	      pcre2_match_data *md, const char *group, size_t *off,
	      size_t *glen)
{
	pcre2_match_data *own = NULL;
	PCRE2_SIZE *ov;
	int rc, g;

	if (off != NULL)
		*off = 0;
	if (glen != NULL)
		*glen = 0;
	if (md == NULL) {
		own = pcre2_match_data_create_from_pattern(k->re, NULL);
		if (own == NULL)
			return TP_ENOMEM;
		md = own;
	}
	rc = pcre2_match(k->re, (PCRE2_SPTR)tag, len, 0, 0, md, NULL);
	if (rc < 0) {
		rc = 0;
		goto done;
	}
	rc = 1;
	if (group == NULL)
		goto done;
	g = pcre2_substring_number_from_name(k->re, (PCRE2_SPTR)group);
	if (g < 0 || (uint32_t)g >= pcre2_get_ovector_count(md))
		goto done;
	ov = pcre2_get_ovector_pointer(md);
	/* an unset group is PCRE2_UNSET in both slots */
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] < ov[2 * g])
		goto done;
	if (off != NULL)
		*off = ov[2 * g];
	if (glen != NULL)
		*glen = ov[2 * g + 1] - ov[2 * g];
done:
	pcre2_match_data_free(own);
	return rc;
}

int
tp_kind_render(struct tp_buf *out, const struct tp_kind *k, const char *value,
	       size_t len, const char *counter, struct tp_error *err)
{
	const struct tp_field *f, *vf = NULL;
	size_t i, start = out->len;
	int error = 0;

	for (i = 0; i < k->npieces && vf == NULL; i++)
		if (k->pieces[i].field != NULL &&
		    k->pieces[i].field->type == TP_FIELD_SEMVER)
			vf = k->pieces[i].field;
	for (i = 0; i < k->npieces && vf == NULL; i++)
		if (k->pieces[i].field != NULL &&
		    k->pieces[i].field->type == TP_FIELD_DATE)
			vf = k->pieces[i].field;
	if (vf == NULL)
		return tp_error_set(err, TP_EINVAL,
				    "kind '%s' has no version field", k->name);
	for (i = 0; i < k->npieces; i++) {
		f = k->pieces[i].field;
		if (f != NULL && f != vf) {
			tp_buf_truncate(out, start);
			return tp_error_set(err, TP_EINVAL,
					    "kind '%s' has a field '{%s}' that "
					    "cannot be filled in",
					    k->name, f->name);
		}
		if (f == NULL)
			error = tp_buf_put(out, k->pieces[i].text,
					   k->pieces[i].len);
		else
			error = tp_buf_put(out, value, len);
		if (error < 0)
			break;
	}
	if (error == 0 && counter != NULL)
		error = tp_buf_printf(out, ".%s", counter);
	if (error < 0) {
		tp_buf_truncate(out, start);
		return tp_error_set(err, TP_ENOMEM, "out of memory");
	}
	return 0;
}

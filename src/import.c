/* app: `metric ID --csv FILE`. Lines "time,name,value" (RFC 4180, an
 * optional header line, an optional UTF-8 byte-order mark) become one
 * metric entry per distinct time, each through the one action path
 * (txn_act) inside one transaction: all or nothing. Every line is parsed
 * before anything is written; a problem names FILE:LINE. */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"

#define CSV_MAX_FILE (512L * 1024 * 1024) /* bytes read at most */

#define fail_usage(out, ...) app_fail((out), SITREP_EXIT_USAGE, __VA_ARGS__)

struct csv_row {
	int64_t t;
	char *name;
	double value;
	int line;
};

static int csv_cmp(const void *x, const void *y)
{
	const struct csv_row *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->line - b->line; /* stable: file order within one time */
}

/* Split one record starting at *pp; advances past its line end. Fields
 * appended to f (owned). Returns 0, or -1 on a bad quote. */
static int csv_record(const char **pp, const char *end, char ***f, size_t *nf, size_t *af,
		      int *lines)
{
	const char *p = *pp;
	struct strbuf cur = STRBUF_INIT;
	sb_init(&cur);
	for (;;) {
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end) {
					sb_release(&cur);
					return -1;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						sb_addc(&cur, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (*p == '\n')
					(*lines)++;
				sb_addc(&cur, *p++);
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				sb_release(&cur);
				return -1;
			}
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r')
				sb_addc(&cur, *p++);
		}
		*f = xgrow(*f, sizeof(**f), *nf + 1, af);
		(*f)[(*nf)++] = xstrdup(cur.buf);
		sb_reset(&cur);
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		break;
	}
	sb_release(&cur);
	*pp = p;
	return 0;
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static int read_all(const char *path, struct strbuf *data, struct app_outcome *out)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char buf[65536];
	size_t n;
	if (!fp) {
		err_set(&out->err, SITREP_EXIT_USAGE, NULL, 0, 0, _("cannot open '%s': %s"), path,
			strerror(errno));
		return out->code = SITREP_EXIT_USAGE;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sb_add(data, buf, n);
		if (data->len > (size_t)CSV_MAX_FILE)
			break;
	}
	if (ferror(fp) || data->len > (size_t)CSV_MAX_FILE) {
		err_set(&out->err, SITREP_EXIT_USAGE, NULL, 0, 0,
			data->len > (size_t)CSV_MAX_FILE ? _("'%s' is larger than 512 MiB")
							 : _("cannot read '%s'"), path);
		if (fp != stdin)
			fclose(fp);
		return out->code = SITREP_EXIT_USAGE;
	}
	if (fp != stdin)
		fclose(fp);
	return 0;
}

/* Parse every line first: a bad one writes nothing. */
static int parse_rows(const char *shown, const struct strbuf *data, int64_t now,
		      struct csv_row **rows, size_t *nrows, struct app_outcome *out)
{
	const char *p = data->buf, *end = data->buf + data->len;
	size_t arows = 0;
	int line = 1, code = 0;

	if (data->len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3; /* a UTF-8 byte-order mark (spreadsheets write one) */
	if (memchr(p, '\0', (size_t)(end - p))) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		int at = 1;
		for (const char *q = p; q < z; q++)
			at += *q == '\n';
		return fail_usage(out, "%s:%d: %s", shown, at, _("a NUL byte: not a text file"));
	}
	while (p < end && !code) {
		char **f = NULL;
		size_t nf = 0, af = 0;
		int start = line, extra = 0;
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			p += *p == '\r' ? 2 : 1;
			line++;
			continue;
		}
		if (csv_record(&p, end, &f, &nf, &af, &extra) < 0) {
			code = fail_usage(out, "%s:%d: %s", shown, start, _("unterminated or misplaced quote"));
		} else if (nf == 1 && !*trim(f[0])) {
			/* a blank line */
		} else if (nf != 3) {
			code = fail_usage(out, _("%s:%d: expected 3 fields (time,name,value), got %zu"), shown,
					  start, nf);
		} else {
			char *ts = trim(f[0]), *name = trim(f[1]), *val = trim(f[2]);
			int64_t t;
			double v;
			if (*nrows == 0 && start == 1 && strcmp(ts, "time") == 0) {
				/* the header */
			} else if (time_parse(ts, now, &t) < 0) {
				code = fail_usage(out, _("%s:%d: '%s' is not a time (ISO 8601 expected)"), shown,
						  start, ts);
			} else if (!*name) {
				code = fail_usage(out, _("%s:%d: empty metric name"), shown, start);
			} else if (app_parse_reading(val, &v) < 0) {
				code = fail_usage(out, _("%s:%d: '%s' for '%s' is not a number (a decimal like "
							 "12 or 3.5 expected)"), shown, start, val, name);
			} else if (t > now) {
				code = fail_usage(out, _("%s:%d: time '%s' is in the future"), shown, start, ts);
			} else {
				*rows = xgrow(*rows, sizeof(**rows), *nrows + 1, &arows);
				(*rows)[*nrows].t = t;
				(*rows)[*nrows].name = xstrdup(name);
				(*rows)[*nrows].value = v;
				(*rows)[*nrows].line = start;
				(*nrows)++;
			}
		}
		line = start + 1 + extra;
		for (size_t k = 0; k < nf; k++)
			free(f[k]);
		free(f);
	}
	if (!code && *nrows == 0)
		code = fail_usage(out, _("%s: no readings"), shown);
	return code;
}

int app_import_csv(struct app *a, int64_t incident, const char *path, const char *role,
		   struct app_outcome *out)
{
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct strbuf data = STRBUF_INIT;
	struct csv_row *rows = NULL;
	size_t nrows = 0, nentries = 0;
	struct txn t;
	struct engine_result res;
	struct app_request refused;
	int code;

	out->code = 0;
	out->incident = incident;
	err_release(&out->err);
	sb_init(&data);
	if ((code = read_all(path, &data, out)) == 0)
		code = parse_rows(shown, &data, app_now(a), &rows, &nrows, out);
	sb_release(&data);
	if (code)
		goto done;
	qsort(rows, nrows, sizeof(*rows), csv_cmp);
	for (size_t i = 1; i < nrows; i++)
		for (size_t k = i; k > 0 && rows[k - 1].t == rows[i].t; k--)
			if (!strcmp(rows[k - 1].name, rows[i].name)) {
				code = fail_usage(out, _("%s:%d: a second reading of '%s' at the same time "
							 "(line %d)"), shown, rows[i].line, rows[i].name,
						  rows[k - 1].line);
				goto done;
			}

	memset(&t, 0, sizeof(t));
	if ((code = txn_begin(a, incident, &t, out)) != 0) {
		txn_end(&t);
		goto done;
	}
	t.batch = 1; /* a refusal rolls the whole import back */
	for (size_t i = 0; i < nrows && !code; i++)
		if (plan_metric_index(t.p, rows[i].name) < 0)
			code = fail_usage(out, _("%s:%d: plan '%s' has no metric '%s'"), shown, rows[i].line,
					  t.p->id, rows[i].name);
	engine_result_init(&res);
	memset(&refused, 0, sizeof(refused));
	for (size_t i = 0; i < nrows && !code;) {
		const char *names[64];
		double values[64];
		size_t j = i, n = 0;
		while (j < nrows && rows[j].t == rows[i].t && n < 64) {
			names[n] = rows[j].name;
			values[n++] = rows[j].value;
			j++;
		}
		memset(&refused, 0, sizeof(refused));
		refused.kind = ACT_METRIC;
		refused.incident = incident;
		refused.role = role;
		refused.metric_names = names;
		refused.metric_values = values;
		refused.nmetrics = n;
		engine_result_reset(&res);
		code = txn_act(&t, &refused, NULL, NULL, rows[i].t, &res, out);
		if (code == SITREP_EXIT_REFUSED) {
			/* all or nothing: undo the import, then journal the refusal alone */
			int64_t at = rows[i].t;
			txn_end(&t);
			if (txn_begin(a, incident, &t, out) == 0) {
				/* the message says which line; the rule stays */
				struct strbuf m = STRBUF_INIT;
				sb_init(&m);
				sb_addf(&m, "%s:%d: %s", shown, rows[i].line, res.err.msg ? res.err.msg : "");
				free(res.err.msg);
				res.err.msg = sb_detach(&m);
				if (res.shown) {
					sb_init(&m);
					sb_addf(&m, "%s:%d: %s", shown, rows[i].line, res.shown);
					free(res.shown);
					res.shown = sb_detach(&m);
				}
				refused.metric_names = NULL;
				refused.metric_values = NULL;
				refused.nmetrics = 0;
				txn_refusal(&t, &refused, at, &res, out);
			}
			code = SITREP_EXIT_REFUSED;
			break;
		}
		if (code == SITREP_EXIT_USAGE) {
			struct strbuf m = STRBUF_INIT;
			sb_init(&m);
			sb_addf(&m, "%s:%d: %s", shown, rows[i].line, out->err.msg ? out->err.msg : "");
			free(out->err.msg);
			out->err.msg = sb_detach(&m);
		}
		nentries++;
		i = j;
	}
	if (code == 0 && (code = txn_commit(&t, out)) == 0) {
		struct strbuf m = STRBUF_INIT;
		sb_init(&m);
		sb_addf(&m, _("imported %zu readings in %zu entries"), nrows, nentries);
		free(out->message);
		out->message = sb_detach(&m);
	}
	engine_result_release(&res);
	txn_end(&t);
done:
	for (size_t i = 0; i < nrows; i++)
		free(rows[i].name);
	free(rows);
	return out->code = code;
}

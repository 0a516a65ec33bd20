/* report: times, durations and JSON shared by every renderer (see
 * report_int.h). One duration style, one JSON writer. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

void rp_flush(FILE *out, struct strbuf *sb)
{
	if (sb->len)
		fwrite(sb->buf, 1, sb->len, out);
	sb_reset(sb);
}

/* ---- times and durations ---- */

char *rp_utc(int64_t t, char *buf)
{
	if (!t) {
		snprintf(buf, RP_TBUF, "-");
		return buf;
	}
	return time_format_utc(t, buf, RP_TBUF);
}

char *rp_local(int64_t t, char *buf)
{
	if (!t) {
		snprintf(buf, RP_TBUF, "-");
		return buf;
	}
	return time_format_local(t, buf, RP_TBUF);
}

char *rp_clock(int64_t secs, char *buf)
{
	if (secs < 0) {
		snprintf(buf, RP_TBUF, "%s", _("n/a"));
		return buf;
	}
	return dur_clock(secs, buf, RP_TBUF);
}

char *rp_tplus(int64_t d, char *buf)
{
	char c[RP_TBUF - 8];
	/* dur_clock signs negative spans (INT64_MIN too); the sign goes after the T */
	dur_clock(d, c, sizeof c);
	if (c[0] == '-')
		snprintf(buf, RP_TBUF, "T-%s", c + 1);
	else
		snprintf(buf, RP_TBUF, "T+%s", c);
	return buf;
}

char *rp_param(int64_t secs, char *buf)
{
	return dur_format(secs, buf, RP_TBUF);
}

char *rp_countdown(int64_t due, int64_t at, char *buf)
{
	char c[RP_TBUF - 16];
	if (!due) {
		snprintf(buf, RP_TBUF, "-");
		return buf;
	}
	if (due >= at)
		snprintf(buf, RP_TBUF, _("in %s"), dur_clock(due - at, c, sizeof c));
	else
		snprintf(buf, RP_TBUF, _("LATE %s"), dur_clock(at - due, c, sizeof c));
	return buf;
}

/* ---- JSON values ---- */

json_t *rp_jstr(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *j;
	size_t i = 0, n;
	if (!s)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	/* not UTF-8 (jansson refuses it): every bad byte becomes U+FFFD */
	sb_init(&sb);
	n = strlen(s);
	while (i < n) {
		uint32_t cp;
		int len = tx_decode(s + i, n - i, &cp);
		if (!len) {
			sb_adds(&sb, "\xef\xbf\xbd");
			i++;
		} else {
			sb_add(&sb, s + i, (size_t)len);
			i += (size_t)len;
		}
	}
	j = json_stringn(sb.buf, sb.len);
	sb_release(&sb);
	return j ? j : json_null();
}

json_t *rp_jstr_nz(const char *s)
{
	return s && *s ? rp_jstr(s) : json_null();
}

json_t *rp_jtime(int64_t t)
{
	char b[RP_TBUF];
	return t ? json_string(time_format_utc(t, b, sizeof b)) : json_null();
}

json_t *rp_jnum(double v)
{
	json_t *j;
	if (!isfinite(v))
		return json_null();
	/* 130 reads as 130, not 130.0; beyond 2^53 a double is no exact integer
	 * (and no libm: the comparison through int64_t is the floor test) */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v)
		return json_integer((json_int_t)v);
	j = json_real(v);
	return j ? j : json_null();
}

json_t *rp_jint(int64_t v)
{
	return json_integer((json_int_t)v);
}

json_t *rp_jdur(int64_t secs)
{
	return secs < 0 ? json_null() : json_integer((json_int_t)secs);
}

json_t *rp_jbool(int v)
{
	return json_boolean(v);
}

/* ---- the JSON writer ---- */

void rp_json_add(struct strbuf *out, const json_t *j)
{
	const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15);
	char small[4096], *raw = small;
	size_t len = json_dumpb(j, small, sizeof small, flags);
	if (len > sizeof small) {
		raw = xmalloc(len);
		len = json_dumpb(j, raw, len, flags);
	}
	rp_json_raw(out, raw, len);
	if (raw != small)
		free(raw);
}

void rp_json_raw(struct strbuf *out, const char *raw, size_t len)
{
	size_t i = 0;
	/* jansson escapes C0 controls but writes DEL, C1 controls and bidi
	 * overrides raw; they only occur inside strings (the rest is ASCII
	 * punctuation), where \uXXXX means the same character */
	while (i < len) {
		uint32_t cp;
		size_t run = i;
		int n;
		while (run < len && (unsigned char)raw[run] < 0x7f)
			run++;
		if (run > i) { /* plain ASCII: as it is */
			sb_add(out, raw + i, run - i);
			i = run;
			continue;
		}
		n = tx_decode(raw + i, len - i, &cp);
		if (n <= 0) {
			sb_addc(out, raw[i++]);
			continue;
		}
		if ((cp >= 0x7f && tx_is_unsafe(cp)) || cp == 0x2028 || cp == 0x2029)
			sb_addf(out, "\\u%04" PRIx32, cp);
		else
			sb_add(out, raw + i, (size_t)n);
		i += (size_t)n;
	}
}

void rp_json_write(FILE *out, json_t *j, int nl)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	rp_json_add(&sb, j);
	if (nl)
		sb_addc(&sb, '\n');
	rp_flush(out, &sb);
	sb_release(&sb);
	json_decref(j);
}

/* ---- shared pieces ---- */

void rp_pad(struct strbuf *out, const char *s, int cols)
{
	int w = tx_width(s);
	tx_escape(out, s, 0);
	for (; w < cols; w++)
		sb_addc(out, ' ');
}

const char *rp_e(struct strbuf *tmp, const char *s)
{
	sb_reset(tmp);
	tx_escape(tmp, s, 0);
	return tmp->buf;
}

void rp_cell(struct strbuf *out, const char *s, int cols)
{
	tx_fit(out, s, cols);
	sb_addc(out, ' ');
}

void rp_title_line(struct strbuf *sb, const struct view_incident *v, const char *what)
{
	if (what) {
		tx_escape(sb, what, 0);
		sb_adds(sb, "  ");
	}
	sb_addf(sb, _("incident %" PRId64 ": "), v->id);
	tx_escape(sb, v->title, 0);
	if (v->drill) {
		sb_adds(sb, "  ");
		sb_adds(sb, _("[DRILL]"));
	}
	sb_addc(sb, '\n');
}

void rp_indented(struct strbuf *out, const char *s, const char *indent)
{
	struct strbuf tmp = STRBUF_INIT;
	sb_init(&tmp);
	tx_escape(&tmp, s, TX_KEEP_NL);
	for (const char *p = tmp.buf; *p; p++) {
		sb_addc(out, *p);
		if (*p == '\n' && p[1])
			sb_adds(out, indent);
	}
	sb_release(&tmp);
}

void rp_state(struct strbuf *out, const struct view_incident *v)
{
	sb_adds(out, phase_text(v->phase));
	if (v->phase == PHASE_RESPONSE && v->level.id)
		sb_addf(out, _(", level %s"), v->level.id);
	if (v->warning)
		sb_addf(out, _(", %s warning"), v->warning);
}

void rp_who(struct strbuf *out, const struct view_deadline *d)
{
	if (d->person && *d->person)
		sb_adds(out, d->person_name && *d->person_name ? d->person_name : d->person);
	else if (d->owner)
		sb_addf(out, _("role %s (nobody named)"), d->owner_name ? d->owner_name : d->owner);
	else
		sb_adds(out, "-");
}

int rp_level_index(const struct view_incident *v, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < v->nlevels; i++)
		if (v->levels[i].id && !strcmp(v->levels[i].id, id))
			return v->levels[i].index >= 0 ? v->levels[i].index : (int)i;
	return -1;
}

const char *rp_level_id(const struct view_incident *v, int i)
{
	return i >= 0 && (size_t)i < v->nlevels ? v->levels[i].id : NULL;
}

const char *rp_warning_id(const struct view_incident *v, int i)
{
	return i >= 0 && (size_t)i < v->nwarnings ? v->warnings[i].id : NULL;
}

const char *rp_outcome_text(int o)
{
	static const char *const text[] = {
#define X(id, name, words) words,
		SITREP_OUTCOMES(X)
#undef X
	};
	return o >= 0 && o < OUT__COUNT ? _(text[o]) : "?";
}

/* ---- the figures ---- */

#define FIG(key, label, kind, field) { key, label, kind, offsetof(struct view_figures, field) }
const struct rp_figure rp_figures[] = {
	FIG("to_ack",         N_("time to acknowledge"),              RPF_DUR, to_ack),
	FIG("to_first_level", N_("time to the first response level"), RPF_DUR, to_first_level),
	FIG("to_mitigation",  N_("time to mitigation"),               RPF_DUR, to_mitigation),
	FIG("to_termination", N_("time to termination"),              RPF_DUR, to_termination),
	FIG("escalations",    N_("escalations"),                      RPF_INT, escalations),
	FIG("downgrades",     N_("downgrades"),                       RPF_INT, downgrades),
	FIG("kept",           N_("deadlines kept"),                   RPF_INT, kept),
	FIG("late",           N_("deadlines met late"),               RPF_INT, late),
	FIG("missed",         N_("deadlines missed"),                 RPF_INT, missed),
	FIG("open",           N_("deadlines open, not yet due"),      RPF_INT, open),
	FIG("refusals",       N_("refusals"),                         RPF_INT, refusals),
	FIG("corrections",    N_("corrected readings"),               RPF_INT, corrections),
};
#undef FIG
const size_t rp_nfigures = sizeof(rp_figures) / sizeof(rp_figures[0]);

int64_t rp_figure_value(const struct view_figures *f, const struct rp_figure *d)
{
	const char *p = (const char *)f + d->off;
	if (d->kind == RPF_DUR)
		return *(const int64_t *)(const void *)p;
	return *(const int *)(const void *)p;
}

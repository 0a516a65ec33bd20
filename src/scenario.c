/* scenario: scripted plan scenarios (sitrep simulate) and the demo database
 * (sitrep demo). A scenario drives `app` exactly as a user would, one step
 * per line; the format is specified in docs/review.md.
 *
 * The clock. Scenario times are relative to a start (2026-01-01T00:00:00Z
 * unless a `start` line says otherwise). Every action is journaled with
 * app_request.at = the step's time; because app refuses an `at` later than
 * app_now(), the runner fixes the app's clock at the step's time
 * (app_set_now) while it runs, and hands it back afterwards. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/report.h"
#include "sitrep/scenario.h"

#define SCN_START 1767225600 /* 2026-01-01T00:00:00Z */
#define MAX_TOK 64

/* A line split into words: shell-like quotes ("..." or '...'), each word
 * remembers where it started so that "the rest of the line" is available. */
struct words {
	char *w[MAX_TOK];
	const char *at[MAX_TOK];  /* start of the word in the raw line */
	size_t n;
	char *store;              /* owned: the words, NUL-separated */
};

static int split(const char *line, struct words *ws)
{
	const char *p = line;
	char *q;
	ws->n = 0;
	ws->store = xmalloc(strlen(line) + MAX_TOK + 1);
	q = ws->store;
	for (;;) {
		char quote = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n' || *p == '\r')
			break;
		if (ws->n == MAX_TOK)
			return -1;
		ws->at[ws->n] = p;
		ws->w[ws->n++] = q;
		while (*p && *p != '\n' && *p != '\r' && (quote || (*p != ' ' && *p != '\t'))) {
			if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p++;
				continue;
			}
			if (quote && *p == quote) {
				quote = 0;
				p++;
				continue;
			}
			*q++ = *p++;
		}
		*q++ = 0;
		if (quote)
			return -1;
	}
	return 0;
}

static void words_release(struct words *ws)
{
	free(ws->store);
	ws->store = NULL;
	ws->n = 0;
}

/* The rest of the line from word i, unquoted when it is a single quoted word. */
static char *rest_from(const struct words *ws, size_t i)
{
	const char *s, *e;
	size_t len;
	if (i >= ws->n)
		return NULL;
	if (i + 1 == ws->n)
		return xstrdup(ws->w[i]);
	s = ws->at[i];
	len = strcspn(s, "\r\n");
	e = s + len;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return xstrndup(s, (size_t)(e - s));
}

/* A background feed: `every DUR until +T STEP...` */
struct feed {
	int64_t next, every, until;
	char *step;       /* the step's text */
	int line;
};

struct run {
	struct app *a;
	const char *plan;
	const char *path;     /* for messages */
	int64_t start;
	int64_t t;            /* the current step's time */
	int64_t id;           /* the incident, 0 before open */
	size_t printed;       /* history items already printed */
	int line;
	int quiet;            /* demo: print less */
	struct strbuf *out;
	struct sitrep_error *err;
	struct feed *feeds; size_t nfeeds, afeeds;
};

static char *tplus(int64_t d, char *buf, size_t n)
{
	snprintf(buf, n, "T+%02" PRId64 ":%02" PRId64, d / 3600, d % 3600 / 60);
	return buf;
}

/* Print the history items that appeared since the last call: every entry
 * and derived transition that changed something (readings without effects
 * are left out: a feed would drown the output). */
struct print_ctx {
	struct run *r;
	size_t index;
};

static int print_item(const struct app_item *it, const struct engine_state *st, void *vctx)
{
	struct print_ctx *c = vctx;
	struct run *r = c->r;
	char b[32];
	size_t k;
	(void)st;
	if (c->index++ < r->printed)
		return 0;
	r->printed = c->index;
	if (r->quiet)
		return 0;
	if (!strcmp(it->kind, "metric") && !it->neffects && !it->refused)
		return 0;
	if (!strcmp(it->kind, "export"))
		return 0;
	sb_addf(r->out, "  %s  ", tplus(it->occurred_at - r->start, b, sizeof(b)));
	sb_add_padded(r->out, it->refused ? "REFUSED" : it->kind, 11);
	sb_adds(r->out, " ");
	sb_add_escaped(r->out, it->summary);
	sb_addc(r->out, '\n');
	for (k = 0; k < it->neffects; k++) {
		if (!strcmp(it->effects[k].text, it->summary))
			continue;
		sb_adds(r->out, "                          -> ");
		sb_add_escaped(r->out, it->effects[k].text);
		sb_addc(r->out, '\n');
	}
	return 0;
}

static int print_new(struct run *r, int64_t upto)
{
	struct print_ctx c = { r, 0 };
	struct sitrep_error e = SITREP_ERROR_INIT;
	int code;
	if (!r->id)
		return 0;
	code = app_history(r->a, r->id, upto, print_item, &c, &e);
	if (code) {
		err_set(r->err, code, r->path, r->line, 1, "%s", e.msg ? e.msg : "cannot read the history");
		err_release(&e);
	}
	return code;
}

static int usage(struct run *r, const char *fmt, const char *arg)
{
	char msg[512];
	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	err_set(r->err, SITREP_EXIT_USAGE, r->path, r->line, 1, "%s", msg);
	return SITREP_EXIT_USAGE;
}

/* An unmet expectation: exit 1 with the file and line. */
static int unmet(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int unmet(struct run *r, const char *fmt, ...)
{
	va_list ap;
	sb_addf(r->out, "FAIL %s:%d: ", r->path, r->line);
	va_start(ap, fmt);
	sb_vaddf(r->out, fmt, ap);
	va_end(ap);
	sb_addc(r->out, '\n');
	err_set(r->err, SITREP_EXIT_REFUSED, r->path, r->line, 1, "expectation not met");
	return SITREP_EXIT_REFUSED;
}

/* Options of an action line: --to, --reason (rest of the line), --note (rest),
 * --as, --drill, and for assess --DIM VALUE per matrix dimension. */
struct opts {
	const char *to, *as;
	char *reason;               /* owned */
	const char *dims[4], *vals[4];
	size_t ndims;
	int drill;
	size_t first_pos, npos;     /* positional words (after the verb) */
	size_t pos[MAX_TOK];
};

static int parse_opts(struct run *r, const struct words *ws, size_t from, struct opts *o)
{
	size_t i;
	memset(o, 0, sizeof(*o));
	for (i = from; i < ws->n; i++) {
		const char *w = ws->w[i];
		if (!strcmp(w, "--reason") || !strcmp(w, "--note") || !strcmp(w, "--text")) {
			if (i + 1 >= ws->n)
				return usage(r, "'%s' needs a text", w);
			o->reason = rest_from(ws, i + 1);
			return 0;
		} else if (!strcmp(w, "--to") || !strcmp(w, "--as")) {
			if (i + 1 >= ws->n)
				return usage(r, "'%s' needs a value", w);
			if (w[2] == 't')
				o->to = ws->w[++i];
			else
				o->as = ws->w[++i];
		} else if (!strcmp(w, "--drill")) {
			o->drill = 1;
		} else if (!strncmp(w, "--", 2) && w[2] && i + 1 < ws->n &&
			   !strcmp(ws->w[from > 0 ? from - 1 : 0], "assess")) {
			/* assess: --DIM VALUE for each dimension of the plan's
			 * matrix (app checks them against the plan) */
			if (o->ndims == 4)
				return usage(r, "%s: a plan's matrix has at most 4 dimensions", w);
			o->dims[o->ndims] = w + 2;
			o->vals[o->ndims++] = ws->w[++i];
		} else if (!strncmp(w, "--", 2)) {
			return usage(r, "unknown option '%s'", w);
		} else {
			o->pos[o->npos++] = i;
		}
	}
	return 0;
}

/* Carry out one action line (words from `from`). expect_refused: the action
 * must be refused (rule, when non-NULL, must match). */
static int do_action(struct run *r, const struct words *ws, size_t from, int expect_refused,
		     const char *rule)
{
	struct app_request rq;
	struct app_outcome out;
	struct opts o;
	const char *verb = ws->w[from];
	char *text = NULL;
	const char **names = NULL;
	double *values = NULL;
	int code, kind;
	size_t i;

	if ((code = parse_opts(r, ws, from + 1, &o)) != 0)
		return code;
	memset(&rq, 0, sizeof(rq));
	app_outcome_init(&out);
	rq.incident = r->id;
	rq.at = r->t;
	rq.role = o.as;
	rq.text = o.reason;
	app_set_now(r->a, r->t);

	if (!strcmp(verb, "accept")) {
		if (!r->id) {
			code = usage(r, "'accept' before 'open'%s", NULL);
			goto done;
		}
		text = o.npos ? rest_from(ws, o.pos[0]) : NULL;
		code = app_accept_proposal(r->a, r->id, text ? text : o.reason, &out);
		goto outcome;
	}
	kind = plan_action_lookup(verb);
	if (kind < 0) {
		code = usage(r, "unknown step '%s'", verb);
		goto done;
	}
	rq.kind = (enum plan_action)kind;
	if (kind != ACT_OPEN && !r->id) {
		code = usage(r, "'%s' before 'open'", verb);
		goto done;
	}
	switch (kind) {
	case ACT_OPEN:
		if (r->id) {
			code = usage(r, "one incident per scenario: a second 'open'%s", NULL);
			goto done;
		}
		rq.plan = r->plan;
		rq.drill = o.drill;
		text = o.npos ? rest_from(ws, o.pos[0]) : NULL;
		rq.text = text;
		break;
	case ACT_LOG:
		text = o.npos ? rest_from(ws, o.pos[0]) : NULL;
		rq.text = text ? text : o.reason;
		break;
	case ACT_NOTE_REVIEW:
		if (!o.npos) {
			code = usage(r, "note-review needs a SECTION and a TEXT%s", NULL);
			goto done;
		}
		rq.target = ws->w[o.pos[0]];
		text = o.npos > 1 ? rest_from(ws, o.pos[1]) : NULL;
		rq.text = text;
		break;
	case ACT_METRIC:
		names = xcalloc(o.npos + 1, sizeof(*names));
		values = xcalloc(o.npos + 1, sizeof(*values));
		for (i = 0; i < o.npos; i++) {
			char *w = ws->w[o.pos[i]], *eq = strchr(w, '=');
			if (!eq || eq == w) {
				code = usage(r, "a reading is NAME=VALUE, not '%s'", w);
				goto done;
			}
			*eq = 0;
			names[i] = w;
			if (app_parse_reading(eq + 1, &values[i]) < 0) {
				*eq = '=';
				code = usage(r, "a reading is NAME=VALUE, not '%s'", w);
				goto done;
			}
		}
		rq.metric_names = names;
		rq.metric_values = values;
		rq.nmetrics = o.npos;
		break;
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
		rq.target = o.to;
		break;
	case ACT_ASSESS:
		for (i = 0; i < o.ndims; i++) {
			rq.assess_dims[i] = o.dims[i];
			rq.assess_values[i] = o.vals[i];
		}
		rq.nassess = o.ndims;
		break;
	case ACT_WARN:
	case ACT_ATTEST:
	case ACT_DONE:
	case ACT_HANDOVER:
		if (!o.npos) {
			code = usage(r, "'%s' needs an argument", verb);
			goto done;
		}
		rq.target = ws->w[o.pos[0]];
		break;
	default:
		break;
	}
	code = app_act(r->a, &rq, &out);
	if (kind == ACT_OPEN && code == 0)
		r->id = out.incident;
outcome:
	if (expect_refused) {
		if (code == SITREP_EXIT_REFUSED) {
			const char *got = out.result.rule;
			if (rule && strcmp(rule, got)) {
				code = unmet(r, "'%s' was refused by rule '%s', expected rule '%s'", verb,
					     got, rule);
				goto done;
			}
			code = print_new(r, r->t);
			if (!code && !r->quiet)
				sb_addf(r->out, "  ok: '%s' refused as expected (rule %s)\n", verb,
					out.result.rule);
		} else if (code == 0) {
			code = unmet(r, "expected '%s' to be refused, but it was done: %s", verb,
				     out.message);
		} else {
			err_set(r->err, code, r->path, r->line, 1, "%s", out.message);
		}
		goto done;
	}
	if (code == SITREP_EXIT_REFUSED) {
		print_new(r, r->t);
		code = unmet(r, "'%s' was refused: %s", verb, out.message);
	} else if (code) {
		err_set(r->err, code, r->path, r->line, 1, "%s", out.message);
	} else {
		code = print_new(r, r->t);
	}
done:
	app_outcome_release(&out);
	free(o.reason);
	free(text);
	free(names);
	free(values);
	return code;
}

static int is_none(const char *v)
{
	return !strcmp(v, "none") || !strcmp(v, "-");
}

/* One `expect KEY=VALUE` against the state at the step's time. */
static int check(struct run *r, const struct app_incident *inc, const char *kv)
{
	const struct plan *p = inc->plan;
	const struct engine_state *st = &inc->st;
	const char *eq = strchr(kv, '=');
	char key[64];
	const char *v;
	size_t i;
	int idx;
	if (!eq || (size_t)(eq - kv) >= sizeof(key))
		return usage(r, "an expectation is KEY=VALUE, not '%s'", kv);
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = 0;
	v = eq + 1;
	if (!strcmp(key, "state")) {
		if (strcmp(engine_phase_name(st->phase), v))
			return unmet(r, "expected state=%s, got %s", v, engine_phase_name(st->phase));
	} else if (!strcmp(key, "level")) {
		const char *got = st->level >= 0 ? p->levels[st->level].id : "none";
		if (!is_none(v) && plan_level_index(p, v) < 0)
			return usage(r, "no level '%s' in the plan", v);
		if (is_none(v) ? st->level >= 0 : strcmp(got, v))
			return unmet(r, "expected level=%s, got %s", v, got);
	} else if (!strcmp(key, "warning")) {
		const char *got = st->warning >= 0 ? p->warnings[st->warning].id : "none";
		if (!is_none(v) && plan_warning_index(p, v) < 0)
			return usage(r, "no warning '%s' in the plan", v);
		if (is_none(v) ? st->warning >= 0 : strcmp(got, v))
			return unmet(r, "expected warning=%s, got %s", v, got);
	} else if (!strcmp(key, "peak")) {
		const char *got = st->peak_level >= 0 ? p->levels[st->peak_level].id : "none";
		if (strcmp(got, v))
			return unmet(r, "expected peak=%s, got %s", v, got);
	} else if (!strcmp(key, "drill")) {
		int want = !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1");
		if (!st->drill != !want)
			return unmet(r, "expected drill=%s, got %s", v, st->drill ? "yes" : "no");
	} else if (!strcmp(key, "proposal")) {
		if (is_none(v)) {
			if (st->nproposals)
				return unmet(r, "expected no pending proposal, got level %s (rule %s)",
					     p->levels[st->proposals[0].level].id, st->proposals[0].rule);
		} else {
			if (plan_level_index(p, v) < 0)
				return usage(r, "no level '%s' in the plan", v);
			for (i = 0; i < st->nproposals; i++)
				if (!strcmp(p->levels[st->proposals[i].level].id, v))
					break;
			if (i == st->nproposals)
				return unmet(r, "expected a pending proposal for level %s, got %s", v,
					     st->nproposals ? p->levels[st->proposals[0].level].id : "none");
		}
	} else if (!strcmp(key, "open") || !strcmp(key, "overdue") || !strcmp(key, "closed")) {
		int want_open = strcmp(key, "closed") != 0, found = 0;
		if (strcmp(v, "warning_cap") && plan_obligation_index(p, v) < 0)
			return usage(r, "no obligation '%s' in the plan", v);
		for (i = 0; i < st->nobls; i++) {
			const struct engine_obligation *o = &st->obls[i];
			if (strcmp(engine_obligation_id(p, o), v))
				continue;
			if (!strcmp(key, "open") && o->status == OBL_OPEN)
				found = 1;
			if (!strcmp(key, "overdue") && o->status == OBL_OPEN && engine_obligation_overdue(st, o))
				found = 1;
			if (!strcmp(key, "closed") && o->status == OBL_OPEN)
				found = -1;
			if (!strcmp(key, "closed") && found == 0 && o->status != OBL_OPEN)
				found = 1;
		}
		if (!want_open && found == -1)
			found = 0;
		if (found != 1)
			return unmet(r, "expected obligation %s to be %s", v,
				     !strcmp(key, "closed") ? "closed (done or cancelled)" : key);
	} else if (!strcmp(key, "met") || !strcmp(key, "unmet")) {
		int want = !strcmp(key, "met");
		idx = plan_criterion_index(p, v);
		if (idx < 0)
			return usage(r, "no criterion '%s' in the plan", v);
		if (!engine_criterion_met(st, p, idx) != !want)
			return unmet(r, "expected criterion %s to be %s", v, key);
	} else {
		return usage(r, "unknown expectation '%s' (state, level, warning, peak, drill, "
			     "proposal, open, overdue, closed, met, unmet)", key);
	}
	return 0;
}

static int do_expect(struct run *r, const struct words *ws, size_t from)
{
	struct app_incident inc;
	struct sitrep_error e = SITREP_ERROR_INIT;
	size_t i;
	int code;
	if (from >= ws->n)
		return usage(r, "'expect' needs something to check%s", NULL);
	if (!strcmp(ws->w[from], "refused") || !strncmp(ws->w[from], "refused:", 8)) {
		const char *rule = ws->w[from][7] == ':' ? ws->w[from] + 8 : NULL;
		if (from + 1 >= ws->n)
			return usage(r, "'expect refused' needs an action%s", NULL);
		return do_action(r, ws, from + 1, 1, rule);
	}
	if (!r->id)
		return usage(r, "'expect' before 'open'%s", NULL);
	app_set_now(r->a, r->t);
	code = print_new(r, r->t);
	if (code)
		return code;
	code = app_incident_load(r->a, r->id, r->t, &inc, &e);
	if (code) {
		err_set(r->err, code, r->path, r->line, 1, "%s", e.msg ? e.msg : "cannot load the incident");
		err_release(&e);
		return code;
	}
	for (i = from; i < ws->n && !code; i++)
		code = check(r, &inc, ws->w[i]);
	app_incident_release(&inc);
	if (!code && !r->quiet) {
		char b[32];
		sb_addf(r->out, "  %s  ok: ", tplus(r->t - r->start, b, sizeof(b)));
		for (i = from; i < ws->n; i++)
			sb_addf(r->out, "%s%s", i > from ? " " : "", ws->w[i]);
		sb_addc(r->out, '\n');
	}
	return code;
}

/* Run the step whose words start at `from`. */
static int do_step(struct run *r, const struct words *ws, size_t from)
{
	if (!strcmp(ws->w[from], "expect"))
		return do_expect(r, ws, from + 1);
	return do_action(r, ws, from, 0, NULL);
}

static int run_text(struct run *r, const char *text, int line)
{
	struct words ws;
	int code, saved = r->line;
	r->line = line;
	if (split(text, &ws) < 0 || !ws.n) {
		words_release(&ws);
		return usage(r, "cannot read the step '%s'", text);
	}
	code = do_step(r, &ws, 0);
	words_release(&ws);
	r->line = saved;
	return code;
}

/* Run the feeds due up to time t (inclusive), earliest first. */
static int run_feeds(struct run *r, int64_t t)
{
	for (;;) {
		size_t i, best = r->nfeeds;
		int64_t saved = r->t;
		int code;
		for (i = 0; i < r->nfeeds; i++)
			if (r->feeds[i].next <= t && r->feeds[i].next <= r->feeds[i].until &&
			    (best == r->nfeeds || r->feeds[i].next < r->feeds[best].next))
				best = i;
		if (best == r->nfeeds)
			return 0;
		r->t = r->feeds[best].next;
		r->feeds[best].next += r->feeds[best].every;
		code = run_text(r, r->feeds[best].step, r->feeds[best].line);
		r->t = saved > r->t ? saved : r->t;
		if (code)
			return code;
	}
}

/* "+1h30m" -> seconds after the start */
static int parse_offset(const char *w, int64_t *out)
{
	if (w[0] != '+')
		return -1;
	if (!strcmp(w, "+0"))
		return *out = 0, 0;
	return dur_parse(w + 1, out);
}

static int run_line(struct run *r, char *line)
{
	struct words ws;
	size_t i = 0;
	int code = 0;
	int64_t off;
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '#' || *p == '\n' || *p == '\r')
		return 0;
	if (split(p, &ws) < 0) {
		words_release(&ws);
		return usage(r, "unbalanced quotes%s", NULL);
	}
	if (!ws.n)
		goto out;
	if (!strcmp(ws.w[0], "start")) {
		int64_t t;
		if (ws.n != 2 || time_parse(ws.w[1], 0, &t) < 0 || !strcmp(ws.w[1], "now")) {
			code = usage(r, "'start' takes one ISO 8601 time%s", NULL);
			goto out;
		}
		if (r->id) {
			code = usage(r, "'start' must come before the first step%s", NULL);
			goto out;
		}
		r->start = r->t = t;
		goto out;
	}
	if (ws.w[0][0] == '+') {
		if (parse_offset(ws.w[0], &off) < 0) {
			code = usage(r, "bad time '%s' (use +0m, +90s, +1h30m, +3d)", ws.w[0]);
			goto out;
		}
		if (r->start + off < r->t) {
			code = usage(r, "time '%s' goes back: steps must be in time order", ws.w[0]);
			goto out;
		}
		i = 1;
		if ((code = run_feeds(r, r->start + off)) != 0)
			goto out;
		r->t = r->start + off;
	}
	if (i >= ws.n) {
		code = usage(r, "a time without a step%s", NULL);
		goto out;
	}
	if (!strcmp(ws.w[i], "every")) {
		/* every DUR until +T STEP... : a background feed from now to T */
		struct feed *f;
		int64_t every, until;
		if (i + 4 >= ws.n || dur_parse(ws.w[i + 1], &every) < 0 || every <= 0 ||
		    strcmp(ws.w[i + 2], "until") || parse_offset(ws.w[i + 3], &until) < 0) {
			code = usage(r, "use: +T every DUR until +T2 STEP...%s", NULL);
			goto out;
		}
		r->feeds = xgrow(r->feeds, sizeof(*r->feeds), r->nfeeds + 1, &r->afeeds);
		f = &r->feeds[r->nfeeds++];
		f->next = r->t;
		f->every = every;
		f->until = r->start + until;
		f->step = rest_from(&ws, i + 4);
		f->line = r->line;
		code = run_feeds(r, r->t);
		goto out;
	}
	code = do_step(r, &ws, i);
out:
	words_release(&ws);
	return code;
}

static void run_init(struct run *r, struct app *a, const char *plan, const char *path,
		     int64_t start, struct strbuf *out, struct sitrep_error *err)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->plan = plan;
	r->path = path;
	r->start = r->t = start;
	r->out = out;
	r->err = err;
}

static int run_finish(struct run *r, int code)
{
	size_t i;
	if (!code) {
		int64_t last = r->t;
		for (i = 0; i < r->nfeeds; i++)
			if (r->feeds[i].until > last)
				last = r->feeds[i].until;
		code = run_feeds(r, last);
	}
	for (i = 0; i < r->nfeeds; i++)
		free(r->feeds[i].step);
	free(r->feeds);
	r->feeds = NULL;
	r->nfeeds = 0;
	return code;
}

/* A scenario is a file; when there is none by that path and it is a bare
 * name, PLANS/scenarios/NAME(.scn). found gets the path opened. errno is
 * that of the first attempt when nothing opens. */
static FILE *open_scenario(struct app *a, const char *path, struct strbuf *found)
{
	FILE *f = fopen(path, "r");
	int first = errno;
	size_t n = strlen(path);
	sb_init(found);
	if (f) {
		sb_adds(found, path);
		return f;
	}
	if (first == ENOENT && *path && !strchr(path, '/')) {
		sb_addf(found, "%s/scenarios/%s", app_plans_dir(a), path);
		if (!(n > 4 && strcmp(path + n - 4, ".scn") == 0))
			sb_adds(found, ".scn");
		f = fopen(found->buf, "r");
		if (f)
			return f;
	}
	errno = first;
	return NULL;
}

int scenario_run(struct app *a, const char *plan, const char *path, struct strbuf *out,
		 struct sitrep_error *err)
{
	FILE *f;
	struct run r;
	char *line = NULL;
	size_t cap = 0;
	int code = 0, lineno = 0;
	char b[40];
	struct strbuf found = STRBUF_INIT;
	if (!plan || !path) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "usage: sitrep simulate PLAN SCENARIO");
		return SITREP_EXIT_USAGE;
	}
	/* The plan first: an unknown or broken plan is a plan error (3) even
	 * when the scenario is missing too. */
	{
		struct error_list el;
		struct plan *p;
		errlist_init(&el);
		p = plan_find(app_plans_dir(a), plan, &el);
		if (!p) {
			struct strbuf m = STRBUF_INIT;
			sb_init(&m);
			errlist_join(&el, &m);
			err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0, "%s",
				m.len ? m.buf : "no such plan");
			sb_release(&m);
			errlist_release(&el);
			return SITREP_EXIT_PLAN;
		}
		plan_free(p);
		errlist_release(&el);
	}
	f = open_scenario(a, path, &found);
	if (!f) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "cannot open scenario '%s': %s%s", path,
			strerror(errno),
			strchr(path, '/') ? "" : " (nor found in the plans folder's scenarios/)");
		sb_release(&found);
		return SITREP_EXIT_USAGE;
	}
	path = found.buf;
	run_init(&r, a, plan, path, SCN_START, out, err);
	sb_addf(out, "scenario %s, plan %s\n", path, plan);
	while (getline(&line, &cap, f) >= 0) {
		r.line = ++lineno;
		if ((code = run_line(&r, line)) != 0)
			break;
	}
	free(line);
	if (!code && ferror(f)) {
		err_set(err, SITREP_EXIT_USAGE, path, 0, 0, "cannot read scenario '%s'", path);
		code = SITREP_EXIT_USAGE;
	}
	fclose(f);
	r.line = lineno;
	code = run_finish(&r, code);
	if (!code && !r.id) {
		err_set(err, SITREP_EXIT_USAGE, path, 0, 0, "the scenario never opens an incident");
		code = SITREP_EXIT_USAGE;
	}
	if (!code)
		sb_addf(out, "ok: every expectation held (%s, incident %" PRId64 " at %s)\n", path,
			r.id, time_format_utc(r.t, b, sizeof(b)));
	app_set_now(a, 0);
	sb_release(&found);
	return code;
}

/* ------------------------------------------------------------------ */
/* the demo */

/* A finished DDoS on the hotline (the shape of plans/scenarios/hotline-ddos.scn)
 * with the team's notes, in Chinese and English. */
static const char *const demo_finished[] = {
	"+0m open 热线遭受 DDoS 攻击 / DDoS on the customer hotline",
	"+0m metric queue_min=9.5 complaints_pct=112 availability_pct=97.2 call_success_pct=91",
	"+2m log 值班经理已核实: SIP 中继遭 SYN 洪水攻击, 排队持续上升 / duty manager verified: SYN flood on the SIP trunks",
	"+4m done verify_report --note confirmed with network operations",
	"+10m every 10m until +60m metric queue_min=12 availability_pct=96.5 call_success_pct=88",
	"+12m done impact_assessment --note two regions affected; core switching intact",
	"+20m metric complaints_pct=124",
	"+30m expect state=warning warning=blue",
	"+34m escalate --reason scrubbing not yet effective, queue above 12 minutes / 清洗尚未生效",
	"+40m metric complaints_pct=136",
	"+41m expect proposal=II",
	"+44m accept complaints 36% above the daily average",
	"+46m done external_statement --note website notice and Weibo post, legal approved",
	"+52m done hq_first_meeting --note HQ met in room 3; CTO leads the technical side",
	"+55m done decision_meeting",
	"+58m log 运营商已启用上游清洗 / the carrier enabled upstream scrubbing",
	"+65m done prep_diagnosis --note packet captures running on the session border controllers",
	"+66m done prep_comfort --note comfort script v2 live; 20 extra agents on standby",
	"+68m done prep_backup_check --note backup lines and UPS checked",
	"+69m done prep_room_access",
	"+69m done prep_comms_equipment --note satellite phone tested",
	"+70m every 30m until +4h done tech_report --note scrubbing status reported",
	"+70m every 30m until +4h done internal_progress",
	"+70m every 30m until +4h done onsite_monitoring_log",
	"+70m every 30m until +75h done recovery_log",
	"+75m every 30m until +4h done external_updates",
	"+80m done report_up_major_ii --note initial report sent to the regional authority",
	"+85m every 1h until +6h done hq_evaluation --note level kept under review",
	"+88m done external_support --note internal resources suffice with the carrier scrubbing",
	"+90m metric queue_min=5 complaints_pct=118 availability_pct=99.5 call_success_pct=97",
	"+2h metric queue_min=3 complaints_pct=104 availability_pct=99.95 call_success_pct=99.1",
	"+2h5m every 2h until +6h done report_top_management --note 2-hour report to top management",
	"+2h30m downgrade --reason recovered ahead of plan: 30 minutes of normal queue / 恢复快于预期",
	"+3h metric complaints_pct=92",
	"+3h every 2h until +76h metric availability_pct=99.97 call_success_pct=99.3 queue_min=1.5",
	"+5h metric complaints_pct=80",
	"+26h done cause_analysis --note preliminary cause: no rate limit on the SIP edge",
	"+50h done root_cause --note 根因: SIP 边界缺少速率限制, 清洗合同未覆盖语音中继",
	"+75h expect met=stable_72h",
	"+75h10m attest no_secondary_risk_reports --reason no reports since day 1",
	"+75h20m attest resources_withdrawn --reason generators and extra agents released",
	"+75h30m attest system_safe --reason penetration retest passed",
	"+75h40m terminate --reason all five termination criteria hold / 五项终止条件均已满足",
	"+76h30m note-review speed 响应较快: 34 分钟进入三级响应, 提议后 4 分钟升至二级",
	"+76h35m note-review control Downgrade came 2.5 h in; the warning band shows the 30 min before the response",
	"+76h40m note-review plan The 30-minute cadences were kept only while the scrubbing ran; 4-hour prep tasks were not tracked by name",
	"+76h45m note-review risk 清洗合同 3 月到期, 需续签并覆盖语音中继 / scrubbing contract ends in March: renew it and cover the voice trunks",
	"+76h50m note-review commander Handled alone for the first 30 minutes: appoint a deputy earlier",
	NULL
};

/* A live incident in a blue warning: the queue has been long for 40 minutes. */
static const char *const demo_live[] = {
	"+0m open 华东区排队时长异常 / queue time rising in the East region",
	"+0m every 5m until +45m metric queue_min=9.2 complaints_pct=108 availability_pct=99.6 call_success_pct=97.5",
	"+3m log 华东区坐席反馈排队超过 9 分钟, 正在排查 / East region agents report queues over 9 minutes",
	"+5m done verify_report --note verified on the wallboard",
	"+45m expect state=warning warning=blue",
	NULL
};

static int demo_script(struct app *a, const char *plan, const char *name,
		       const char *const *steps, int64_t start, struct strbuf *out,
		       struct sitrep_error *err, int64_t *id)
{
	struct run r;
	int code = 0, i;
	run_init(&r, a, plan, name, start, out, err);
	r.quiet = 1;
	for (i = 0; steps[i] && !code; i++) {
		char *line = xstrdup(steps[i]);
		r.line = i + 1;
		code = run_line(&r, line);
		free(line);
	}
	code = run_finish(&r, code);
	*id = r.id;
	if (code == SITREP_EXIT_REFUSED && !err->msg)
		err_set(err, code, name, r.line, 0, "demo step failed");
	return code;
}

int scenario_demo(struct app *a, struct strbuf *out, struct sitrep_error *err)
{
	int64_t now = app_now(a), base, id1 = 0, id2 = 0;
	int code;
	struct strbuf log = STRBUF_INIT;
	sb_init(&log);
	now -= now % 60;
	/* the finished incident started five days ago, the live one 45 minutes ago */
	base = now - 5 * 86400;
	code = demo_script(a, "hotline-outage", "demo (finished incident)", demo_finished, base,
			   &log, err, &id1);
	if (!code)
		code = demo_script(a, "hotline-outage", "demo (live incident)", demo_live,
				   now - 45 * 60, &log, err, &id2);
	app_set_now(a, 0);
	if (code) {
		sb_add(out, log.buf, log.len);
		sb_release(&log);
		return code;
	}
	sb_release(&log);
	sb_addf(out, "demo: incident %" PRId64 " is a finished DDoS on the hotline (level II, "
		"terminated after 75 hours): try 'sitrep report %" PRId64 "'\n", id1, id1);
	sb_addf(out, "demo: incident %" PRId64 " is live in a blue warning: try 'sitrep status %"
		PRId64 "' or open the console\n", id2, id2);
	return 0;
}

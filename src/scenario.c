/* scenario: scripted plan scenarios (sitrep simulate) and the demo database
 * (sitrep demo: the scripts plans/scenarios/demo-*.scn). A scenario drives
 * `app` exactly as a user would, one step per line, and checks what it
 * shows (views); the format is specified in docs/review.md.
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

#include "sitrep/i18n.h"
#include "sitrep/scenario.h"
#include "sitrep/text.h"

#define SCN_START 1767225600 /* 2026-01-01T00:00:00Z */
#define MAX_TOK 64
#define MAX_STEPS 2000000 /* steps a scenario may run, feeds included */

/* MAX_STEPS, or fewer when $SITREP_SCENARIO_MAX_STEPS says so (the fuzz
 * target keeps each input short). */
static int64_t max_steps(void)
{
	const char *e = getenv("SITREP_SCENARIO_MAX_STEPS");
	long long n = e && *e ? strtoll(e, NULL, 10) : 0;
	return n > 0 && n < MAX_STEPS ? (int64_t)n : MAX_STEPS;
}

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
	struct view_pos shown;/* the last timeline row printed */
	int line;
	int quiet;            /* demo: print less */
	long steps;           /* steps run (bounded) */
	FILE *out;
	struct sitrep_error *err;
	struct feed *feeds; size_t nfeeds, afeeds;
};

static char *tplus(int64_t d, char *buf, size_t n)
{
	snprintf(buf, n, "T+%02" PRId64 ":%02" PRId64, d / 3600, d % 3600 / 60);
	return buf;
}

static void put(struct run *r, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	tx_escape(&sb, s, 0);
	fwrite(sb.buf, 1, sb.len, r->out);
	sb_release(&sb);
}

/* Print the timeline rows that appeared since the last call: every entry
 * and derived transition that changed something (readings without effects
 * are left out: a feed would drown the output). */
static int print_new(struct run *r)
{
	struct app_page_query q;
	struct view_page pg;
	struct sitrep_error e = SITREP_ERROR_INIT;
	int code;
	char b[32];

	if (!r->id)
		return 0;
	for (;;) {
		memset(&q, 0, sizeof(q));
		q.from = r->shown.occ == INT64_MIN ? PAGE_START : PAGE_AFTER;
		q.pos = r->shown;
		q.rows = 500;
		code = app_timeline_page(r->a, r->id, &q, &pg, &e);
		if (code) {
			err_set(r->err, code, r->path, r->line, 1, "%s",
				e.msg ? e.msg : _("cannot read the history"));
			err_release(&e);
			return code;
		}
		for (size_t i = 0; i < pg.nrows; i++) {
			const struct view_row *row = &pg.rows[i];
			r->shown = pg.pos[i];
			if (r->quiet || row->occurred_at > r->t)
				continue;
			if ((!strcmp(row->kind, "metric") && !row->neffects && !row->refused) ||
			    !strcmp(row->kind, "export"))
				continue;
			fprintf(r->out, "  %s  ", tplus(row->occurred_at - r->start, b, sizeof(b)));
			{
				struct strbuf k = STRBUF_INIT;
				sb_init(&k);
				tx_fit(&k, row->refused ? "REFUSED" : row->kind, 11);
				fputs(k.buf, r->out);
				sb_release(&k);
			}
			fputc(' ', r->out);
			put(r, row->summary);
			fputc('\n', r->out);
			for (size_t k = 0; k < row->neffects; k++) {
				fputs("                          -> ", r->out);
				put(r, row->effects[k]);
				fputc('\n', r->out);
			}
		}
		{
			int more = pg.nrows == 500 && !pg.at_end;
			view_page_release(&pg);
			if (!more)
				return 0;
		}
	}
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
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	fputs("FAIL ", r->out);
	put(r, r->path);
	fprintf(r->out, ":%d: ", r->line);
	put(r, sb.buf);
	fputc('\n', r->out);
	sb_release(&sb);
	err_set(r->err, SITREP_EXIT_REFUSED, r->path, r->line, 1, "%s", _("expectation not met"));
	return SITREP_EXIT_REFUSED;
}

/* Options of an action line: the text options (the rest of the line), the
 * one-word options, flags, and for assess --DIM VALUE per matrix dimension. */
struct opts {
	const char *to, *as, *level, *owner, *due, *channel, *scope, *expected;
	char *reason;               /* owned: --reason, --note, --text, --by-hand, --measures */
	int by_hand;
	const char *dims[4], *vals[4];
	size_t ndims;
	int drill, followup;
	size_t npos;
	size_t pos[MAX_TOK];
};

static int parse_opts(struct run *r, const struct words *ws, size_t from, struct opts *o)
{
	static const char *const rest[] = { "--reason", "--note", "--text", "--by-hand", "--measures" };
	static const char *const one[] = { "--to", "--as", "--level", "--owner", "--due", "--channel",
					   "--scope", "--expected" };
	memset(o, 0, sizeof(*o));
	int assess = from > 0 && !strcmp(ws->w[from - 1], "assess");
	for (size_t i = from; i < ws->n; i++) {
		const char *w = ws->w[i];
		size_t k;
		if (assess && !strncmp(w, "--", 2) && strcmp(w, "--reason") && strcmp(w, "--as") &&
		    w[2] && i + 1 < ws->n) {
			/* assess: --DIM VALUE for each dimension of the plan's matrix */
			if (o->ndims == 4)
				return usage(r, _("%s: a plan's matrix has at most 4 dimensions"), w);
			o->dims[o->ndims] = w + 2;
			o->vals[o->ndims++] = ws->w[++i];
			continue;
		}
		for (k = 0; k < sizeof(rest) / sizeof(rest[0]) && strcmp(w, rest[k]); k++)
			;
		if (k < sizeof(rest) / sizeof(rest[0])) {
			if (i + 1 >= ws->n)
				return usage(r, _("'%s' needs a text"), w);
			o->reason = rest_from(ws, i + 1);
			o->by_hand = !strcmp(w, "--by-hand");
			return 0;
		}
		for (k = 0; k < sizeof(one) / sizeof(one[0]) && strcmp(w, one[k]); k++)
			;
		if (k < sizeof(one) / sizeof(one[0])) {
			const char **slot[] = { &o->to, &o->as, &o->level, &o->owner, &o->due, &o->channel,
						&o->scope, &o->expected };
			if (i + 1 >= ws->n)
				return usage(r, _("'%s' needs a value"), w);
			*slot[k] = ws->w[++i];
		} else if (!strcmp(w, "--drill")) {
			o->drill = 1;
		} else if (!strcmp(w, "--followup")) {
			o->followup = 1;
		} else if (!strncmp(w, "--", 2) && w[2] && i + 1 < ws->n &&
			   !strcmp(ws->w[from > 0 ? from - 1 : 0], "assess")) {
			/* assess: --DIM VALUE for each dimension of the plan's matrix */
			if (o->ndims == 4)
				return usage(r, _("%s: a plan's matrix has at most 4 dimensions"), w);
			o->dims[o->ndims] = w + 2;
			o->vals[o->ndims++] = ws->w[++i];
		} else if (!strncmp(w, "--", 2)) {
			return usage(r, _("unknown option '%s'"), w);
		} else {
			o->pos[o->npos++] = i;
		}
	}
	return 0;
}

/* NAME=VALUE words from positional `first` on. */
static int parse_readings(struct run *r, const struct words *ws, const struct opts *o, size_t first,
			  const char ***names, double **values, size_t *n)
{
	*names = xcalloc(o->npos + 1, sizeof(**names));
	*values = xcalloc(o->npos + 1, sizeof(**values));
	*n = 0;
	for (size_t i = first; i < o->npos; i++) {
		char *w = ws->w[o->pos[i]], *eq = strchr(w, '=');
		if (!eq || eq == w || app_parse_reading(eq + 1, &(*values)[*n]) < 0)
			return usage(r, _("a reading is NAME=VALUE, not '%s'"), w);
		*eq = 0;
		(*names)[(*n)++] = w;
	}
	return 0;
}

/* Carry out one action line (words from `from`). expect_refused: the action
 * must be refused (rule, when non-NULL, must match). */
/* Long by design: one case per step verb of a scenario, each a few lines
 * building its request. */
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

	if ((code = parse_opts(r, ws, from + 1, &o)) != 0)
		return code;
	memset(&rq, 0, sizeof(rq));
	app_outcome_init(&out);
	rq.incident = r->id;
	rq.at = r->t;
	rq.has_at = 1;
	rq.role = o.as;
	rq.text = o.reason;
	app_set_now(r->a, r->t);
	kind = action_lookup(verb);
	if (kind < 0) {
		code = usage(r, _("unknown step '%s'"), verb);
		goto done;
	}
	rq.kind = (enum sitrep_action)kind;
	if (kind != ACT_OPEN && !r->id) {
		code = usage(r, _("'%s' before 'open'"), verb);
		goto done;
	}
	/* the positional words, by action */
	switch (kind) {
	case ACT_OPEN:
		if (r->id) {
			code = usage(r, _("one incident per scenario: a second 'open'%s"), NULL);
			goto done;
		}
		rq.plan = r->plan;
		rq.drill = o.drill;
		text = o.npos ? rest_from(ws, o.pos[0]) : NULL;
		rq.text = text;
		break;
	case ACT_LOG:
	case ACT_ACCEPT:
		text = o.npos ? rest_from(ws, o.pos[0]) : NULL;
		rq.text = text ? text : o.reason;
		rq.target = o.level;
		break;
	case ACT_TASK:
		text = o.npos ? rest_from(ws, o.pos[0]) : NULL;
		rq.text = text;
		rq.person = o.owner;
		rq.followup = o.followup;
		if (o.due && dur_parse(o.due, &rq.due_in) < 0) {
			code = usage(r, _("'%s' is not a duration"), o.due);
			goto done;
		}
		break;
	case ACT_NOTE_REVIEW:
		if (!o.npos) {
			code = usage(r, _("note-review needs a SECTION and a TEXT%s"), NULL);
			goto done;
		}
		rq.target = ws->w[o.pos[0]];
		text = o.npos > 1 ? rest_from(ws, o.pos[1]) : NULL;
		rq.text = text;
		break;
	case ACT_METRIC:
	case ACT_CORRECT:
		if (kind == ACT_CORRECT) {
			if (!o.npos || (rq.entry = strtoll(ws->w[o.pos[0]], NULL, 10)) <= 0) {
				code = usage(r, _("correct needs an ENTRY%s"), NULL);
				goto done;
			}
		}
		if ((code = parse_readings(r, ws, &o, kind == ACT_CORRECT, &names, &values,
					   &rq.nmetrics)) != 0)
			goto done;
		rq.metric_names = names;
		rq.metric_values = values;
		break;
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
		rq.target = o.to;
		break;
	case ACT_ASSESS:
		for (size_t i = 0; i < o.ndims; i++) {
			rq.assess_dims[i] = o.dims[i];
			rq.assess_values[i] = o.vals[i];
		}
		rq.nassess = o.ndims;
		break;
	case ACT_RESOURCE:
		if (o.npos < 2 || (strcmp(ws->w[o.pos[0]], "deploy") && strcmp(ws->w[o.pos[0]], "withdraw"))) {
			code = usage(r, _("usage: resource deploy|withdraw ITEM [COUNT]%s"), NULL);
			goto done;
		}
		rq.withdraw = !strcmp(ws->w[o.pos[0]], "withdraw");
		rq.target = ws->w[o.pos[1]];
		rq.count = o.npos > 2 ? strtoll(ws->w[o.pos[2]], NULL, 10) : 1;
		break;
	case ACT_WARN:
	case ACT_ATTEST:
	case ACT_DONE:
	case ACT_HANDOVER:
	case ACT_ASSIGN:
	case ACT_UNASSIGN:
	case ACT_OWNER:
	case ACT_APPROVE:
	case ACT_NOTIFY:
		if (!o.npos) {
			code = usage(r, _("'%s' needs an argument"), verb);
			goto done;
		}
		rq.target = ws->w[o.pos[0]];
		rq.person = o.npos > 1 ? ws->w[o.pos[1]] : NULL;
		rq.scope = o.scope;
		rq.expected = o.expected;
		rq.channel = o.channel;
		if (kind == ACT_NOTIFY && o.by_hand) {
			rq.by_hand = o.reason;
			rq.text = NULL;
		}
		break;
	default:
		break;
	}
	code = app_act(r->a, &rq, &out);
	if (kind == ACT_OPEN && code == 0)
		r->id = out.incident;
	if (expect_refused) {
		if (code == SITREP_EXIT_REFUSED) {
			const char *got = out.err.rule ? out.err.rule : "";
			if (rule && strcmp(rule, got)) {
				code = unmet(r, "'%s' was refused by rule '%s', expected rule '%s'", verb, got,
					     rule);
				goto done;
			}
			code = print_new(r);
			if (!code && !r->quiet)
				fprintf(r->out, _("  ok: '%s' refused as expected (rule %s)\n"), verb, got);
		} else if (code == 0) {
			code = unmet(r, "expected '%s' to be refused, but it was done: %s", verb,
				     out.message ? out.message : "");
		} else {
			err_set(r->err, code, r->path, r->line, 1, "%s", out.err.msg ? out.err.msg : "");
		}
		goto done;
	}
	if (code == SITREP_EXIT_REFUSED) {
		print_new(r);
		code = unmet(r, "'%s' was refused: %s", verb, out.err.msg ? out.err.msg : "");
	} else if (code) {
		err_set(r->err, code, r->path, r->line, 1, "%s", out.err.msg ? out.err.msg : "");
	} else {
		code = print_new(r);
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

static int level_known(const struct view_incident *v, const char *id)
{
	for (size_t i = 0; i < v->nlevels; i++)
		if (!strcmp(v->levels[i].id, id))
			return 1;
	return 0;
}

static const struct view_criterion *criterion(const struct view_incident *v, const char *id)
{
	for (size_t i = 0; i < v->nlift; i++)
		if (!strcmp(v->lift[i].id, id))
			return &v->lift[i];
	for (size_t i = 0; i < v->ntermination; i++)
		if (!strcmp(v->termination[i].id, id))
			return &v->termination[i];
	for (size_t i = 0; i < v->nattestable; i++)
		if (!strcmp(v->attestable[i].id, id))
			return &v->attestable[i];
	return NULL;
}

/* One `expect KEY=VALUE` against the incident at the step's time. */
static int check(struct run *r, const struct view_incident *v, const char *kv)
{
	const char *eq = strchr(kv, '=');
	char key[64];
	const char *val;
	if (!eq || (size_t)(eq - kv) >= sizeof(key))
		return usage(r, _("an expectation is KEY=VALUE, not '%s'"), kv);
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = 0;
	val = eq + 1;
	if (!strcmp(key, "state")) {
		if (strcmp(phase_name(v->phase), val))
			return unmet(r, "expected state=%s, got %s", val, phase_name(v->phase));
	} else if (!strcmp(key, "level") || !strcmp(key, "peak")) {
		const char *got = key[0] == 'l' ? v->level.id : v->peak.id;
		if (!is_none(val) && !level_known(v, val))
			return usage(r, _("no level '%s' in the plan"), val);
		if (is_none(val) ? got != NULL : (!got || strcmp(got, val)))
			return unmet(r, "expected %s=%s, got %s", key, val, got ? got : "none");
	} else if (!strcmp(key, "warning")) {
		if (is_none(val) ? v->warning != NULL : (!v->warning || strcmp(v->warning, val)))
			return unmet(r, "expected warning=%s, got %s", val, v->warning ? v->warning : "none");
	} else if (!strcmp(key, "drill")) {
		int want = !strcmp(val, "yes") || !strcmp(val, "true") || !strcmp(val, "1");
		if (!v->drill != !want)
			return unmet(r, "expected drill=%s, got %s", val, v->drill ? "yes" : "no");
	} else if (!strcmp(key, "proposal")) {
		size_t i;
		if (is_none(val)) {
			if (v->nproposals)
				return unmet(r, "expected no pending proposal, got level %s (rule %s)",
					     v->proposals[0].level, v->proposals[0].rule);
			return 0;
		}
		if (!level_known(v, val))
			return usage(r, _("no level '%s' in the plan"), val);
		for (i = 0; i < v->nproposals && strcmp(v->proposals[i].level, val); i++)
			;
		if (i == v->nproposals)
			return unmet(r, "expected a pending proposal for level %s, got %s", val,
				     v->nproposals ? v->proposals[0].level : "none");
	} else if (!strcmp(key, "open") || !strcmp(key, "overdue") || !strcmp(key, "closed")) {
		int open = 0, overdue = 0;
		for (size_t i = 0; i < v->ndeadlines; i++)
			if (!strcmp(v->deadlines[i].id, val)) {
				open = 1;
				overdue |= v->deadlines[i].overdue;
			}
		if ((!strcmp(key, "open") && !open) || (!strcmp(key, "overdue") && !overdue) ||
		    (!strcmp(key, "closed") && open))
			return unmet(r, "expected deadline %s to be %s", val,
				     !strcmp(key, "closed") ? "closed (done or cancelled)" : key);
	} else if (!strcmp(key, "met") || !strcmp(key, "unmet")) {
		const struct view_criterion *c = criterion(v, val);
		if (!c)
			return usage(r, _("no criterion '%s' in the plan"), val);
		if (!c->met != !!strcmp(key, "met"))
			return unmet(r, "expected criterion %s to be %s", val, key);
	} else if (!strcmp(key, "notice")) {
		/* notice=ID:STATE */
		const char *colon = strchr(val, ':');
		size_t i;
		for (i = 0; i < v->nnotices; i++)
			if (colon && !strncmp(v->notices[i].id, val, (size_t)(colon - val)) &&
			    !v->notices[i].id[colon - val])
				break;
		if (!colon || i == v->nnotices)
			return usage(r, _("notice=ID:STATE, with a notice of the plan, not '%s'"), val);
		if (strcmp(notice_state_name(v->notices[i].state), colon + 1))
			return unmet(r, "expected notice %s to be %s, got %s", v->notices[i].id, colon + 1,
				     notice_state_name(v->notices[i].state));
	} else {
		return usage(r, _("unknown expectation '%s' (state, level, warning, peak, drill, "
				  "proposal, open, overdue, closed, met, unmet, notice)"), key);
	}
	return 0;
}

static int do_expect(struct run *r, const struct words *ws, size_t from)
{
	struct view_incident v;
	struct sitrep_error e = SITREP_ERROR_INIT;
	size_t i;
	int code;
	if (from >= ws->n)
		return usage(r, _("'expect' needs something to check%s"), NULL);
	if (!strcmp(ws->w[from], "refused") || !strncmp(ws->w[from], "refused:", 8)) {
		const char *rule = ws->w[from][7] == ':' ? ws->w[from] + 8 : NULL;
		if (from + 1 >= ws->n)
			return usage(r, _("'expect refused' needs an action%s"), NULL);
		return do_action(r, ws, from + 1, 1, rule);
	}
	if (!r->id)
		return usage(r, _("'expect' before 'open'%s"), NULL);
	app_set_now(r->a, r->t);
	if ((code = print_new(r)) != 0)
		return code;
	code = app_incident(r->a, r->id, r->t, &v, &e);
	if (code) {
		err_set(r->err, code, r->path, r->line, 1, "%s",
			e.msg ? e.msg : _("cannot load the incident"));
		err_release(&e);
		return code;
	}
	for (i = from; i < ws->n && !code; i++)
		code = check(r, &v, ws->w[i]);
	view_incident_release(&v);
	if (!code && !r->quiet) {
		char b[32];
		fprintf(r->out, "  %s  ok: ", tplus(r->t - r->start, b, sizeof(b)));
		for (i = from; i < ws->n; i++) {
			if (i > from)
				fputc(' ', r->out);
			put(r, ws->w[i]);
		}
		fputc('\n', r->out);
	}
	return code;
}

/* Run the step whose words start at `from`. */
static int do_step(struct run *r, const struct words *ws, size_t from)
{
	if (++r->steps > max_steps())
		return usage(r, _("the scenario runs more than 2000000 steps: a feed without end?%s"),
			     NULL);
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
		return usage(r, _("cannot read the step '%s'"), text);
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
		return usage(r, _("unbalanced quotes%s"), NULL);
	}
	if (!ws.n)
		goto out;
	if (!strcmp(ws.w[0], "start")) {
		int64_t t;
		if (ws.n != 2 || time_parse(ws.w[1], 0, &t) < 0 || !strcmp(ws.w[1], "now")) {
			code = usage(r, _("'start' takes one ISO 8601 time%s"), NULL);
			goto out;
		}
		if (r->id) {
			code = usage(r, _("'start' must come before the first step%s"), NULL);
			goto out;
		}
		r->start = r->t = t;
		goto out;
	}
	if (ws.w[0][0] == '+') {
		if (parse_offset(ws.w[0], &off) < 0) {
			code = usage(r, _("bad time '%s' (use +0m, +90s, +1h30m, +3d)"), ws.w[0]);
			goto out;
		}
		if (r->start + off < r->t) {
			code = usage(r, _("time '%s' goes back: steps must be in time order"), ws.w[0]);
			goto out;
		}
		i = 1;
		if ((code = run_feeds(r, r->start + off)) != 0)
			goto out;
		r->t = r->start + off;
	}
	if (i >= ws.n) {
		code = usage(r, _("a time without a step%s"), NULL);
		goto out;
	}
	if (!strcmp(ws.w[i], "every")) {
		/* every DUR until +T STEP... : a background feed from now to T */
		struct feed *f;
		int64_t every, until;
		if (i + 4 >= ws.n || dur_parse(ws.w[i + 1], &every) < 0 || every <= 0 ||
		    strcmp(ws.w[i + 2], "until") || parse_offset(ws.w[i + 3], &until) < 0) {
			code = usage(r, _("usage: +T every DUR until +T2 STEP...%s"), NULL);
			goto out;
		}
		if (r->start + until > r->t &&
		    (r->start + until - r->t) / every > max_steps() - (int64_t)r->steps) {
			/* refused at once, not after hours of writing */
			code = usage(r, _("the feed would take more than 2000000 steps (a longer DUR or "
					  "an earlier end)%s"), "");
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

static void run_init(struct run *r, struct app *a, const char *plan, const char *path,
		     int64_t start, FILE *out, struct sitrep_error *err)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->plan = plan;
	r->path = path;
	r->start = r->t = start;
	r->out = out;
	r->err = err;
	r->shown.occ = INT64_MIN;
}

static int run_finish(struct run *r, int code)
{
	if (!code) {
		int64_t last = r->t;
		for (size_t i = 0; i < r->nfeeds; i++)
			if (r->feeds[i].until > last)
				last = r->feeds[i].until;
		code = run_feeds(r, last);
	}
	for (size_t i = 0; i < r->nfeeds; i++)
		free(r->feeds[i].step);
	free(r->feeds);
	r->feeds = NULL;
	r->nfeeds = 0;
	return code;
}

/* Run every line of f; start: the scenario's T+0 unless a `start` line says. */
static int run_file(struct run *r, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int code = 0, lineno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		r->line = ++lineno;
		if ((size_t)len != strlen(line)) {
			code = usage(r, _("a NUL byte in the line: not a text file%s"), NULL);
			break;
		}
		if ((code = run_line(r, line)) != 0)
			break;
	}
	free(line);
	if (!code && ferror(f)) {
		err_set(r->err, SITREP_EXIT_USAGE, r->path, 0, 0, _("cannot read scenario '%s'"), r->path);
		code = SITREP_EXIT_USAGE;
	}
	r->line = lineno;
	return run_finish(r, code);
}

int scenario_run(struct app *a, const char *plan, const char *path, FILE *out,
		 struct sitrep_error *err)
{
	struct view_plans plans;
	struct run r;
	FILE *f;
	int code, known = 0;
	char b[40];
	struct strbuf found = STRBUF_INIT;

	if (!plan || !path) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("usage: sitrep simulate PLAN SCENARIO"));
		return SITREP_EXIT_USAGE;
	}
	/* the plan first: an unknown plan is a plan error (3) even when the
	 * scenario is missing too */
	app_plans(a, &plans);
	for (size_t i = 0; i < plans.n; i++)
		known |= !strcmp(plans.v[i].id, plan);
	view_plans_release(&plans);
	if (!known && !strchr(plan, '/')) {
		err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0, _("no plan '%s' in '%s'"), plan, app_plans_dir(a));
		return SITREP_EXIT_PLAN;
	}
	f = open_scenario(a, path, &found);
	if (!f) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("cannot open scenario '%s': %s%s"), path,
			strerror(errno),
			strchr(path, '/') ? "" : _(" (nor found in the plans folder's scenarios/)"));
		sb_release(&found);
		return SITREP_EXIT_USAGE;
	}
	run_init(&r, a, plan, found.buf, SCN_START, out, err);
	{
		struct strbuf hdr = STRBUF_INIT;
		sb_init(&hdr);
		sb_addf(&hdr, _("scenario %s, plan %s"), found.buf, plan);
		put(&r, hdr.buf);
		fputc('\n', out);
		sb_release(&hdr);
	}
	code = run_file(&r, f);
	fclose(f);
	if (!code && !r.id) {
		err_set(err, SITREP_EXIT_USAGE, found.buf, 0, 0, _("the scenario never opens an incident"));
		code = SITREP_EXIT_USAGE;
	}
	if (!code) {
		struct strbuf done = STRBUF_INIT;
		sb_init(&done);
		sb_addf(&done, _("ok: every expectation held (%s, incident %" PRId64 " at %s)"),
			found.buf, r.id, time_format_utc(r.t, b, sizeof(b)));
		put(&r, done.buf);
		fputc('\n', out);
		sb_release(&done);
	}
	app_set_now(a, 0);
	sb_release(&found);
	return code;
}

/* ------------------------------------------------------------------ */
/* the demo: plans/scenarios/demo-*.scn run with their start before now */

static int demo_script(struct app *a, const char *name, int64_t start, int64_t *id,
		       struct sitrep_error *err)
{
	struct strbuf found = STRBUF_INIT;
	struct run r;
	FILE *f = open_scenario(a, name, &found);
	FILE *sink;
	int code;
	if (!f) {
		err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0, _("the demo script '%s' is missing from '%s'"),
			name, app_plans_dir(a));
		sb_release(&found);
		return SITREP_EXIT_PLAN;
	}
	sink = fopen("/dev/null", "w");
	run_init(&r, a, "hotline-outage", found.buf, start, sink ? sink : stdout, err);
	r.quiet = 1;
	code = run_file(&r, f);
	fclose(f);
	if (sink)
		fclose(sink);
	*id = r.id;
	if (code == SITREP_EXIT_REFUSED && !err->msg)
		err_set(err, code, found.buf, r.line, 0, _("a demo step failed"));
	sb_release(&found);
	return code;
}

int scenario_demo(struct app *a, FILE *out, struct sitrep_error *err)
{
	struct view_list l;
	int64_t now = app_now(a), id1 = 0, id2 = 0;
	int code;

	if ((code = app_list(a, 1, &l, err)) != 0)
		return code;
	if (l.n) {
		view_list_release(&l);
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
			_("'%s' already holds incidents: the demo makes a database of its own (open it "
			  "with sitrep --db %s; remove it to make it again)"), app_where(a), app_where(a));
		return SITREP_EXIT_USAGE;
	}
	view_list_release(&l);
	now -= now % 60;
	/* the finished incident started five days ago, the live one 45 minutes ago */
	code = demo_script(a, "demo-finished", now - 5 * 86400, &id1, err);
	if (!code)
		code = demo_script(a, "demo-live", now - 45 * 60, &id2, err);
	app_set_now(a, 0);
	if (code)
		return code;
	fprintf(out, _("demo: in '%s'\n"), app_where(a));
	fprintf(out, _("demo: incident %" PRId64 " is a finished DDoS on the hotline (level II, "
		       "terminated after 75 hours): try 'sitrep --db %s report %" PRId64 "'\n"),
		id1, app_where(a), id1);
	fprintf(out, _("demo: incident %" PRId64 " is live in a blue warning: open the console with "
		       "'sitrep --db %s'\n"), id2, app_where(a));
	return 0;
}

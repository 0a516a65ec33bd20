/* cli: argv -> app. One table of commands; each states its positionals and
 * options, and the usage and help texts come from the same table. Options
 * may come before or after positionals; --db and --plans are accepted
 * before the command and after it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sitrep/app.h"
#include "sitrep/cli.h"
#include "sitrep/scenario.h"
#include "sitrep/tui.h"
#include "sitrep/util.h"

#define MAX_OPTS 12
#define MAX_POS 64

struct ctx;
struct cmd {
	const char *name;
	int (*run)(struct ctx *c);
	const char *synopsis;     /* after "sitrep " */
	const char *help;         /* one line */
	int min_pos, max_pos;     /* max -1: unlimited */
	const char *opts[MAX_OPTS]; /* "name=" takes a value, "name" is a flag */
	const char *opthelp;      /* option lines for --help, may be NULL */
};

struct ctx {
	const struct cmd *cmd;
	const char *pos[MAX_POS];
	int npos;
	const char *val[MAX_OPTS];
	int set[MAX_OPTS];
	const char *db;
	const char *plans;
	struct app *app;
	/* assess: --DIM VALUE for the dimensions of the incident's plan, which
	 * the command table cannot list (app checks them against the plan) */
	char dim_name[8][64];
	const char *dim_val[8];
	int ndims;
};

/* ---- output ---- */

/* Print user-supplied text with control characters escaped (newlines kept
 * when keep_nl). */
static void put_safe(FILE *fp, const char *s, int keep_nl)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	for (; *p; p++) {
		if ((*p < 0x20 && !(keep_nl && *p == '\n') && *p != '\t') || *p == 0x7f) {
			fprintf(fp, "\\x%02x", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(fp, "\\u%04x", p[1]);
			p++;
		} else {
			fputc(*p, fp);
		}
	}
}

static void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void errorf(const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("sitrep: ", stderr);
	put_safe(stderr, buf, 1);
	fputc('\n', stderr);
}

static int usage_error(const struct cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_error(const struct cmd *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("sitrep: ", stderr);
	put_safe(stderr, buf, 0);
	if (c)
		fprintf(stderr, " (usage: sitrep %s)", c->synopsis);
	else
		fputs(" (see sitrep --help)", stderr);
	fputc('\n', stderr);
	return SITREP_EXIT_USAGE;
}

/* ---- options ---- */

static int opt_index(const struct cmd *c, const char *name, size_t len, int *takes)
{
	for (int i = 0; i < MAX_OPTS && c->opts[i]; i++) {
		const char *o = c->opts[i];
		size_t ol = strcspn(o, "=");
		if (ol == len && strncmp(o, name, len) == 0) {
			*takes = o[ol] == '=';
			return i;
		}
	}
	return -1;
}

static const char *opt(const struct ctx *x, const char *name)
{
	int takes;
	int i = opt_index(x->cmd, name, strlen(name), &takes);
	return i >= 0 && x->set[i] ? x->val[i] : NULL;
}

static int flag(const struct ctx *x, const char *name)
{
	int takes;
	int i = opt_index(x->cmd, name, strlen(name), &takes);
	return i >= 0 && x->set[i];
}

static int looks_negative_number(const char *s)
{
	return s[0] == '-' && ((s[1] >= '0' && s[1] <= '9') || s[1] == '.');
}

static void print_help(const struct cmd *c)
{
	printf("usage: sitrep %s\n\n%s\n", c->synopsis, c->help);
	if (c->opthelp)
		printf("\noptions:\n%s", c->opthelp);
	printf("\nglobal options: --db PATH, --plans DIR, -h/--help\n");
}

/* Returns -1 to go on, else an exit code. */
static int parse_args(struct ctx *x, int argc, char **argv)
{
	int only_pos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			print_help(x->cmd);
			return SITREP_EXIT_OK;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-' && a[2]) {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *val = NULL;
			int takes = 0, k;
			if ((len == 2 && strncmp(name, "db", 2) == 0) ||
			    (len == 5 && strncmp(name, "plans", 5) == 0)) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error(x->cmd, "option '--%.*s' needs a value", (int)len, name);
				if (len == 2)
					x->db = val;
				else
					x->plans = val;
				continue;
			}
			k = opt_index(x->cmd, name, len, &takes);
			if (k < 0 && strcmp(x->cmd->name, "assess") == 0 && len > 0 && len < 64 &&
			    x->ndims < 8) {
				/* another matrix dimension of the plan: NAME VALUE */
				memcpy(x->dim_name[x->ndims], name, len);
				x->dim_name[x->ndims][len] = '\0';
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error(x->cmd, "option '--%.*s' needs a value", (int)len, name);
				x->dim_val[x->ndims++] = val;
				continue;
			}
			if (k < 0)
				return usage_error(x->cmd, "unknown option '--%.*s' for '%s'", (int)len, name,
						   x->cmd->name);
			if (takes) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error(x->cmd, "option '--%.*s' needs a value", (int)len, name);
			} else if (eq) {
				return usage_error(x->cmd, "option '--%.*s' takes no value", (int)len, name);
			}
			x->set[k] = 1;
			x->val[k] = val;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] && !looks_negative_number(a))
			return usage_error(x->cmd, "unknown option '%s' for '%s'", a, x->cmd->name);
		if (x->npos >= MAX_POS)
			return usage_error(x->cmd, "too many arguments");
		x->pos[x->npos++] = a;
	}
	if (x->npos < x->cmd->min_pos)
		return usage_error(x->cmd, "'%s' needs more arguments", x->cmd->name);
	if (x->cmd->max_pos >= 0 && x->npos > x->cmd->max_pos)
		return usage_error(x->cmd, "too many arguments for '%s'", x->cmd->name);
	return -1;
}

/* ---- helpers ---- */

static int open_app(struct ctx *x, int read_only)
{
	struct app_options o;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	memset(&o, 0, sizeof(o));
	o.db_path = x->db;
	o.plans_dir = x->plans;
	o.read_only = read_only;
	x->app = app_open(&o, &err);
	if (x->app)
		return 0;
	code = err.code ? err.code : SITREP_EXIT_STORAGE;
	errorf("%s", err.msg ? err.msg : "cannot open the database");
	err_release(&err);
	return code;
}

static int parse_id(struct ctx *x, const char *s, int64_t *id)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v <= 0)
		return usage_error(x->cmd, "'%s' is not an incident id", s);
	*id = (int64_t)v;
	return 0;
}

static int parse_at(struct ctx *x, int64_t *at)
{
	const char *s = opt(x, "at");
	*at = 0;
	if (!s)
		return 0;
	if (time_parse(s, app_now(x->app), at) < 0)
		return usage_error(x->cmd, "'%s' is not a time (ISO 8601, e.g. 2026-11-20T09:12:00+08:00, or 'now')", s);
	if (*at > app_now(x->app))
		return usage_error(x->cmd, "--at is in the future");
	return 0;
}

/* Join positionals from `from` with spaces (owned). */
static char *join_pos(const struct ctx *x, int from)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	for (int i = from; i < x->npos; i++) {
		if (i > from)
			sb_addc(&sb, ' ');
		sb_adds(&sb, x->pos[i]);
	}
	return sb_detach(&sb);
}

static int fail_with(struct sitrep_error *err, int code)
{
	if (code) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		err_format(err, &sb);
		errorf("%s", sb.len ? sb.buf : "failed");
		sb_release(&sb);
	}
	err_release(err);
	return code;
}

static int print_outcome(struct app_outcome *out)
{
	if (out->code == SITREP_EXIT_OK) {
		put_safe(stdout, out->message, 1);
		fputc('\n', stdout);
	} else {
		errorf("%s", out->message[0] ? out->message : "failed");
	}
	return out->code;
}

static int act(struct ctx *x, struct app_request *rq)
{
	struct app_outcome out;
	int code;
	rq->role = opt(x, "as");
	app_outcome_init(&out);
	app_act(x->app, rq, &out);
	code = print_outcome(&out);
	app_outcome_release(&out);
	return code;
}

/* Common start of incident actions: open the app, the id, --at. */
static int start_action(struct ctx *x, struct app_request *rq, enum plan_action kind)
{
	int code;
	memset(rq, 0, sizeof(*rq));
	rq->kind = kind;
	if ((code = parse_id(x, x->pos[0], &rq->incident)) != 0)
		return code;
	if ((code = open_app(x, 0)) != 0)
		return code;
	return parse_at(x, &rq->at);
}

static int need(struct ctx *x, const char *name)
{
	const char *v = opt(x, name);
	if (!v || !*v)
		return usage_error(x->cmd, "'%s' needs --%s", x->cmd->name, name);
	return 0;
}

/* ---- commands ---- */

static int cmd_plan_check(struct ctx *x)
{
	int code = 0;
	for (int i = 0; i < x->npos; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		if (app_plan_check(x->pos[i], &sb) == 0) {
			fputs(sb.buf, stdout);
		} else {
			put_safe(stderr, sb.buf, 1);
			code = SITREP_EXIT_PLAN;
		}
		sb_release(&sb);
	}
	return code;
}

static int cmd_plan_show(struct ctx *x)
{
	struct strbuf sb = STRBUF_INIT;
	int code;
	sb_init(&sb);
	code = app_plan_show(x->plans, x->pos[0], &sb);
	put_safe(code ? stderr : stdout, sb.buf, 1);
	sb_release(&sb);
	return code;
}

static int cmd_open(struct ctx *x)
{
	struct app_request rq;
	struct app_outcome out;
	char *title;
	int code;
	memset(&rq, 0, sizeof(rq));
	if ((code = need(x, "plan")) != 0)
		return code;
	title = join_pos(x, 0);
	if (!*title) {
		free(title);
		return usage_error(x->cmd, "'open' needs a title");
	}
	if ((code = open_app(x, 0)) != 0 || (code = parse_at(x, &rq.at)) != 0) {
		free(title);
		return code;
	}
	rq.kind = ACT_OPEN;
	rq.plan = opt(x, "plan");
	rq.drill = flag(x, "drill");
	rq.text = title;
	rq.role = opt(x, "as");
	app_outcome_init(&out);
	code = app_act(x->app, &rq, &out);
	if (code == 0)
		printf("%" PRId64 "\n", out.incident);
	else
		errorf("%s", out.message);
	app_outcome_release(&out);
	free(title);
	return code;
}

static int cmd_list(struct ctx *x)
{
	int64_t *ids = NULL;
	size_t n = 0;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	struct strbuf sb = STRBUF_INIT;
	if ((code = open_app(x, 1)) != 0)
		return code;
	if ((code = app_list(x->app, flag(x, "all"), &ids, &n, &err)) != 0)
		return fail_with(&err, code);
	sb_init(&sb);
	if (n) {
		sb_add_padded(&sb, "ID", 6);
		sb_add_padded(&sb, "STATE", 12);
		sb_add_padded(&sb, "LEVEL", 7);
		sb_add_padded(&sb, "WARNING", 9);
		sb_add_padded(&sb, "PLAN", 18);
		sb_add_padded(&sb, "OPENED", 21);
		sb_adds(&sb, "TITLE\n");
	}
	for (size_t i = 0; i < n; i++) {
		struct app_incident inc;
		struct sitrep_error e2 = SITREP_ERROR_INIT;
		char buf[64];
		struct strbuf title = STRBUF_INIT;
		if (app_incident_load(x->app, ids[i], 0, &inc, &e2) != 0) {
			snprintf(buf, sizeof(buf), "%" PRId64, ids[i]);
			sb_add_padded(&sb, buf, 6);
			sb_adds(&sb, "(cannot load: ");
			sb_add_escaped(&sb, e2.msg);
			sb_adds(&sb, ")\n");
			err_release(&e2);
			continue;
		}
		snprintf(buf, sizeof(buf), "%" PRId64, ids[i]);
		sb_add_padded(&sb, buf, 6);
		sb_add_padded(&sb, engine_phase_name(inc.st.phase), 12);
		sb_add_padded(&sb, inc.st.level >= 0 ? inc.plan->levels[inc.st.level].id : "-", 7);
		sb_add_padded(&sb, inc.st.warning >= 0 ? inc.plan->warnings[inc.st.warning].id : "-", 9);
		sb_add_padded(&sb, inc.row.plan_id ? inc.row.plan_id : "?", 18);
		sb_add_padded(&sb, inc.st.opened_at ? time_format_local(inc.st.opened_at, buf, sizeof(buf)) : "-", 21);
		sb_init(&title);
		sb_add_escaped(&title, inc.row.title);
		sb_adds(&sb, title.buf);
		if (inc.row.drill)
			sb_adds(&sb, " [drill]");
		sb_addc(&sb, '\n');
		sb_release(&title);
		app_incident_release(&inc);
	}
	fputs(sb.buf, stdout);
	sb_release(&sb);
	free(ids);
	return 0;
}

static int cmd_status(struct ctx *x)
{
	int64_t id, at;
	struct app_incident inc;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	int code;
	if ((code = parse_id(x, x->pos[0], &id)) != 0 || (code = open_app(x, 1)) != 0 ||
	    (code = parse_at(x, &at)) != 0)
		return code;
	if ((code = app_incident_load(x->app, id, at, &inc, &err)) != 0)
		return fail_with(&err, code);
	sb_init(&sb);
	if (flag(x, "json"))
		app_status_json(&inc, &sb);
	else
		app_status_text(&inc, &sb);
	fputs(sb.buf, stdout);
	sb_release(&sb);
	app_incident_release(&inc);
	return 0;
}

static int cmd_log(struct ctx *x)
{
	struct app_request rq;
	char *text;
	int code;
	if ((code = start_action(x, &rq, ACT_LOG)) != 0)
		return code;
	text = join_pos(x, 1);
	if (!*text) {
		free(text);
		return usage_error(x->cmd, "'log' needs a text");
	}
	rq.text = text;
	if (opt(x, "corrects")) {
		char *end;
		long long n;
		errno = 0;
		n = strtoll(opt(x, "corrects"), &end, 10);
		if (errno || *end || n <= 0) {
			free(text);
			return usage_error(x->cmd, "--corrects takes an entry id, not '%s'",
					   opt(x, "corrects"));
		}
		rq.corrects = n;
	}
	code = act(x, &rq);
	free(text);
	return code;
}

static int cmd_metric(struct ctx *x)
{
	struct app_request rq;
	const char *csv = opt(x, "csv");
	const char *names[MAX_POS];
	char *owned[MAX_POS];
	double values[MAX_POS];
	size_t n = 0;
	int code;

	if (csv && x->npos > 1)
		return usage_error(x->cmd, "give readings as NAME=VALUE or --csv FILE, not both");
	if (csv && opt(x, "at"))
		return usage_error(x->cmd, "--at does not apply to --csv (times come from the file)");
	if (!csv && x->npos < 2)
		return usage_error(x->cmd, "'metric' needs NAME=VALUE readings or --csv FILE");
	for (int i = 1; i < x->npos; i++) {
		const char *eq = strchr(x->pos[i], '=');
		if (!eq || eq == x->pos[i])
			return usage_error(x->cmd, "'%s' is not NAME=VALUE", x->pos[i]);
		if (app_parse_reading(eq + 1, &values[n]) < 0)
			return usage_error(x->cmd, "'%s' is not a number in '%s' (a decimal like 12 or 3.5 expected)",
					   eq + 1, x->pos[i]);
		n++;
	}
	if ((code = start_action(x, &rq, ACT_METRIC)) != 0)
		return code;
	if (csv) {
		struct app_outcome out;
		app_outcome_init(&out);
		app_import_csv(x->app, rq.incident, csv, opt(x, "as"), &out);
		code = print_outcome(&out);
		app_outcome_release(&out);
		return code;
	}
	for (size_t i = 0; i < n; i++) {
		const char *arg = x->pos[i + 1];
		owned[i] = xstrndup(arg, (size_t)(strchr(arg, '=') - arg));
		names[i] = owned[i];
	}
	rq.metric_names = names;
	rq.metric_values = values;
	rq.nmetrics = n;
	code = act(x, &rq);
	for (size_t i = 0; i < n; i++)
		free(owned[i]);
	return code;
}

static int cmd_warn(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0)
		return code;
	if ((code = start_action(x, &rq, ACT_WARN)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_lift(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_LIFT)) != 0)
		return code;
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_level(struct ctx *x, enum plan_action kind)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0)
		return code;
	if ((code = start_action(x, &rq, kind)) != 0)
		return code;
	rq.target = opt(x, "to");
	rq.text = opt(x, "reason");
	if (opt(x, "from")) {
		if (rq.target)
			return usage_error(x->cmd, "--from goes with a one-step %s, not with --to",
					   plan_action_names[kind]);
		/* the level the caller saw: the step is refused if it has moved */
		rq.has_seen = 1;
		rq.seen_level = strcmp(opt(x, "from"), "none") ? opt(x, "from") : NULL;
	}
	return act(x, &rq);
}
static int cmd_escalate(struct ctx *x) { return cmd_level(x, ACT_ESCALATE); }
static int cmd_downgrade(struct ctx *x) { return cmd_level(x, ACT_DOWNGRADE); }

static int cmd_assess(struct ctx *x)
{
	static const char *const dims[4] = { "scope", "recovery", "criticality", "risk" };
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_ASSESS)) != 0)
		return code;
	/* the four of the hotline plan's matrix (DESIGN), then any other
	 * dimension the incident's plan declares; app checks them all */
	for (int i = 0; i < 4; i++) {
		if (!opt(x, dims[i]))
			continue;
		rq.assess_dims[rq.nassess] = dims[i];
		rq.assess_values[rq.nassess++] = opt(x, dims[i]);
	}
	for (int i = 0; i < x->ndims; i++) {
		if (rq.nassess == 4)
			return usage_error(x->cmd, "a plan's matrix has at most 4 dimensions");
		rq.assess_dims[rq.nassess] = x->dim_name[i];
		rq.assess_values[rq.nassess++] = x->dim_val[i];
	}
	if (rq.nassess == 0)
		return usage_error(x->cmd, "'assess' needs a value for each dimension of the plan's matrix");
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_attest(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_ATTEST)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_done(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_DONE)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, "note");
	return act(x, &rq);
}

static int cmd_terminate(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0)
		return code;
	if ((code = start_action(x, &rq, ACT_TERMINATE)) != 0)
		return code;
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_handover(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0)
		return code;
	if ((code = start_action(x, &rq, ACT_HANDOVER)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_note_review(struct ctx *x)
{
	struct app_request rq;
	char *text;
	int code;
	if ((code = start_action(x, &rq, ACT_NOTE_REVIEW)) != 0)
		return code;
	text = join_pos(x, 2);
	rq.target = x->pos[1];
	rq.text = text;
	code = act(x, &rq);
	free(text);
	return code;
}

static int cmd_timeline(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *fmt = opt(x, "format") ? opt(x, "format") : "text";
	int code;
	if (strcmp(fmt, "text") && strcmp(fmt, "md") && strcmp(fmt, "csv") && strcmp(fmt, "json"))
		return usage_error(x->cmd, "unknown format '%s' (text, md, csv or json)", fmt);
	if ((code = parse_id(x, x->pos[0], &id)) != 0 || (code = open_app(x, 0)) != 0)
		return code;
	sb_init(&sb);
	code = app_timeline(x->app, id, fmt, &sb, &err);
	if (code == 0 && (!strcmp(fmt, "text") || !strcmp(fmt, "md")))
		put_safe(stdout, sb.buf, 1);   /* belt and braces: never raw control characters */
	else if (code == 0)
		fwrite(sb.buf, 1, sb.len, stdout);
	sb_release(&sb);
	return fail_with(&err, code);
}

static int write_file(const char *path, const struct strbuf *sb)
{
	FILE *fp = fopen(path, "w");
	if (!fp || fwrite(sb->buf, 1, sb->len, fp) != sb->len) {
		errorf("cannot write '%s': %s", path, strerror(errno));
		if (fp)
			fclose(fp);
		return SITREP_EXIT_STORAGE;
	}
	if (fclose(fp) != 0) {
		errorf("cannot write '%s': %s", path, strerror(errno));
		return SITREP_EXIT_STORAGE;
	}
	return 0;
}

static int cmd_report(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT, svg = STRBUF_INIT;
	const char *fmt = opt(x, "format") ? opt(x, "format") : "md";
	const char *outp = opt(x, "out");
	int code;
	if (strcmp(fmt, "md") && strcmp(fmt, "html"))
		return usage_error(x->cmd, "unknown format '%s' (md or html)", fmt);
	if ((code = parse_id(x, x->pos[0], &id)) != 0 || (code = open_app(x, 0)) != 0)
		return code;
	sb_init(&sb);
	sb_init(&svg);
	code = app_report(x->app, id, fmt, &sb, outp && strcmp(fmt, "md") == 0 ? &svg : NULL, &err);
	if (code == 0 && !outp) {
		put_safe(stdout, sb.buf, 1);
	} else if (code == 0) {
		code = write_file(outp, &sb);
		if (code == 0 && svg.len) {
			/* The Markdown links the chart by a fixed name, beside the file. */
			struct strbuf path = STRBUF_INIT, name = STRBUF_INIT;
			const char *slash = strrchr(outp, '/');
			sb_init(&path);
			sb_init(&name);
			app_report_svg_name(id, &name);
			if (slash)
				sb_add(&path, outp, (size_t)(slash - outp) + 1);
			sb_adds(&path, name.buf);
			code = write_file(path.buf, &svg);
			if (code == 0)
				fprintf(stderr, "sitrep: wrote '%s' and '%s'\n", outp, path.buf);
			sb_release(&path);
			sb_release(&name);
		}
	}
	sb_release(&sb);
	sb_release(&svg);
	return fail_with(&err, code);
}

static int cmd_brief(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	int code;
	if ((code = parse_id(x, x->pos[0], &id)) != 0 || (code = open_app(x, 0)) != 0)
		return code;
	sb_init(&sb);
	code = app_brief(x->app, id, &sb, &err);
	if (code == 0)
		put_safe(stdout, sb.buf, 1);
	sb_release(&sb);
	return fail_with(&err, code);
}

static int cmd_stats(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	int code;
	if ((code = open_app(x, 1)) != 0)
		return code;
	sb_init(&sb);
	code = app_stats(x->app, opt(x, "plan"), flag(x, "drills"), &sb, &err);
	if (code == 0)
		put_safe(stdout, sb.buf, 1);
	sb_release(&sb);
	return fail_with(&err, code);
}

static int cmd_simulate(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *db = x->db;
	int code;
	x->db = db ? db : ":memory:";
	if ((code = open_app(x, 0)) != 0)
		return code;
	sb_init(&sb);
	code = scenario_run(x->app, x->pos[0], x->pos[1], &sb, &err);
	fwrite(sb.buf, 1, sb.len, stdout);
	sb_release(&sb);
	if (code == SITREP_EXIT_REFUSED) {
		/* an unmet expectation: the output already says which */
		err_release(&err);
		return code;
	}
	return fail_with(&err, code);
}

static int cmd_demo(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	int code;
	if ((code = open_app(x, 0)) != 0)
		return code;
	sb_init(&sb);
	code = scenario_demo(x->app, &sb, &err);
	fwrite(sb.buf, 1, sb.len, stdout);
	sb_release(&sb);
	return fail_with(&err, code);
}

static int cmd_verify(struct ctx *x)
{
	int64_t id = 0;
	struct strbuf msg = STRBUF_INIT;
	int code;
	if (x->npos && (code = parse_id(x, x->pos[0], &id)) != 0)
		return code;
	if ((code = open_app(x, 1)) != 0)
		return code;
	sb_init(&msg);
	code = app_verify(x->app, id, opt(x, "head"), &msg);
	while (msg.len && msg.buf[msg.len - 1] == '\n')
		msg.buf[--msg.len] = '\0';
	if (code == 0) {
		if (msg.len) {
			put_safe(stdout, msg.buf, 1);
			fputc('\n', stdout);
		} else {
			puts("ok: the hash chain verifies");
		}
	} else {
		errorf("%s", msg.len ? msg.buf : "verification failed");
	}
	sb_release(&msg);
	return code;
}

/* ---- the table ---- */

#define AT_HELP "  --at T           when it happened: ISO 8601 or 'now' (not in the future)\n"
#define FROM_HELP "  --from LEVEL     step only if the level is still LEVEL ('none' before a response)\n"
#define AS_HELP "  --as ROLE        act in this role (plans with a roster)\n"

static const struct cmd commands[] = {
	{ "plan check", cmd_plan_check, "plan check FILE...",
	  "validate plan files; errors as FILE:LINE:COL: message (exit 3)", 1, -1, { NULL }, NULL },
	{ "plan show", cmd_plan_show, "plan show NAME",
	  "levels, warnings, triggers, criteria, deadlines and roles of a plan", 1, 1, { NULL }, NULL },
	{ "open", cmd_open, "open --plan NAME [--drill] [--at T] TITLE",
	  "open an incident under a plan; prints the new incident id", 1, -1,
	  { "plan=", "drill", "at=", "as=" },
	  "  --plan NAME      plan id or file stem in the plans folder\n"
	  "  --drill          an exercise: left out of statistics\n" AT_HELP AS_HELP },
	{ "list", cmd_list, "list [--all]",
	  "incidents, newest first (terminated ones only with --all)", 0, 0, { "all" }, NULL },
	{ "status", cmd_status, "status ID [--at T] [--json]",
	  "state of an incident as of T (default now)", 1, 1, { "at=", "json" },
	  AT_HELP "  --json           the status object (see sitrep(1))\n" },
	{ "log", cmd_log, "log ID [--at T] [--corrects ENTRY] TEXT", "add a note to the journal", 2, -1,
	  { "at=", "as=", "corrects=" }, AT_HELP AS_HELP
	  "  --corrects ENTRY  the note corrects that earlier entry (nothing is ever edited)\n" },
	{ "metric", cmd_metric, "metric ID NAME=VALUE... [--at T] | metric ID --csv FILE|-",
	  "record metric readings (may raise warnings or level proposals)", 1, -1,
	  { "at=", "csv=", "as=" },
	  AT_HELP "  --csv FILE|-     import time,name,value lines in one transaction\n" AS_HELP },
	{ "warn", cmd_warn, "warn ID blue|yellow --reason TEXT", "raise a warning by hand", 2, 2,
	  { "reason=", "at=", "as=" }, "  --reason TEXT    why (required)\n" AT_HELP AS_HELP },
	{ "lift", cmd_lift, "lift ID [--reason TEXT]",
	  "lift the warning (refused unless the lift criteria hold)", 1, 1,
	  { "reason=", "at=", "as=" }, AT_HELP AS_HELP },
	{ "escalate", cmd_escalate, "escalate ID [--to LEVEL] --reason TEXT",
	  "one level more severe (or --to a level)", 1, 1, { "to=", "reason=", "at=", "as=", "from=" },
	  "  --to LEVEL       target level id\n  --reason TEXT    why (required)\n" FROM_HELP AT_HELP AS_HELP },
	{ "downgrade", cmd_downgrade, "downgrade ID [--to LEVEL] --reason TEXT",
	  "one level less severe (or --to a level)", 1, 1, { "to=", "reason=", "at=", "as=", "from=" },
	  "  --to LEVEL       target level id\n  --reason TEXT    why (required)\n" FROM_HELP AT_HELP AS_HELP },
	{ "assess", cmd_assess,
	  "assess ID --scope S --recovery D --criticality C --risk R",
	  "the level decision matrix: a level proposal from an assessment", 1, 1,
	  { "scope=", "recovery=", "criticality=", "risk=", "reason=", "at=", "as=" },
	  "  --scope S, --recovery D, --criticality C, --risk R   values as the plan lists them\n"
	  "  --DIM VALUE      for plans whose matrix has other dimensions (plan show NAME)\n"
	  "  --reason TEXT    optional note\n" AT_HELP AS_HELP },
	{ "attest", cmd_attest, "attest ID CRITERION [--reason TEXT]",
	  "attest a lift or termination criterion", 2, 2, { "reason=", "at=", "as=" },
	  AT_HELP AS_HELP },
	{ "done", cmd_done, "done ID OBLIGATION [--note TEXT]", "mark an obligation done", 2, 2,
	  { "note=", "at=", "as=" }, AT_HELP AS_HELP },
	{ "terminate", cmd_terminate, "terminate ID --reason TEXT",
	  "end the incident (refused unless every termination criterion holds)", 1, 1,
	  { "reason=", "at=", "as=" }, "  --reason TEXT    why (required)\n" AT_HELP AS_HELP },
	{ "handover", cmd_handover, "handover ID USER --reason TEXT",
	  "hand command to another user", 2, 2, { "reason=", "at=", "as=" },
	  "  --reason TEXT    why (required)\n" AT_HELP AS_HELP },
	{ "timeline", cmd_timeline, "timeline ID [--format text|md|csv|json]",
	  "the incident's history", 1, 1, { "format=" }, NULL },
	{ "report", cmd_report, "report ID [--format md|html] [--out FILE]",
	  "post-incident review with figures and chart", 1, 1, { "format=", "out=" },
	  "  --format md|html  (default md)\n"
	  "  --out FILE       write to FILE (Markdown: the SVG chart beside it)\n" },
	{ "brief", cmd_brief, "brief ID", "ICS-201-style briefing (for handover)", 1, 1,
	  { NULL }, NULL },
	{ "note-review", cmd_note_review, "note-review ID SECTION TEXT",
	  "the team's notes for a review section", 3, -1, { "at=", "as=" }, AT_HELP AS_HELP },
	{ "stats", cmd_stats, "stats [--plan NAME] [--drills]",
	  "figures across incidents, drills excluded (--drills: the drills alone)", 0, 0,
	  { "plan=", "drills" }, NULL },
	{ "simulate", cmd_simulate, "simulate PLAN SCENARIO",
	  "run a scripted scenario and check its expectations", 2, 2, { NULL }, NULL },
	{ "demo", cmd_demo, "demo", "fill the database with a realistic example", 0, 0,
	  { NULL }, NULL },
	{ "verify", cmd_verify, "verify [ID] [--head HASH]", "check the hash chain (exit 5 if broken)",
	  0, 1, { "head=" }, "  --head HASH      the head must be this hash (kept elsewhere)\n" },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_main_help(void)
{
	printf("usage: sitrep [--db PATH] [--plans DIR] [COMMAND [ARGS]]\n\n"
	       "Without a command, open the console.\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  sitrep %s\n      %s\n", commands[i].synopsis, commands[i].help);
	printf("\nexit codes:\n");
#define X(name, val, text) printf("  %d  %s\n", val, text);
	SITREP_EXIT_CODES(X)
#undef X
	printf("\nenvironment: SITREP_DB, SITREP_PLANS, SITREP_NOW (see sitrep(1))\n");
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_main(int argc, char **argv)
{
	struct ctx x;
	const struct cmd *c = NULL;
	int i = 1, code;
	char name[32];

	memset(&x, 0, sizeof(x));
	/* Global options before the command. */
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			print_main_help();
			return 0;
		}
		if (strcmp(a, "--db") == 0 || strcmp(a, "--plans") == 0) {
			if (i + 1 >= argc)
				return usage_error(NULL, "option '%s' needs a value", a);
			if (a[2] == 'd')
				x.db = argv[i + 1];
			else
				x.plans = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(a, "--db=", 5) == 0) {
			x.db = a + 5;
			i++;
			continue;
		}
		if (strncmp(a, "--plans=", 8) == 0) {
			x.plans = a + 8;
			i++;
			continue;
		}
		return usage_error(NULL, "unknown option '%s'", a);
	}
	if (i >= argc) {
		struct app_options o;
		struct sitrep_error err = SITREP_ERROR_INIT;
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			errorf("the console needs a terminal: run it in one, or give a command (sitrep --help)");
			return SITREP_EXIT_USAGE;
		}
		memset(&o, 0, sizeof(o));
		o.db_path = x.db;
		o.plans_dir = x.plans;
		x.app = app_open(&o, &err);
		if (!x.app)
			return fail_with(&err, err.code ? err.code : SITREP_EXIT_STORAGE);
		code = tui_run(x.app);
		app_close(x.app);
		return code;
	}
	if (strcmp(argv[i], "plan") == 0) {
		if (i + 1 >= argc || argv[i + 1][0] == '-') {
			if (i + 1 < argc && (!strcmp(argv[i + 1], "-h") || !strcmp(argv[i + 1], "--help"))) {
				print_help(find_cmd("plan check"));
				print_help(find_cmd("plan show"));
				return 0;
			}
			return usage_error(NULL, "'plan' needs a subcommand: check or show");
		}
		snprintf(name, sizeof(name), "plan %.20s", argv[i + 1]);
		c = find_cmd(name);
		if (!c)
			return usage_error(NULL, "unknown command 'plan %s' (check or show)", argv[i + 1]);
		i += 2;
	} else {
		c = find_cmd(argv[i]);
		if (!c || strncmp(c->name, "plan ", 5) == 0) {
			const char *best = NULL;
			int bd = 3;
			for (size_t k = 0; k < NCOMMANDS; k++) {
				int d = str_distance(argv[i], commands[k].name);
				if (d < bd) {
					bd = d;
					best = commands[k].name;
				}
			}
			if (best)
				return usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", argv[i], best);
			return usage_error(NULL, "unknown command '%s'", argv[i]);
		}
		i++;
	}
	x.cmd = c;
	code = parse_args(&x, argc - i, argv + i);
	if (code >= 0)
		return code;
	code = c->run(&x);
	fflush(stdout);
	if (ferror(stdout) && code == 0)
		code = SITREP_EXIT_STORAGE;
	app_close(x.app);
	return code;
}

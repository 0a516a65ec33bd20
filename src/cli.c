/* cli: argv -> app. One table of commands; each states its positionals and
 * options, and the usage and help texts come from the same table. Options
 * may come before or after positionals; --db and --plans are accepted
 * before the command and after it. Every user text printed goes through
 * the one escaping policy (sitrep/text.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/app.h"
#include "sitrep/cli.h"
#include "sitrep/i18n.h"
#include "sitrep/scenario.h"
#include "sitrep/text.h"
#include "sitrep/tui.h"
#include "sitrep/util.h"

#define MAX_OPTS 12
#define MAX_POS 64

struct ctx;
struct cmd {
	const char *name;
	int (*run)(struct ctx *c);
	const char *synopsis;     /* after "sitrep " */
	const char *help;         /* one line, msgid */
	int min_pos, max_pos;     /* max -1: unlimited */
	const char *opts[MAX_OPTS]; /* "name=" takes a value, "name" is a flag */
	const char *opthelp;      /* option lines for --help (msgid), may be NULL */
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

static void put_safe(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	tx_escape(&sb, s, TX_KEEP_NL);
	fwrite(sb.buf, 1, sb.len, fp);
	sb_release(&sb);
}

static void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void errorf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	fputs("sitrep: ", stderr);
	put_safe(stderr, sb.buf);
	fputc('\n', stderr);
	sb_release(&sb);
}

static int usage_error(const struct cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int usage_error(const struct cmd *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	fputs("sitrep: ", stderr);
	put_safe(stderr, sb.buf);
	if (c)
		fprintf(stderr, _(" (usage: sitrep %s)"), c->synopsis);
	else
		fputs(_(" (see sitrep --help)"), stderr);
	fputc('\n', stderr);
	sb_release(&sb);
	return SITREP_EXIT_USAGE;
}

/* An error from app: its rule when it was refused. */
static int fail_with(struct sitrep_error *err, int code)
{
	if (code) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		err_format(err, &sb);
		if (err->rule && *err->rule && code == SITREP_EXIT_REFUSED)
			errorf(_("refused by rule '%s': %s"), err->rule, sb.len ? sb.buf : "");
		else
			errorf("%s", sb.len ? sb.buf : _("failed"));
		sb_release(&sb);
	}
	err_release(err);
	return code;
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

#define AT_HELP N_("  --at T           when it happened: ISO 8601 or 'now' (not in the future)\n")
#define AS_HELP N_("  --as ROLE        act in this role (plans with a roster)\n")

static int takes_opt(const struct cmd *c, const char *name)
{
	for (size_t i = 0; i < MAX_OPTS && c->opts[i]; i++)
		if (!strcmp(c->opts[i], name))
			return 1;
	return 0;
}

/* The command's own option lines, then --at and --as where it takes them
 * and its lines do not already say them. */
static void print_help(const struct cmd *c)
{
	const char *own = c->opthelp ? c->opthelp : "";
	int at = takes_opt(c, "at=") && !strstr(own, "--at "),
	    as = takes_opt(c, "as=") && !strstr(own, "--as ");
	printf(_("usage: sitrep %s\n\n%s\n"), c->synopsis, _(c->help));
	if (*own || at || as) {
		printf(_("\noptions:\n%s"), *own ? _(own) : "");
		if (at)
			printf("%s", _(AT_HELP));
		if (as)
			printf("%s", _(AS_HELP));
	}
	printf(_("\nglobal options: --db PATH|URL, --plans DIR, -h/--help\n"));
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
			if ((len == 2 && strncmp(name, "db", 2) == 0 && opt_index(x->cmd, "db", 2, &takes) < 0) ||
			    (len == 5 && strncmp(name, "plans", 5) == 0)) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error(x->cmd, _("option '--%.*s' needs a value"), (int)len, name);
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
					return usage_error(x->cmd, _("option '--%.*s' needs a value"), (int)len, name);
				x->dim_val[x->ndims++] = val;
				continue;
			}
			if (k < 0)
				return usage_error(x->cmd, _("unknown option '--%.*s' for '%s'"), (int)len, name,
						   x->cmd->name);
			if (takes) {
				if (eq)
					val = eq + 1;
				else if (i + 1 < argc)
					val = argv[++i];
				else
					return usage_error(x->cmd, _("option '--%.*s' needs a value"), (int)len, name);
			} else if (eq) {
				return usage_error(x->cmd, _("option '--%.*s' takes no value"), (int)len, name);
			}
			x->set[k] = 1;
			x->val[k] = val;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] && !looks_negative_number(a))
			return usage_error(x->cmd, _("unknown option '%s' for '%s'"), a, x->cmd->name);
		if (x->npos >= MAX_POS)
			return usage_error(x->cmd, _("too many arguments"));
		x->pos[x->npos++] = a;
	}
	if (x->npos < x->cmd->min_pos)
		return usage_error(x->cmd, _("'%s' needs more arguments"), x->cmd->name);
	if (x->cmd->max_pos >= 0 && x->npos > x->cmd->max_pos)
		return usage_error(x->cmd, _("too many arguments for '%s'"), x->cmd->name);
	return -1;
}

/* ---- helpers ---- */

static int open_app(struct ctx *x, int read_only)
{
	struct app_options o;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	memset(&o, 0, sizeof(o));
	o.db = x->db;
	o.plans_dir = x->plans;
	o.read_only = read_only;
	x->app = app_open(&o, &err);
	if (x->app)
		return 0;
	code = err.code ? err.code : SITREP_EXIT_STORAGE;
	return fail_with(&err, code);
}

static int parse_id(struct ctx *x, const char *s, int64_t *id, const char *what)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || errno || v <= 0)
		return usage_error(x->cmd, _("'%s' is not %s"), s, what);
	*id = (int64_t)v;
	return 0;
}

static int parse_incident(struct ctx *x, const char *s, int64_t *id)
{
	return parse_id(x, s, id, _("an incident id"));
}

static int parse_at(struct ctx *x, int64_t *at)
{
	const char *s = opt(x, "at");
	*at = 0;
	if (!s)
		return 0;
	if (time_parse(s, app_now(x->app), at) < 0)
		return usage_error(x->cmd, _("'%s' is not a time (ISO 8601, e.g. "
					     "2026-11-20T09:12:00+08:00, or 'now')"), s);
	if (*at > app_now(x->app))
		return usage_error(x->cmd, _("--at is in the future"));
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

/* What a done action prints on stdout: its one-line message, or the id it
 * made, for scripts ('open' and 'task'). */
enum done_print { PRINT_MESSAGE, PRINT_INCIDENT, PRINT_TASK };

static int print_outcome(struct app_outcome *out, enum done_print what)
{
	if (out->code != SITREP_EXIT_OK)
		return fail_with(&out->err, out->code);
	if (what == PRINT_INCIDENT) {
		printf("%" PRId64 "\n", out->incident);
	} else if (what == PRINT_TASK) {
		printf("%s\n", out->id);
	} else {
		put_safe(stdout, out->message ? out->message : _("done"));
		fputc('\n', stdout);
	}
	return 0;
}

static int act_printing(struct ctx *x, struct app_request *rq, enum done_print what)
{
	struct app_outcome out;
	int code;
	rq->role = opt(x, "as");
	app_outcome_init(&out);
	app_act(x->app, rq, &out);
	code = print_outcome(&out, what);
	app_outcome_release(&out);
	return code;
}

static int act(struct ctx *x, struct app_request *rq)
{
	return act_printing(x, rq, PRINT_MESSAGE);
}

/* Common start of incident actions: the id, the app, --at. */
static int start_action(struct ctx *x, struct app_request *rq, enum sitrep_action kind)
{
	int code;
	memset(rq, 0, sizeof(*rq));
	rq->kind = kind;
	if ((code = parse_incident(x, x->pos[0], &rq->incident)) != 0)
		return code;
	if ((code = open_app(x, 0)) != 0)
		return code;
	rq->has_at = opt(x, "at") != NULL; /* epoch 0 is a time like any other */
	return parse_at(x, &rq->at);
}

static int need(struct ctx *x, const char *name)
{
	const char *v = opt(x, name);
	if (!v || !*v)
		return usage_error(x->cmd, _("'%s' needs --%s"), x->cmd->name, name);
	return 0;
}

/* NAME=VALUE readings from positionals starting at `from`. */
static int readings(struct ctx *x, int from, const char **names, char **owned, double *values,
		    size_t *n)
{
	*n = 0;
	for (int i = from; i < x->npos; i++) {
		const char *eq = strchr(x->pos[i], '=');
		if (!eq || eq == x->pos[i])
			return usage_error(x->cmd, _("'%s' is not NAME=VALUE"), x->pos[i]);
		if (app_parse_reading(eq + 1, &values[*n]) < 0)
			return usage_error(x->cmd, _("'%s' is not a number in '%s' (a decimal like 12 or "
						     "3.5, at most 15 digits)"), eq + 1, x->pos[i]);
		owned[*n] = xstrndup(x->pos[i], (size_t)(eq - x->pos[i]));
		names[*n] = owned[*n];
		(*n)++;
	}
	return 0;
}

static void free_owned(char **owned, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(owned[i]);
}

/* Output goes to stdout; a failed write is a storage error (a reader that
 * went away, as `| head` does, is not worth a message). */
static int flushed(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE && !code)
			errorf(_("cannot write the output: %s"), strerror(errno));
		return code ? code : SITREP_EXIT_STORAGE;
	}
	return code;
}

/* ---- commands ---- */

static int cmd_plan_check(struct ctx *x)
{
	int code = 0;
	for (int i = 0; i < x->npos; i++) {
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		if (app_plan_check(x->pos[i], &sb) == 0) {
			put_safe(stdout, sb.buf);
		} else {
			put_safe(stderr, sb.buf);
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
	put_safe(code ? stderr : stdout, sb.buf);
	sb_release(&sb);
	return code;
}

static int cmd_open(struct ctx *x)
{
	struct app_request rq;
	char *title;
	int code;
	memset(&rq, 0, sizeof(rq));
	if ((code = need(x, "plan")) != 0)
		return code;
	title = join_pos(x, 0);
	if (!*title) {
		free(title);
		return usage_error(x->cmd, _("'open' needs a title"));
	}
	if ((code = open_app(x, 0)) != 0 || (code = parse_at(x, &rq.at)) != 0) {
		free(title);
		return code;
	}
	rq.has_at = opt(x, "at") != NULL;
	rq.kind = ACT_OPEN;
	rq.plan = opt(x, "plan");
	rq.drill = flag(x, "drill");
	rq.text = title;
	code = act_printing(x, &rq, PRINT_INCIDENT);
	free(title);
	return code;
}

static int cmd_list(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if ((code = open_app(x, 1)) != 0)
		return code;
	code = app_list_write(x->app, flag(x, "all"), stdout, &err);
	return fail_with(&err, code);
}

static int cmd_status(struct ctx *x)
{
	int64_t id, at;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if ((code = parse_incident(x, x->pos[0], &id)) != 0 || (code = open_app(x, 1)) != 0 ||
	    (code = parse_at(x, &at)) != 0)
		return code;
	code = app_status(x->app, id, at, flag(x, "json"), stdout, &err);
	return fail_with(&err, code);
}

static int cmd_log(struct ctx *x)
{
	struct app_request rq;
	char *text;
	int code;
	if ((code = start_action(x, &rq, ACT_LOG)) != 0)
		return code;
	if (opt(x, "corrects") &&
	    (code = parse_id(x, opt(x, "corrects"), &rq.entry, _("an entry id"))) != 0)
		return code;
	text = join_pos(x, 1);
	rq.text = text;
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
		return usage_error(x->cmd, _("give readings as NAME=VALUE or --csv FILE, not both"));
	if (csv && opt(x, "at"))
		return usage_error(x->cmd, _("--at does not apply to --csv (times come from the file)"));
	if (!csv && x->npos < 2)
		return usage_error(x->cmd, _("'metric' needs NAME=VALUE readings or --csv FILE"));
	if ((code = readings(x, 1, names, owned, values, &n)) != 0) {
		free_owned(owned, n);
		return code;
	}
	if ((code = start_action(x, &rq, ACT_METRIC)) != 0) {
		free_owned(owned, n);
		return code;
	}
	if (csv) {
		struct app_outcome out;
		app_outcome_init(&out);
		app_import_csv(x->app, rq.incident, csv, opt(x, "as"), &out);
		code = print_outcome(&out, PRINT_MESSAGE);
		app_outcome_release(&out);
		return code;
	}
	rq.metric_names = names;
	rq.metric_values = values;
	rq.nmetrics = n;
	code = act(x, &rq);
	free_owned(owned, n);
	return code;
}

static int cmd_correct(struct ctx *x)
{
	struct app_request rq;
	const char *names[MAX_POS];
	char *owned[MAX_POS];
	double values[MAX_POS];
	size_t n = 0;
	int code;
	if ((code = need(x, "reason")) != 0)
		return code;
	if ((code = readings(x, 2, names, owned, values, &n)) != 0 ||
	    (code = start_action(x, &rq, ACT_CORRECT)) != 0 ||
	    (code = parse_id(x, x->pos[1], &rq.entry, _("an entry id"))) != 0) {
		free_owned(owned, n);
		return code;
	}
	rq.text = opt(x, "reason");
	rq.metric_names = names;
	rq.metric_values = values;
	rq.nmetrics = n;
	code = act(x, &rq);
	free_owned(owned, n);
	return code;
}

static int cmd_warn(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0 || (code = start_action(x, &rq, ACT_WARN)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, "reason");
	rq.scope = opt(x, "scope");
	rq.expected = opt(x, "expected");
	rq.measures = opt(x, "measures");
	if (rq.expected) {
		int64_t d;
		if (dur_parse(rq.expected, &d) < 0)
			return usage_error(x->cmd, _("'%s' is not a duration (30m, 2h, 1h30m, 3d)"),
					   rq.expected);
	}
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

static int cmd_level(struct ctx *x, enum sitrep_action kind)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0 || (code = start_action(x, &rq, kind)) != 0)
		return code;
	rq.target = opt(x, "to");
	rq.text = opt(x, "reason");
	if (opt(x, "from")) {
		if (rq.target)
			return usage_error(x->cmd, _("--from goes with a one-step %s, not with --to"),
					   action_name(kind));
		/* the level the caller saw: the step is refused if it has moved */
		rq.has_seen = 1;
		rq.seen_level = strcmp(opt(x, "from"), "none") ? opt(x, "from") : NULL;
	}
	return act(x, &rq);
}
static int cmd_escalate(struct ctx *x) { return cmd_level(x, ACT_ESCALATE); }
static int cmd_downgrade(struct ctx *x) { return cmd_level(x, ACT_DOWNGRADE); }

static int cmd_accept(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_ACCEPT)) != 0)
		return code;
	rq.target = opt(x, "level");
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

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
			return usage_error(x->cmd, _("a plan's matrix has at most 4 dimensions"));
		rq.assess_dims[rq.nassess] = x->dim_name[i];
		rq.assess_values[rq.nassess++] = x->dim_val[i];
	}
	if (rq.nassess == 0)
		return usage_error(x->cmd, _("'assess' needs a value for each dimension of the plan's "
					     "matrix"));
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

/* The commands that name one target and take an optional text. */
static int target_action(struct ctx *x, enum sitrep_action kind, const char *text_opt)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, kind)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, text_opt);
	if (x->npos > 2)
		rq.person = x->pos[2];
	return act(x, &rq);
}

static int cmd_attest(struct ctx *x) { return target_action(x, ACT_ATTEST, "reason"); }
static int cmd_done(struct ctx *x) { return target_action(x, ACT_DONE, "note"); }
static int cmd_assign(struct ctx *x) { return target_action(x, ACT_ASSIGN, "reason"); }
static int cmd_unassign(struct ctx *x) { return target_action(x, ACT_UNASSIGN, "reason"); }
static int cmd_owner(struct ctx *x) { return target_action(x, ACT_OWNER, "reason"); }
static int cmd_approve(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_APPROVE)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.text = opt(x, "note");
	rq.message = opt(x, "text");
	return act(x, &rq);
}

static int cmd_terminate(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = need(x, "reason")) != 0 || (code = start_action(x, &rq, ACT_TERMINATE)) != 0)
		return code;
	rq.text = opt(x, "reason");
	return act(x, &rq);
}

static int cmd_handover(struct ctx *x)
{
	if (need(x, "reason"))
		return SITREP_EXIT_USAGE;
	return target_action(x, ACT_HANDOVER, "reason");
}

static int cmd_task(struct ctx *x)
{
	struct app_request rq;
	const char *due = opt(x, "due");
	char *title;
	int code;
	if ((code = start_action(x, &rq, ACT_TASK)) != 0)
		return code;
	if (due) {
		if (dur_parse(due, &rq.due_in) < 0 || rq.due_in <= 0) {
			rq.due_in = 0;
			if (time_parse(due, app_now(x->app), &rq.due) < 0)
				return usage_error(x->cmd, _("'%s' is neither a time (ISO 8601) nor a duration "
							     "(30m, 2h, 3d)"), due);
		}
	}
	title = join_pos(x, 1);
	rq.text = title;
	rq.person = opt(x, "owner");
	rq.followup = flag(x, "followup");
	code = act_printing(x, &rq, PRINT_TASK);
	free(title);
	return code;
}

static int cmd_tasks(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if ((code = open_app(x, 1)) != 0)
		return code;
	code = app_tasks_write(x->app, flag(x, "all"), opt(x, "person"), flag(x, "json"), stdout, &err);
	return fail_with(&err, code);
}

static int cmd_resource(struct ctx *x)
{
	struct app_request rq;
	int code;
	if (strcmp(x->pos[1], "deploy") && strcmp(x->pos[1], "withdraw"))
		return usage_error(x->cmd, _("'%s': deploy or withdraw"), x->pos[1]);
	if ((code = start_action(x, &rq, ACT_RESOURCE)) != 0)
		return code;
	rq.withdraw = !strcmp(x->pos[1], "withdraw");
	rq.target = x->pos[2];
	rq.text = opt(x, "note");
	rq.count = 1;
	if (x->npos > 3 && (code = parse_id(x, x->pos[3], &rq.count, _("a count (a whole number, 1 or "
									"more)"))) != 0)
		return code;
	return act(x, &rq);
}

static int cmd_notices(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if ((code = parse_incident(x, x->pos[0], &id)) != 0 || (code = open_app(x, 1)) != 0)
		return code;
	code = app_notices(x->app, id, flag(x, "json"), stdout, &err);
	return fail_with(&err, code);
}

static int cmd_notify(struct ctx *x)
{
	struct app_request rq;
	int code;
	if ((code = start_action(x, &rq, ACT_NOTIFY)) != 0)
		return code;
	rq.target = x->pos[1];
	rq.channel = opt(x, "channel");
	rq.message = opt(x, "text");
	rq.by_hand = opt(x, "by-hand");
	if (rq.by_hand && !*rq.by_hand)
		return usage_error(x->cmd, _("--by-hand needs a note (how it was given)"));
	if (rq.by_hand && rq.channel)
		return usage_error(x->cmd, _("--by-hand or --channel, not both"));
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
	struct app_export ex;
	int code;
	memset(&ex, 0, sizeof(ex));
	ex.format = opt(x, "format") ? opt(x, "format") : "text";
	ex.bom = flag(x, "bom");
	if (strcmp(ex.format, "text") && strcmp(ex.format, "md") && strcmp(ex.format, "csv") &&
	    strcmp(ex.format, "json"))
		return usage_error(x->cmd, _("unknown format '%s' (text, md, csv or json)"), ex.format);
	if (ex.bom && strcmp(ex.format, "csv"))
		return usage_error(x->cmd, _("--bom goes with --format csv"));
	if ((code = parse_incident(x, x->pos[0], &id)) != 0 || (code = open_app(x, 0)) != 0)
		return code;
	code = app_timeline(x->app, id, &ex, stdout, &err);
	return fail_with(&err, code);
}

static FILE *create_out(const char *path)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		errorf(_("cannot write '%s': %s"), path, strerror(errno));
	return fp;
}

static int close_out(FILE *fp, const char *path)
{
	int bad = ferror(fp);
	if (fclose(fp) != 0 || bad) {
		errorf(_("cannot write '%s': %s"), path, strerror(errno ? errno : EIO));
		return SITREP_EXIT_STORAGE;
	}
	return 0;
}

static int cmd_report(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	const char *fmt = opt(x, "format") ? opt(x, "format") : "md";
	const char *outp = opt(x, "out");
	struct strbuf svgpath = STRBUF_INIT;
	FILE *out = stdout, *svg = NULL;
	int code;
	if (strcmp(fmt, "md") && strcmp(fmt, "html") && strcmp(fmt, "json"))
		return usage_error(x->cmd, _("unknown format '%s' (md, html or json)"), fmt);
	if ((code = parse_incident(x, x->pos[0], &id)) != 0 || (code = open_app(x, 0)) != 0)
		return code;
	sb_init(&svgpath);
	if (outp) {
		if (!(out = create_out(outp)))
			return SITREP_EXIT_STORAGE;
		if (!strcmp(fmt, "md")) {
			/* the Markdown links the chart by a fixed name, beside the file */
			struct strbuf name = STRBUF_INIT;
			const char *slash = strrchr(outp, '/');
			sb_init(&name);
			app_report_svg_name(id, &name);
			if (slash)
				sb_add(&svgpath, outp, (size_t)(slash - outp) + 1);
			sb_adds(&svgpath, name.buf);
			sb_release(&name);
			if (!(svg = create_out(svgpath.buf))) {
				fclose(out);
				sb_release(&svgpath);
				return SITREP_EXIT_STORAGE;
			}
		}
	}
	code = app_report(x->app, id, fmt, out, svg, &err);
	if (outp) {
		int c1 = close_out(out, outp), c2 = svg ? close_out(svg, svgpath.buf) : 0;
		if (!code)
			code = c1 ? c1 : c2;
		if (!code)
		{
			if (svg)
				errorf(_("wrote '%s' and '%s'"), outp, svgpath.buf);
			else
				errorf(_("wrote '%s'"), outp);
		}
	} else {
		code = flushed(code);
	}
	sb_release(&svgpath);
	return fail_with(&err, code);
}

static int cmd_brief(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if ((code = parse_incident(x, x->pos[0], &id)) != 0 || (code = open_app(x, 0)) != 0)
		return code;
	code = app_brief(x->app, id, stdout, &err);
	return fail_with(&err, code);
}

static int cmd_stats(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if ((code = open_app(x, 1)) != 0)
		return code;
	code = app_stats(x->app, opt(x, "plan"), flag(x, "drills"), stdout, &err);
	return fail_with(&err, code);
}

static int cmd_simulate(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	x->db = x->db ? x->db : ":memory:";
	if ((code = open_app(x, 0)) != 0)
		return code;
	code = scenario_run(x->app, x->pos[0], x->pos[1], stdout, &err);
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
	char *db = NULL;
	int code;
	if (opt(x, "db"))
		x->db = opt(x, "db");
	if (!x->db) {
		/* its own database, never the real one: demo.db beside it, or in
		 * the default data folder when the journal is a PostgreSQL URL */
		char *real = app_resolve_db(NULL);
		char *slash;
		struct strbuf sb = STRBUF_INIT;
		sb_init(&sb);
		if (!strncmp(real, "postgresql://", 13) || !strncmp(real, "postgres://", 11)) {
			const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
			free(real);
			real = NULL;
			if (xdg && *xdg == '/')
				sb_addf(&sb, "%s/sitrep/", xdg);
			else if (home && *home)
				sb_addf(&sb, "%s/.local/share/sitrep/", home);
		} else if ((slash = strrchr(real, '/'))) {
			sb_add(&sb, real, (size_t)(slash - real) + 1);
		}
		sb_adds(&sb, "demo.db");
		db = sb_detach(&sb);
		free(real);
		x->db = db;
	}
	if ((code = open_app(x, 0)) == 0) {
		code = scenario_demo(x->app, stdout, &err);
		code = fail_with(&err, code);
	}
	free(db);
	return code;
}

static int cmd_verify(struct ctx *x)
{
	int64_t id = 0;
	struct strbuf msg = STRBUF_INIT;
	int code;
	if (x->npos && (code = parse_incident(x, x->pos[0], &id)) != 0)
		return code;
	if ((code = open_app(x, 1)) != 0)
		return code;
	sb_init(&msg);
	code = app_verify(x->app, id, opt(x, "head"), &msg);
	while (msg.len && msg.buf[msg.len - 1] == '\n')
		msg.buf[--msg.len] = '\0';
	if (code == 0) {
		if (msg.len) {
			put_safe(stdout, msg.buf);
			fputc('\n', stdout);
		} else {
			puts(_("ok: the hash chain verifies, and every anchor it holds"));
		}
	} else {
		errorf("%s", msg.len ? msg.buf : _("verification failed"));
	}
	sb_release(&msg);
	return code;
}

static int cmd_head(struct ctx *x)
{
	int64_t id;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf sb = STRBUF_INIT;
	int code;
	if ((code = parse_incident(x, x->pos[0], &id)) != 0 || (code = open_app(x, 1)) != 0)
		return code;
	sb_init(&sb);
	if ((code = app_head(x->app, id, &sb, &err)) == 0)
		fputs(sb.buf, stdout);
	sb_release(&sb);
	return fail_with(&err, code);
}

static int cmd_migrate(struct ctx *x)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct strbuf msg = STRBUF_INIT;
	int code;
	if ((code = need(x, "to")) != 0 || (code = open_app(x, 1)) != 0)
		return code;
	sb_init(&msg);
	code = app_migrate(x->app, opt(x, "to"), &msg, &err);
	if (code == 0) {
		put_safe(stdout, msg.buf);
		fputc('\n', stdout);
	} else if (msg.len && !err.msg) {
		errorf("%s", msg.buf);
	}
	sb_release(&msg);
	return fail_with(&err, code);
}

/* `sitrep complete KIND [ID]`: candidates for shell completion, one per
 * line (scripts/sitrep.bash-completion). Quiet on any failure. */
static int cmd_complete(struct ctx *x)
{
	const char *kind = x->pos[0];
	struct sitrep_error err = SITREP_ERROR_INIT;
	if (!strcmp(kind, "sections")) {
		for (int i = 0; i < SECTION__COUNT; i++)
			puts(section_name(i));
		return 0;
	}
	if (open_app(x, 1) != 0)
		return 0;
	if (!strcmp(kind, "incidents")) {
		struct view_list l;
		if (app_list(x->app, 1, &l, &err) == 0) {
			for (size_t i = 0; i < l.n; i++)
				printf("%" PRId64 "\n", l.v[i].id);
			view_list_release(&l);
		}
	} else if (!strcmp(kind, "plans")) {
		struct view_plans pl;
		app_plans(x->app, &pl);
		for (size_t i = 0; i < pl.n; i++)
			puts(pl.v[i].id);
		view_plans_release(&pl);
	} else if (!strcmp(kind, "people")) {
		struct view_name *people;
		size_t n = app_people(x->app, &people);
		for (size_t i = 0; i < n; i++)
			puts(people[i].id);
	} else if (x->npos > 1) {
		struct view_incident v;
		int64_t id;
		if (parse_incident(x, x->pos[1], &id) != 0 || app_incident(x->app, id, 0, &v, &err) != 0) {
			err_release(&err);
			return 0;
		}
		if (!strcmp(kind, "levels"))
			for (size_t i = 0; i < v.nlevels; i++)
				puts(v.levels[i].id);
		if (!strcmp(kind, "warnings"))
			for (size_t i = 0; i < v.nwarnings; i++)
				puts(v.warnings[i].id);
		if (!strcmp(kind, "criteria"))
			for (size_t i = 0; i < v.nattestable; i++)
				puts(v.attestable[i].id);
		if (!strcmp(kind, "obligations")) {
			for (size_t i = 0; i < v.ndeadlines; i++)
				puts(v.deadlines[i].id);
		}
		if (!strcmp(kind, "roles"))
			for (size_t i = 0; i < v.nroles; i++)
				puts(v.roles[i].id);
		if (!strcmp(kind, "items"))
			for (size_t i = 0; i < v.nresources; i++)
				puts(v.resources[i].id);
		if (!strcmp(kind, "notices"))
			for (size_t i = 0; i < v.nnotices; i++)
				puts(v.notices[i].id);
		if (!strcmp(kind, "metrics"))
			for (size_t i = 0; i < v.nmetrics; i++)
				printf("%s=\n", v.metrics[i].id);
		view_incident_release(&v);
	}
	err_release(&err);
	return 0;
}

/* ---- the table ---- */


static const struct cmd commands[] = {
	{ "plan check", cmd_plan_check, "plan check FILE...",
	  N_("validate plan, contacts or channels files; errors as FILE:LINE:COL: message (exit 3)"),
	  1, -1, { NULL }, NULL },
	{ "plan show", cmd_plan_show, "plan show NAME",
	  N_("levels, warnings, triggers, criteria, deadlines, notices and roles of a plan"), 1, 1,
	  { NULL }, NULL },
	{ "open", cmd_open, "open --plan NAME [--drill] [--at T] TITLE",
	  N_("open an incident under a plan; prints the new incident id"), 1, -1,
	  { "plan=", "drill", "at=", "as=" },
	  N_("  --plan NAME      plan id or file stem in the plans folder\n"
	     "  --drill          an exercise: left out of statistics\n"
	     "  --at T           when it happened: ISO 8601 or 'now' (not in the future)\n"
	     "  --as ROLE        act in this role (plans with a roster)\n") },
	{ "list", cmd_list, "list [--all]",
	  N_("incidents, newest first (terminated ones only with --all)"), 0, 0, { "all" }, NULL },
	{ "status", cmd_status, "status ID [--at T] [--json]", N_("state of an incident as of T (default now)"),
	  1, 1, { "at=", "json" }, N_("  --at T           as of this time\n"
				       "  --json           the status object (see sitrep(1))\n") },
	{ "log", cmd_log, "log ID [--at T] [--corrects ENTRY] TEXT", N_("add a note to the journal"), 2, -1,
	  { "at=", "as=", "corrects=" }, N_("  --corrects ENTRY the note says what was wrong with that entry\n") },
	{ "metric", cmd_metric, "metric ID NAME=VALUE... [--at T] | metric ID --csv FILE|-",
	  N_("record metric readings (may raise warnings or level proposals)"), 1, -1,
	  { "at=", "csv=", "as=" }, N_("  --csv FILE|-     import time,name,value lines in one transaction\n") },
	{ "correct", cmd_correct, "correct ID ENTRY --reason TEXT [NAME=VALUE...]",
	  N_("void a reading (no values) or replace its values; what it caused is derived anew"), 2, -1,
	  { "reason=", "as=" }, N_("  --reason TEXT    why (required)\n") },
	{ "warn", cmd_warn, "warn ID blue|yellow --reason TEXT [--scope TEXT] [--expected DURATION] [--measures TEXT]",
	  N_("raise a warning by hand, with what its notice says"), 2, 2,
	  { "reason=", "at=", "as=", "scope=", "expected=", "measures=" },
	  N_("  --reason TEXT    why (required)\n  --scope TEXT     who and what is affected\n"
	     "  --expected D     how long it is expected to last (30m, 2h)\n"
	     "  --measures TEXT  the first measures taken\n") },
	{ "lift", cmd_lift, "lift ID [--reason TEXT]",
	  N_("lift the warning (refused unless the lift criteria hold)"), 1, 1,
	  { "reason=", "at=", "as=" }, NULL },
	{ "escalate", cmd_escalate, "escalate ID [--to LEVEL] [--from LEVEL|none] --reason TEXT",
	  N_("one level more severe (or --to a level)"), 1, 1, { "to=", "reason=", "at=", "as=", "from=" },
	  N_("  --to LEVEL       target level id\n  --reason TEXT    why (required)\n"
	     "  --from LEVEL     step only if the level is still LEVEL ('none' before a response)\n") },
	{ "downgrade", cmd_downgrade, "downgrade ID [--to LEVEL] [--from LEVEL] --reason TEXT",
	  N_("one level less severe (or --to a level)"), 1, 1, { "to=", "reason=", "at=", "as=", "from=" },
	  N_("  --to LEVEL       target level id\n  --reason TEXT    why (required)\n"
	     "  --from LEVEL     step only if the level is still LEVEL\n") },
	{ "accept", cmd_accept, "accept ID [--level LEVEL] [--reason TEXT]",
	  N_("accept a pending level proposal (the most severe unless --level)"), 1, 1,
	  { "level=", "reason=", "at=", "as=" }, NULL },
	{ "assess", cmd_assess, "assess ID --scope S --recovery D --criticality C --risk R",
	  N_("the level decision matrix: a level proposal from an assessment"), 1, 1,
	  { "scope=", "recovery=", "criticality=", "risk=", "reason=", "at=", "as=" },
	  N_("  --scope S, --recovery D, --criticality C, --risk R   values as the plan lists them\n"
	     "  --DIM VALUE      for plans whose matrix has other dimensions (plan show NAME)\n") },
	{ "attest", cmd_attest, "attest ID CRITERION [--reason TEXT]",
	  N_("attest a lift or termination criterion"), 2, 2, { "reason=", "at=", "as=" }, NULL },
	{ "done", cmd_done, "done ID OBLIGATION|TASK [--note TEXT]", N_("mark an obligation or task done"),
	  2, 2, { "note=", "at=", "as=" }, NULL },
	{ "assign", cmd_assign, "assign ID ROLE PERSON [--reason TEXT]",
	  N_("a person takes a role on this incident (ICS-203)"), 3, 3, { "reason=", "at=", "as=" }, NULL },
	{ "unassign", cmd_unassign, "unassign ID ROLE PERSON [--reason TEXT]",
	  N_("a person leaves a role on this incident"), 3, 3, { "reason=", "at=", "as=" }, NULL },
	{ "owner", cmd_owner, "owner ID OBLIGATION|TASK PERSON", N_("the named person who carries it"),
	  3, 3, { "reason=", "at=", "as=" }, NULL },
	{ "task", cmd_task, "task ID TITLE [--owner PERSON] [--due T|DURATION] [--followup]",
	  N_("an ad-hoc task (or a review follow-up); prints its id"), 2, -1,
	  { "owner=", "due=", "followup", "at=", "as=" },
	  N_("  --owner PERSON   who carries it\n  --due T|D        a time, or a duration from now\n"
	     "  --followup       an action item of the review (due in 7 days unless --due)\n") },
	{ "tasks", cmd_tasks, "tasks [--all] [--person PERSON] [--json]",
	  N_("open deadlines, tasks and follow-ups of every live incident, soonest due first"), 0, 0,
	  { "all", "person=", "json" }, NULL },
	{ "resource", cmd_resource, "resource ID deploy|withdraw ITEM [COUNT] [--note TEXT]",
	  N_("move counts of the plan's resources ledger"), 3, 4, { "note=", "at=", "as=" }, NULL },
	{ "notices", cmd_notices, "notices ID [--json]",
	  N_("the notices the plan requires: due, sent, failed"), 1, 1, { "json" }, NULL },
	{ "notify", cmd_notify, "notify ID NOTICE [--channel NAME] [--text TEXT] [--by-hand NOTE]",
	  N_("send a notice through a channel, or record it given by hand (exit 6: not delivered)"), 2, 2,
	  { "channel=", "text=", "by-hand=", "as=" }, NULL },
	{ "approve", cmd_approve, "approve ID NOTICE [--text WORDING] [--note TEXT]",
	  N_("approve a notice's wording (the draft, or --text): only that wording is sent"), 2, 2,
	  { "text=", "note=", "as=" }, NULL },
	{ "terminate", cmd_terminate, "terminate ID --reason TEXT",
	  N_("end the incident (refused unless every termination criterion holds)"), 1, 1,
	  { "reason=", "at=", "as=" }, NULL },
	{ "handover", cmd_handover, "handover ID USER --reason TEXT", N_("hand command to another user"),
	  2, 2, { "reason=", "at=", "as=" }, NULL },
	{ "timeline", cmd_timeline, "timeline ID [--format text|md|csv|json] [--bom]",
	  N_("the incident's history"), 1, 1, { "format=", "bom" },
	  N_("  --bom            csv: a byte-order mark first, for spreadsheets\n") },
	{ "report", cmd_report, "report ID [--format md|html|json] [--out FILE]",
	  N_("post-incident review with figures and chart"), 1, 1, { "format=", "out=" },
	  N_("  --out FILE       write to FILE (Markdown: the SVG chart beside it)\n") },
	{ "brief", cmd_brief, "brief ID", N_("ICS-201-style briefing (for handover)"), 1, 1, { NULL }, NULL },
	{ "note-review", cmd_note_review, "note-review ID SECTION TEXT",
	  N_("the team's notes for a review section"), 3, -1, { "at=", "as=" }, NULL },
	{ "stats", cmd_stats, "stats [--plan NAME] [--drills]",
	  N_("figures across incidents, drills excluded (--drills: the drills alone)"), 0, 0,
	  { "plan=", "drills" }, NULL },
	{ "simulate", cmd_simulate, "simulate PLAN SCENARIO",
	  N_("run a scripted scenario and check its expectations"), 2, 2, { NULL }, NULL },
	{ "demo", cmd_demo, "demo [--db PATH]",
	  N_("a realistic example in a database of its own (demo.db beside the journal)"), 0, 0,
	  { "db=" }, NULL },
	{ "verify", cmd_verify, "verify [ID] [--head [ENTRY:]HASH]",
	  N_("check the hash chain and every anchor the journal holds (exit 5 if broken)"), 0, 1,
	  { "head=" }, NULL },
	{ "head", cmd_head, "head ID", N_("the head to keep elsewhere: ID:ENTRY:HASH"), 1, 1, { NULL }, NULL },
	{ "complete", cmd_complete, "complete KIND [ID]",
	  N_("candidates for shell completion: incidents, plans, people, sections; levels, warnings, "
	     "criteria, obligations, roles, items, notices or metrics of an incident"), 1, 2, { NULL },
	  NULL },
	{ "migrate", cmd_migrate, "migrate --to URL",
	  N_("copy this journal, hashes intact, into another database (then verify it)"), 0, 0,
	  { "to=" }, NULL },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_main_help(void)
{
	printf(_("usage: sitrep [--db PATH|URL] [--plans DIR] [COMMAND [ARGS]]\n\n"
		 "Without a command, open the console.\n\ncommands:\n"));
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  sitrep %s\n      %s\n", commands[i].synopsis, _(commands[i].help));
	printf(_("\nexit codes:\n"));
#define X(name, val, text) printf("  %d  %s\n", val, _(text));
	SITREP_EXIT_CODES(X)
#undef X
	printf(_("\nenvironment: SITREP_DB, SITREP_PLANS, SITREP_CONTACTS, SITREP_CHANNELS, "
		 "SITREP_NOW (see sitrep(1))\n"));
}

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int console(struct ctx *x)
{
	struct app_options o;
	struct sitrep_error err = SITREP_ERROR_INIT;
	int code;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		errorf(_("the console needs a terminal: run it in one, or give a command (sitrep --help)"));
		return SITREP_EXIT_USAGE;
	}
	memset(&o, 0, sizeof(o));
	o.db = x->db;
	o.plans_dir = x->plans;
	x->app = app_open(&o, &err);
	if (!x->app)
		return fail_with(&err, err.code ? err.code : SITREP_EXIT_STORAGE);
	code = tui_run(x->app);
	app_close(x->app);
	return code;
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
				return usage_error(NULL, _("option '%s' needs a value"), a);
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
		return usage_error(NULL, _("unknown option '%s'"), a);
	}
	if (i >= argc)
		return console(&x);
	if (strcmp(argv[i], "plan") == 0) {
		if (i + 1 >= argc || argv[i + 1][0] == '-') {
			if (i + 1 < argc && (!strcmp(argv[i + 1], "-h") || !strcmp(argv[i + 1], "--help"))) {
				print_help(find_cmd("plan check"));
				print_help(find_cmd("plan show"));
				return 0;
			}
			return usage_error(NULL, _("'plan' needs a subcommand: check or show"));
		}
		snprintf(name, sizeof(name), "plan %.20s", argv[i + 1]);
		c = find_cmd(name);
		if (!c)
			return usage_error(NULL, _("unknown command 'plan %s' (check or show)"), argv[i + 1]);
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
				return usage_error(NULL, _("unknown command '%s' (did you mean '%s'?)"), argv[i],
						   best);
			return usage_error(NULL, _("unknown command '%s'"), argv[i]);
		}
		i++;
	}
	x.cmd = c;
	code = parse_args(&x, argc - i, argv + i);
	if (code >= 0)
		return code;
	code = c->run(&x);
	code = flushed(code);
	if (x.app && getenv("SITREP_TIMINGS") && *getenv("SITREP_TIMINGS"))
		/* for `make bench`: how long this command held the write lock */
		fprintf(stderr, "sitrep: timings: write lock held at most %.3f ms\n",
			(double)app_longest_lock_ns(x.app) / 1e6);
	app_close(x.app);
	return code;
}

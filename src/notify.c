/* app: notices (DESIGN.md "Notices and channels"). A notice's text is
 * drafted from its template with the incident's facts; it goes out through
 * a channel of the site's channels file: a program run without a shell,
 * the message on its standard input, the recipients and subject in its
 * environment, killed at its timeout. The attempt is journaled (and
 * committed) before the program runs, the outcome after: a crash between
 * leaves an attempt without an outcome, shown as "unknown: check". */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app_int.h"
#include "sitrep/i18n.h"

extern char **environ;

#define OUTPUT_KEEP 4096     /* bytes of the program's output kept for the journal */

/* ---- drafting ---- */

/* The latest `warn` entry's scope, expected duration and measures (000 §5.1). */
static void warn_facts(struct app *a, int64_t id, struct strbuf *scope, struct strbuf *expected,
		       struct strbuf *measures)
{
	struct journal_query q;
	struct journal_cursor *cur;
	const struct journal_entry *e;
	memset(&q, 0, sizeof(q));
	q.incident = id;
	q.after = JOURNAL_POS_LAST;
	q.upto = INT64_MAX;
	q.descending = 1;
	q.fields = JF_PAYLOAD;
	q.kind = "warn";
	if (journal_cursor_open(a->j, &q, &cur, NULL) != JOURNAL_OK)
		return;
	if (journal_cursor_next(cur, &e, NULL) == JOURNAL_OK && e) {
		json_error_t jerr;
		json_t *js = json_loadb(e->payload, e->payload_len, 0, &jerr);
		const char *s;
		if (js) {
			if ((s = json_string_value(json_object_get(js, "scope"))))
				sb_adds(scope, s);
			if ((s = json_string_value(json_object_get(js, "expected"))))
				sb_adds(expected, s);
			if ((s = json_string_value(json_object_get(js, "measures"))))
				sb_adds(measures, s);
			json_decref(js);
		}
	}
	journal_cursor_close(cur);
}

/* What changed since `since`: the level and warning changes, newest last,
 * at most CHANGES_MAX. Each kind is walked newest first on its own index,
 * so a million readings in between cost nothing. */
#define CHANGES_MAX 20
struct change {
	struct journal_pos pos;
	char *text;
};

static int change_cmp(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	if (a->pos.occ != b->pos.occ)
		return a->pos.occ < b->pos.occ ? -1 : 1;
	return a->pos.id < b->pos.id ? -1 : a->pos.id > b->pos.id;
}

static void changes_since(struct app *a, int64_t id, const struct plan *p, int64_t since,
			  struct strbuf *out)
{
	static const char *const kinds[] = { "warn", "lift", "escalate", "downgrade", "accept",
					     "terminate", "handover" };
	enum { NKINDS = sizeof(kinds) / sizeof(kinds[0]) };
	struct change ch[NKINDS * CHANGES_MAX];
	size_t n = 0, first;
	struct strbuf one = STRBUF_INIT;

	sb_init(&one);
	for (size_t k = 0; k < NKINDS; k++) {
		struct journal_query q;
		struct journal_cursor *cur;
		const struct journal_entry *e;
		size_t got = 0;

		memset(&q, 0, sizeof(q));
		q.incident = id;
		q.after = JOURNAL_POS_LAST;
		q.upto = INT64_MAX;
		q.descending = 1;
		q.fields = JF_PAYLOAD;
		q.kind = kinds[k];
		if (journal_cursor_open(a->j, &q, &cur, NULL) != JOURNAL_OK)
			continue;
		while (got < CHANGES_MAX && journal_cursor_next(cur, &e, NULL) == JOURNAL_OK && e &&
		       e->occurred_at > since) {
			json_error_t jerr;
			json_t *js = json_loadb(e->payload, e->payload_len, 0, &jerr);
			char t[40];

			sb_reset(&one);
			entry_summary(p, e->kind, js, 0, &one);
			if (js)
				json_decref(js);
			time_format_local(e->occurred_at, t, sizeof(t));
			ch[n].pos = (struct journal_pos){ e->occurred_at, e->id };
			{
				struct strbuf line = STRBUF_INIT;
				sb_init(&line);
				sb_addf(&line, "%s %s", t + 11, one.buf);
				ch[n].text = sb_detach(&line);
			}
			n++, got++;
		}
		journal_cursor_close(cur);
	}
	sb_release(&one);
	qsort(ch, n, sizeof(ch[0]), change_cmp);
	first = n > CHANGES_MAX ? n - CHANGES_MAX : 0;
	for (size_t i = 0; i < n; i++) {
		if (i >= first)
			sb_addf(out, "%s%s", i > first ? "\n" : "", ch[i].text);
		free(ch[i].text);
	}
	if (!n)
		sb_adds(out, _("no change"));
}

struct facts {
	struct app *a;
	int64_t id;
	const struct plan *p;
	const struct engine_state *st;
	int n;                    /* the notice */
	const char *title;        /* the incident's */
	struct strbuf scope, expected, measures;
	int warn_read;
};

static void fact(struct facts *f, const char *field, struct strbuf *out)
{
	const struct plan *p = f->p;
	const struct engine_state *st = f->st;
	char buf[64];

	if (!strcmp(field, "incident")) {
		sb_addf(out, "%" PRId64, f->id);
	} else if (!strcmp(field, "title")) {
		sb_adds(out, f->title ? f->title : "");
	} else if (!strcmp(field, "plan")) {
		sb_adds(out, p->title ? p->title : p->id);
	} else if (!strcmp(field, "level")) {
		sb_adds(out, st->phase == PHASE_RESPONSE && plan_level_id(p, st->level)
			? plan_level_id(p, st->level) : _("none"));
	} else if (!strcmp(field, "level_name")) {
		sb_adds(out, st->phase == PHASE_RESPONSE && st->level >= 0 && p->levels[st->level].name
			? p->levels[st->level].name : _("no response level"));
	} else if (!strcmp(field, "warning")) {
		sb_adds(out, plan_warning_id(p, st->warning) ? plan_warning_id(p, st->warning) : _("none"));
	} else if (!strcmp(field, "warning_name")) {
		sb_adds(out, st->warning >= 0 && p->warnings[st->warning].name
			? p->warnings[st->warning].name : _("no warning"));
	} else if (!strcmp(field, "scope") || !strcmp(field, "expected") ||
		   !strcmp(field, "measures")) {
		struct strbuf *s;
		if (!f->warn_read) {
			warn_facts(f->a, f->id, &f->scope, &f->expected, &f->measures);
			f->warn_read = 1;
		}
		s = field[0] == 's' ? &f->scope : field[0] == 'e' ? &f->expected : &f->measures;
		sb_adds(out, s->len ? s->buf : _("(not given)"));
	} else if (!strcmp(field, "readings")) {
		/* the latest of each metric with its age, one a line; a stale one
		 * is kept and said stale (a reader must know it is old) */
		int any = 0;
		for (size_t i = 0; i < p->nmetrics; i++) {
			const struct plan_metric *m = &p->metrics[i];
			char num[NUM_G15_MAX], age[32];
			if (!st->metrics[i].has_value)
				continue;
			num_g15(st->metrics[i].value, num);
			i18n_duration(st->now > st->metrics[i].at ? st->now - st->metrics[i].at : 0, age,
				      sizeof age);
			if (any)
				sb_addc(out, '\n');
			sb_addf(out, _("%s %s%s%s, %s ago"), m->name ? m->name : m->id, num,
				m->unit ? " " : "", m->unit ? m->unit : "", age);
			if (!engine_metric_fresh(st, p, (int)i))
				sb_adds(out, _(" (stale)"));
			any = 1;
		}
		if (!any)
			sb_adds(out, _("no readings yet"));
	} else if (!strcmp(field, "commander")) {
		sb_adds(out, app_person_name(f->a, st->commander));
	} else if (!strcmp(field, "tplus")) {
		sb_addf(out, "T+%s", dur_clock(st->now - st->opened_at, buf, sizeof(buf)));
	} else if (!strcmp(field, "opened")) {
		sb_adds(out, time_format_local(st->opened_at, buf, sizeof(buf)));
	} else if (!strcmp(field, "now")) {
		sb_adds(out, time_format_local(st->now, buf, sizeof(buf)));
	} else if (!strcmp(field, "changes")) {
		changes_since(f->a, f->id, p, f->n >= 0 && st->notices[f->n].sent_at
			      ? st->notices[f->n].sent_at : st->opened_at - 1, out);
	} else if (!strcmp(field, "responders")) {
		for (size_t i = 0; i < st->nresponders; i++)
			sb_addf(out, "%s%s: %s", i ? ", " : "",
				p->roles[st->responders[i].role].name ? p->roles[st->responders[i].role].name
								      : p->roles[st->responders[i].role].id,
				app_person_name(f->a, st->responders[i].person));
		if (!st->nresponders)
			sb_adds(out, _("nobody assigned yet"));
	} else if (!strcmp(field, "notice")) {
		sb_adds(out, f->n >= 0 && p->notices[f->n].title ? p->notices[f->n].title : "");
	} else {
		sb_addf(out, "{%s}", field); /* the loader refuses unknown fields */
	}
}

/* {field} replaced by its fact; {{ and }} are braces. */
static void fill(struct facts *f, const char *tpl, struct strbuf *out)
{
	for (const char *s = tpl ? tpl : ""; *s;) {
		if (s[0] == '{' && s[1] == '{') {
			sb_addc(out, '{');
			s += 2;
		} else if (s[0] == '}' && s[1] == '}') {
			sb_addc(out, '}');
			s += 2;
		} else if (s[0] == '{' && strchr(s, '}')) {
			const char *e = strchr(s, '}');
			char field[40];
			snprintf(field, sizeof(field), "%.*s", (int)(e - s - 1), s + 1);
			fact(f, field, out);
			s = e + 1;
		} else {
			sb_addc(out, *s++);
		}
	}
}

void notify_draft(struct app *a, int64_t id, const struct plan *p, const struct engine_state *st,
		  int n, struct strbuf *subject, struct strbuf *text)
{
	struct facts f;
	struct journal_incident row;
	memset(&f, 0, sizeof(f));
	memset(&row, 0, sizeof(row));
	f.a = a;
	f.id = id;
	f.p = p;
	f.st = st;
	f.n = n;
	if (journal_incident_get(a->j, id, 0, &row, NULL) == JOURNAL_OK)
		f.title = row.title;
	sb_init(&f.scope);
	sb_init(&f.expected);
	sb_init(&f.measures);
	if (n >= 0 && (size_t)n < p->nnotices) {
		fill(&f, p->notices[n].template_text, text);
		if (p->notices[n].subject)
			fill(&f, p->notices[n].subject, subject);
		else
			sb_addf(subject, "[%s] %s", f.title ? f.title : "",
				p->notices[n].title ? p->notices[n].title : p->notices[n].id);
	}
	sb_release(&f.scope);
	sb_release(&f.expected);
	sb_release(&f.measures);
	journal_incident_release(&row);
}

/* ---- running a channel ---- */

struct run {
	int spawned;             /* the program started */
	int spawn_errno;
	int status;              /* exit status; -1 killed by a signal */
	int signal;
	int timed_out;
	struct strbuf output;    /* the first OUTPUT_KEEP bytes of stdout and stderr */
};

static void set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run argv with `input` on stdin and `env` added to the environment,
 * without a shell, killed after timeout seconds. */
/* Can `prog` be run: a path, executable; a bare name, executable somewhere
 * on PATH (as posix_spawnp looks). errno set when not. */
static int runnable(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	if (!prog || !*prog) {
		errno = ENOENT;
		return 0;
	}
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	if (!path || !*path)
		path = "/bin:/usr/bin";
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		int w = snprintf(buf, sizeof buf, "%.*s%s%s", (int)n, p, n ? "/" : "", prog);
		if (w > 0 && (size_t)w < sizeof buf && access(buf, X_OK) == 0)
			return 1;
		if (!colon)
			break;
		p = colon + 1;
	}
	errno = ENOENT;
	return 0;
}

/* Long by design: spawn, then one poll loop feeding the input and reading
 * the output until the program ends or its time is up; its state is local to
 * the loop. */
static void run_program(char *const argv[], const char *input, char *const env[], int64_t timeout,
			struct run *r)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	void (*old_pipe)(int);
	int have_sa = 0;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	size_t nenv = 0, nextra = 0, left = strlen(input);
	char **envp;
	pid_t pid;
	int64_t deadline;
	int done = 0, rc, wstatus = 0;

	memset(r, 0, sizeof(*r));
	sb_init(&r->output);
	while (environ[nenv])
		nenv++;
	while (env[nextra])
		nextra++;
	envp = xcalloc(nenv + nextra + 1, sizeof(*envp));
	memcpy(envp, env, nextra * sizeof(*envp));
	for (size_t i = 0, k = nextra; i < nenv; i++)
		if (strncmp(environ[i], "SITREP_NOTICE", 13) && strncmp(environ[i], "SITREP_INCIDENT=", 16))
			envp[k++] = environ[i];
	/* a program that closes its input early is a failed delivery, not the
	 * end of sitrep */
	old_pipe = signal(SIGPIPE, SIG_IGN);
	if (!runnable(argv[0])) {
		/* said before anything runs, whatever posix_spawnp can report (an
		 * exec that fails in the child looks like an exit status 127 where
		 * spawning is emulated, as under valgrind) */
		r->spawn_errno = errno ? errno : ENOENT;
		goto cleanup;
	}
	if (pipe(in) < 0 || pipe(out) < 0) {
		r->spawn_errno = errno;
		goto cleanup;
	}
	(void)fcntl(in[1], F_SETFD, FD_CLOEXEC);
	(void)fcntl(out[0], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, out[1], 2);
	posix_spawn_file_actions_addclose(&fa, in[0]);
	posix_spawn_file_actions_addclose(&fa, out[1]);
	/* a group of its own: at the timeout, what it started goes too (a
	 * wrapper's `sendmail` must not deliver after the notice is recorded
	 * as failed) */
	if (posix_spawnattr_init(&sa) == 0) {
		if (posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP) == 0 &&
		    posix_spawnattr_setpgroup(&sa, 0) == 0)
			have_sa = 1;
		else
			posix_spawnattr_destroy(&sa);
	}
	rc = posix_spawnp(&pid, argv[0], &fa, have_sa ? &sa : NULL, argv, envp);
	if (have_sa)
		posix_spawnattr_destroy(&sa);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	if (rc != 0) {
		r->spawn_errno = rc;
		goto cleanup;
	}
	r->spawned = 1;
	set_nonblock(in[1]);
	set_nonblock(out[0]);
	deadline = mono_ms() + timeout * 1000;
	while (!done) {
		struct pollfd pf[2];
		int nf = 0, ms;
		int64_t now = mono_ms();
		if (now >= deadline) {
			r->timed_out = 1;
			if (!have_sa || kill(-pid, SIGKILL) != 0)
				kill(pid, SIGKILL);
			break;
		}
		if (in[1] >= 0) {
			pf[nf].fd = in[1];
			pf[nf].events = POLLOUT;
			nf++;
		}
		if (out[0] >= 0) {
			pf[nf].fd = out[0];
			pf[nf].events = POLLIN;
			nf++;
		}
		ms = (int)(deadline - now < 200 ? deadline - now : 200);
		if (nf)
			(void)poll(pf, (nfds_t)nf, ms);
		else
			(void)poll(NULL, 0, ms);
		if (in[1] >= 0) {
			ssize_t w = left ? write(in[1], input + strlen(input) - left, left) : 0;
			if (w > 0)
				left -= (size_t)w;
			if (!left || (w < 0 && errno != EAGAIN && errno != EINTR)) {
				close(in[1]); /* end of the message */
				in[1] = -1;
			}
		}
		if (out[0] >= 0) {
			char buf[4096];
			ssize_t n = read(out[0], buf, sizeof(buf));
			if (n > 0 && r->output.len < OUTPUT_KEEP)
				sb_add(&r->output, buf, (size_t)n < OUTPUT_KEEP - r->output.len
				       ? (size_t)n : OUTPUT_KEEP - r->output.len);
			else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(out[0]);
				out[0] = -1;
			}
		}
		if (waitpid(pid, &wstatus, WNOHANG) == pid)
			done = 1;
	}
	if (!done)
		while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
			;
	if (WIFEXITED(wstatus)) {
		r->status = WEXITSTATUS(wstatus);
	} else {
		r->status = -1;
		r->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
	}
cleanup:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	free(envp);
	signal(SIGPIPE, old_pipe == SIG_ERR ? SIG_DFL : old_pipe);
}

/* The first lines of a program's output, for the journal and the screen. */
static void first_lines(const struct strbuf *s, struct strbuf *out)
{
	size_t lines = 0;
	for (size_t i = 0; i < s->len && lines < 3; i++) {
		if (s->buf[i] == '\n') {
			lines++;
			if (lines < 3)
				sb_adds(out, " / ");
			continue;
		}
		sb_addc(out, s->buf[i]);
	}
	while (out->len && (out->buf[out->len - 1] == ' ' || out->buf[out->len - 1] == '/'))
		out->buf[--out->len] = '\0';
}

/* ---- notify ---- */

static int notice_step(struct app *a, const struct app_request *rq, enum engine_notify_step step,
		       const char *text_hash, json_t *extra, struct app_outcome *out)
{
	struct txn t;
	struct engine_action marks;
	struct engine_result res;
	int code;

	memset(&marks, 0, sizeof(marks));
	marks.notify = step;
	marks.text_hash = text_hash;
	if ((code = txn_begin(a, rq->incident, &t, out)) == 0) {
		engine_result_init(&res);
		code = txn_act(&t, rq, &marks, extra, app_now_upto(a, t.recorded),
			       &res, out);
		if (code == 0 && (code = txn_commit(&t, out)) == 0)
			txn_outcome_message(&t, &res, rq, out);
		engine_result_release(&res);
	}
	txn_end(&t);
	return code;
}

/* How to reach a notice's recipients, for the channel program's
 * environment: each list comma-separated, in the recipients' order, what
 * the contacts file holds (a person without a contact has an id only). */
struct reach {
	struct strbuf ids, phones, emails, im, groups;
};

static void reach_init(struct reach *r)
{
	sb_init(&r->ids);
	sb_init(&r->phones);
	sb_init(&r->emails);
	sb_init(&r->im);
	sb_init(&r->groups);
}

static void reach_release(struct reach *r)
{
	sb_release(&r->ids);
	sb_release(&r->phones);
	sb_release(&r->emails);
	sb_release(&r->im);
	sb_release(&r->groups);
}

static void add_list(struct strbuf *sb, const char *s)
{
	if (s && *s)
		sb_addf(sb, "%s%s", sb->len ? "," : "", s);
}

static void add_address(const char *name, const struct site_contact *c, void *ctx)
{
	struct reach *r = ctx;
	if (!c) {
		add_list(&r->ids, name);
		return;
	}
	add_list(&r->ids, c->id);
	add_list(&r->phones, c->phone);
	add_list(&r->emails, c->email);
	for (size_t i = 0; i < c->nim; i++)
		add_list(&r->im, c->im[i]);
}

/* Run the channel program for an attempt journaled as `attempt`, then
 * journal the outcome: delivered, or failed with why (exit 6). */
static int deliver(struct app *a, const struct app_request *rq, const struct plan *p, int n,
		   const struct site_channel *ch, int64_t attempt, const struct strbuf *text,
		   const struct strbuf *to, const struct strbuf *subject, const struct reach *reach,
		   struct app_outcome *out)
{
	const struct { const char *name; const char *value; } vars[] = {
		{ "SITREP_NOTICE_TO", to->buf },
		{ "SITREP_NOTICE_SUBJECT", subject->buf },
		{ "SITREP_NOTICE", p->notices[n].id },
		{ "SITREP_NOTICE_TO_IDS", reach->ids.buf },
		{ "SITREP_NOTICE_PHONES", reach->phones.buf },
		{ "SITREP_NOTICE_EMAILS", reach->emails.buf },
		{ "SITREP_NOTICE_IM", reach->im.buf },
		{ "SITREP_NOTICE_GROUPS", reach->groups.buf },
	};
	enum { NVARS = sizeof(vars) / sizeof(vars[0]) };
	struct strbuf env_sb[NVARS + 1], why = STRBUF_INIT;
	char *env[NVARS + 2];
	struct run r;
	json_t *extra;
	int code, ok;

	for (size_t i = 0; i < NVARS; i++) {
		sb_init(&env_sb[i]);
		sb_addf(&env_sb[i], "%s=%s", vars[i].name, vars[i].value ? vars[i].value : "");
		env[i] = env_sb[i].buf;
	}
	sb_init(&env_sb[NVARS]);
	sb_addf(&env_sb[NVARS], "SITREP_INCIDENT=%" PRId64, rq->incident);
	env[NVARS] = env_sb[NVARS].buf;
	env[NVARS + 1] = NULL;
	sb_init(&why);
	run_program(ch->argv, text->buf, env, ch->timeout > 0 ? ch->timeout : 30, &r);
	ok = r.spawned && !r.timed_out && r.status == 0;
	extra = json_object();
	json_object_set_new(extra, "attempt", json_integer(attempt));
	json_object_set_new(extra, "channel", json_string(ch->id));
	if (ok) {
		json_object_set_new(extra, "step", json_string("delivered"));
	} else {
		if (!r.spawned)
			sb_addf(&why, _("cannot run '%s': %s"), ch->argv[0], strerror(r.spawn_errno));
		else if (r.timed_out)
			sb_addf(&why, _("killed after its timeout of %" PRId64 "s"), ch->timeout);
		else if (r.status < 0)
			sb_addf(&why, _("killed by signal %d"), r.signal);
		else
			sb_addf(&why, _("exit status %d"), r.status);
		if (r.output.len) {
			sb_adds(&why, ": ");
			first_lines(&r.output, &why);
		}
		json_object_set_new(extra, "step", json_string("failed"));
		json_object_set_new(extra, "status", json_integer(r.spawned && !r.timed_out ? r.status : -1));
		json_object_set_new(extra, "error", json_string(why.buf));
	}
	code = notice_step(a, rq, ok ? NOTIFY_DELIVERED : NOTIFY_FAILED, NULL, extra, out);
	if (code == 0 && why.len) {
		err_set(&out->err, SITREP_EXIT_NOTICE, NULL, 0, 0,
			_("notice '%s' not delivered through '%s': %s"), p->notices[n].id, ch->id, why.buf);
		code = out->code = SITREP_EXIT_NOTICE;
	}
	json_decref(extra);
	sb_release(&r.output);
	sb_release(&why);
	for (size_t i = 0; i <= NVARS; i++)
		sb_release(&env_sb[i]);
	return code;
}

int approve_act(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	const struct plan *p;
	struct journal_incident row;
	struct view_incident v;
	struct strbuf text = STRBUF_INIT;
	char hash[65];
	json_t *extra;
	int n, code;

	memset(&row, 0, sizeof(row));
	if ((code = app_incident_plan(a, rq->incident, &row, &p, &out->err)) != 0) {
		journal_incident_release(&row);
		return out->code = code;
	}
	journal_incident_release(&row);
	n = plan_notice_index(p, rq->target);
	memset(&v, 0, sizeof(v));
	sb_init(&text);
	if (n >= 0) {
		/* the wording approved: as given, or the draft as it stands now */
		if ((code = app_incident(a, rq->incident, 0, &v, &out->err)) != 0) {
			sb_release(&text);
			return out->code = code;
		}
		sb_adds(&text, rq->message ? rq->message : v.notices[n].text ? v.notices[n].text : "");
		view_incident_release(&v);
	}
	sha256_hex(text.buf, text.len, hash);
	extra = json_object();
	json_object_set_new(extra, "text", json_string(text.buf));
	json_object_set_new(extra, "text_sha256", json_string(hash));
	code = notice_step(a, rq, NOTIFY_ATTEMPT, n >= 0 ? hash : NULL, extra, out);
	json_decref(extra);
	sb_release(&text);
	return code;
}

int notify_act(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	const struct site_channel *ch = NULL;
	const struct plan *p;
	struct journal_incident row;
	struct strbuf subject = STRBUF_INIT, text = STRBUF_INIT, to = STRBUF_INIT;
	struct view_incident v;
	json_t *extra;
	int n, code;
	int64_t attempt;
	char text_hash[65];
	struct reach reach;

	reach_init(&reach);

	memset(&row, 0, sizeof(row));
	if ((code = app_incident_plan(a, rq->incident, &row, &p, &out->err)) != 0) {
		journal_incident_release(&row);
		return out->code = code;
	}
	journal_incident_release(&row);
	n = plan_notice_index(p, rq->target);
	if (n < 0) {
		err_set(&out->err, SITREP_EXIT_USAGE, NULL, 0, 0, _("plan '%s' has no notice '%s'"), p->id,
			rq->target ? rq->target : "");
		return out->code = SITREP_EXIT_USAGE;
	}
	if (!rq->by_hand) {
		const char *name = rq->channel ? rq->channel : p->notices[n].channel;
		if (!name) {
			err_set(&out->err, SITREP_EXIT_USAGE, NULL, 0, 0,
				_("notice '%s' names no channel: give --channel NAME, or record it given by "
				  "hand with --by-hand NOTE"), p->notices[n].id);
			return out->code = SITREP_EXIT_USAGE;
		}
		ch = site_channel_find(&a->channels, name);
		if (!ch) {
			err_set(&out->err, SITREP_EXIT_USAGE, NULL, 0, 0,
				_("no channel '%s' in the channels file%s%s (docs/channels.md)"), name,
				a->channels.path ? " " : "", a->channels.path ? a->channels.path : "");
			return out->code = SITREP_EXIT_USAGE;
		}
	}
	/* the text as drafted now (or as given), and whom it goes to */
	memset(&v, 0, sizeof(v));
	if ((code = app_incident(a, rq->incident, 0, &v, &out->err)) != 0)
		return out->code = code;
	sb_init(&subject);
	sb_init(&text);
	sb_init(&to);
	sb_adds(&subject, v.notices[n].subject ? v.notices[n].subject : "");
	sb_adds(&text, rq->message ? rq->message : v.notices[n].text ? v.notices[n].text : "");
	sb_adds(&to, v.notices[n].to_people ? v.notices[n].to_people : v.notices[n].to);
	view_incident_release(&v);
	/* and how to reach them: what a channel program needs */
	{
		struct derived d;
		memset(&d, 0, sizeof(d));
		if (derive_upto(a, rq->incident, p, JOURNAL_POS_LAST, &d, NULL) == 0) {
			engine_advance(&d.st, p, app_now(a), NULL);
			app_notice_recipients(a, p, &d.st, &p->notices[n], add_address, &reach);
		}
		derived_release(&d);
		for (size_t i = 0; i < p->notices[n].nto; i++)
			sb_addf(&reach.groups, "%s%s", i ? "," : "", p->notices[n].to[i]);
	}

	sha256_hex(text.buf, text.len, text_hash);
	extra = json_object();
	json_object_set_new(extra, "to", json_string(to.buf));
	json_object_set_new(extra, "subject", json_string(subject.buf));
	json_object_set_new(extra, "text", json_string(text.buf));
	if (rq->by_hand) {
		json_object_set_new(extra, "step", json_string("by-hand"));
		json_object_set_new(extra, "note", json_string(rq->by_hand));
		code = notice_step(a, rq, NOTIFY_BY_HAND, text_hash, extra, out);
		goto done;
	}
	json_object_set_new(extra, "step", json_string("attempt"));
	json_object_set_new(extra, "channel", json_string(ch->id));
	/* the attempt is durable before the program runs */
	if ((code = notice_step(a, rq, NOTIFY_ATTEMPT, text_hash, extra, out)) != 0)
		goto done;
	attempt = out->entry;
	json_decref(extra);
	extra = NULL;
	code = deliver(a, rq, p, n, ch, attempt, &text, &to, &subject, &reach, out);
done:
	json_decref(extra);
	sb_release(&subject);
	sb_release(&text);
	sb_release(&to);
	reach_release(&reach);
	return out->code = code;
}

/* app: opening and closing, the clocks, the user, the paths, the plan
 * cache and the site's files. The action path is in act.c, replay in
 * derive.c, views in view.c (see app_int.h for the rooms). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_int.h"
#include "sitrep/i18n.h"

#ifndef SITREP_DATADIR
#define SITREP_DATADIR "/usr/local/share/sitrep"
#endif

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int mkdir_p(const char *dir, mode_t mode)
{
	char *d = xstrdup(dir);
	int rc = 0;
	for (char *p = d + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(d, mode) < 0 && errno != EEXIST) {
				rc = -1;
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(d);
	return rc;
}

char *app_resolve_db(const char *db)
{
	const char *env = getenv("SITREP_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;

	if (db && *db)
		return xstrdup(db);
	if (env && *env)
		return xstrdup(env);
	sb_init(&sb);
	if (xdg && *xdg == '/') {
		sb_addf(&sb, "%s/sitrep/sitrep.db", xdg);
	} else {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw && pw->pw_dir ? pw->pw_dir : "/tmp";
		}
		sb_addf(&sb, "%s/.local/share/sitrep/sitrep.db", home);
	}
	return sb_detach(&sb);
}

char *app_resolve_plans_dir(const char *dir)
{
	const char *env = getenv("SITREP_PLANS");
	if (dir && *dir)
		return xstrdup(dir);
	if (env && *env)
		return xstrdup(env);
	if (is_dir("plans"))
		return xstrdup("plans");
	return xstrdup(SITREP_DATADIR "/plans");
}

/* A site file (contacts, channels): the one given, else the default path. */
static int load_site(struct app *a, const struct app_options *o, struct sitrep_error *err)
{
	struct error_list el;
	char *path;
	int code = 0;

	errlist_init(&el);
	path = o && o->contacts ? xstrdup(o->contacts) : site_contacts_path();
	if (site_contacts_load(path, &a->contacts, &el) != 0)
		code = SITREP_EXIT_PLAN;
	free(path);
	if (!code) {
		path = o && o->channels ? xstrdup(o->channels) : site_channels_path();
		if (site_channels_load(path, &a->channels, &el) != 0)
			code = SITREP_EXIT_PLAN;
		free(path);
	}
	if (code) {
		struct strbuf m = STRBUF_INIT;
		sb_init(&m);
		errlist_join(&el, &m);
		err_set(err, code, NULL, 0, 0, "%s", m.buf);
		sb_release(&m);
	}
	errlist_release(&el);
	return code;
}

/* The engine's refusals, shown in the user's language. */
static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

/* When this process started, on the real clock (ns), as late as it can be
 * and still no later than the start: a one-step command means the level it
 * saw when it was started, however long its own start-up took (the dynamic
 * linker, a sanitizer's set-up, arguments, plans). Two bounds, the smaller
 * kept: the time taken before main runs (a constructor), and the kernel's
 * start time (/proc/self/stat, in clock ticks, against CLOCK_BOOTTIME) plus
 * one tick. Never earlier than the start, so a command run after another
 * has finished never takes that one's decision for a concurrent one; late
 * by at most a tick, the window in which two commands started together can
 * both step. */
static int64_t process_started_ns;

static int64_t kernel_start_bound(int64_t now)
{
	FILE *f = fopen("/proc/self/stat", "r");
	char buf[1024], *p;
	size_t n;
	unsigned long long ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	struct timespec boot;
	int field = 2;

	if (!f)
		return INT64_MAX;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (!p || hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &boot) != 0)
		return INT64_MAX;
	for (p++; *p && field < 22; field++) {
		while (*p == ' ')
			p++;
		if (field == 21) {
			ticks = strtoull(p, NULL, 10);
			break;
		}
		while (*p && *p != ' ')
			p++;
	}
	if (!ticks)
		return INT64_MAX;
	{
		int64_t tick = 1000000000 / hz;
		int64_t age = ((int64_t)boot.tv_sec * 1000000000 + boot.tv_nsec) -
			      (int64_t)ticks * tick;
		/* a clock set back or faked (an age outside a minute): no bound */
		if (age < 0 || age > INT64_C(60000000000))
			return INT64_MAX;
		return now - age + tick;
	}
}

__attribute__((constructor)) static void note_process_start(void)
{
	int64_t now = real_ns(), bound = kernel_start_bound(now);
	process_started_ns = bound < now ? bound : now;
}

struct app *app_open(const struct app_options *o, struct sitrep_error *err)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct passwd *pw = getpwuid(getuid());
	unsigned flags = JOURNAL_CREATE;

	/* a write cut short by a file size limit is reported, not a signal
	 * death. (SIGPIPE keeps its default: `sitrep timeline 1 | head` ends
	 * quietly as other tools do; notify.c ignores it while it writes to a
	 * channel program.) */
	signal(SIGXFSZ, SIG_IGN);
	engine_set_translator(translate);
	a->where = app_resolve_db(o ? o->db : NULL);
	a->plans_dir = app_resolve_plans_dir(o ? o->plans_dir : NULL);
	a->read_only = o ? o->read_only : 0;
	a->started_ns = process_started_ns ? process_started_ns : real_ns();
	process_started_ns = 0; /* a second app in this process starts now */
	{
		const char *nc = getenv("SITREP_NO_CHECKPOINT");
		a->no_snapshots = nc && *nc && strcmp(nc, "0") != 0;
	}
	if (pw && pw->pw_name)
		snprintf(a->user, sizeof(a->user), "%s", pw->pw_name);
	else
		snprintf(a->user, sizeof(a->user), "uid%ld", (long)getuid());
	if (load_site(a, o, err) != 0) {
		app_close(a);
		return NULL;
	}
	if (!journal_is_url(a->where) && strcmp(a->where, ":memory:") != 0) {
		char *slash = strrchr(a->where, '/');
		if (slash && slash != a->where) {
			char *dir = xstrndup(a->where, (size_t)(slash - a->where));
			if (!is_dir(dir) && mkdir_p(dir, 0700) < 0) {
				err_set(err, SITREP_EXIT_STORAGE, NULL, 0, 0,
					_("cannot create the folder '%s': %s"), dir, strerror(errno));
				free(dir);
				app_close(a);
				return NULL;
			}
			free(dir);
		}
		if (a->read_only && access(a->where, F_OK) == 0)
			flags = JOURNAL_READ_ONLY;
	} else if (a->read_only && journal_is_url(a->where)) {
		flags = JOURNAL_READ_ONLY;
	}
	a->j = journal_open(a->where, flags, err);
	if (!a->j && flags == JOURNAL_READ_ONLY && journal_is_url(a->where) && err && err->msg &&
	    strstr(err->msg, "holds no sitrep journal")) {
		/* an empty database: made a journal on first use, whatever the
		 * command, as an SQLite file is (the deployment guide's first
		 * step is `sitrep --db URL list`) */
		err_release(err);
		a->j = journal_open(a->where, JOURNAL_CREATE, err);
	}
	if (!a->j) {
		if (err && !err->code)
			err->code = SITREP_EXIT_STORAGE;
		app_close(a);
		return NULL;
	}
	return a;
}

int64_t app_longest_lock_ns(const struct app *a)
{
	return a && a->j ? journal_longest_hold_ns(a->j) : 0;
}

void app_close(struct app *a)
{
	if (!a)
		return;
	if (a->j)
		journal_close(a->j);
	for (size_t i = 0; i < PLAN_CACHE_MAX; i++)
		plan_free(a->cache[i].plan);
	site_contacts_release(&a->contacts);
	site_channels_release(&a->channels);
	arena_release(&a->people_mem);
	free(a->where);
	free(a->plans_dir);
	free(a);
}

const char *app_user(const struct app *a) { return a->user; }
const char *app_where(const struct app *a) { return journal_where(a->j); }
const char *app_plans_dir(const struct app *a) { return a->plans_dir; }

int64_t app_now(const struct app *a)
{
	const char *env = getenv("SITREP_NOW");
	int64_t now = (int64_t)time(NULL), t;
	if (a && a->fixed_now)
		return a->fixed_now;
	/* a test and drill aid that only moves the decision clock back: never
	 * later than the real clock, never a recorded_at */
	if (env && *env && time_parse(env, now, &t) == 0 && t <= now)
		return t;
	return now;
}

void app_set_now(struct app *a, int64_t now)
{
	a->fixed_now = now;
}

int app_real_clock(struct app *a, int64_t *now, struct sitrep_error *err)
{
	return journal_clock(a->j, now, err) == JOURNAL_OK ? 0 : SITREP_EXIT_STORAGE;
}

int app_changed(struct app *a)
{
	int changed = 0;
	if (journal_changed(a->j, &changed, NULL) != JOURNAL_OK)
		return 0;
	return changed;
}

int app_poll_fd(struct app *a)
{
	return journal_poll_fd(a->j);
}

/* ---- plans ---- */

static const struct plan *cache_get(struct app *a, const char *hash);

const struct plan *app_plan_cached(struct app *a, const char *hash)
{
	return cache_get(a, hash);
}

static const struct plan *cache_get(struct app *a, const char *hash)
{
	for (size_t i = 0; i < PLAN_CACHE_MAX; i++)
		if (a->cache[i].plan && !strcmp(a->cache[i].hash, hash)) {
			a->cache[i].used = ++a->tick;
			return a->cache[i].plan;
		}
	return NULL;
}

static void cache_put(struct app *a, const char *hash, struct plan *p)
{
	size_t victim = 0;
	for (size_t i = 0; i < PLAN_CACHE_MAX; i++) {
		if (!a->cache[i].plan) {
			victim = i;
			break;
		}
		if (a->cache[i].used < a->cache[victim].used)
			victim = i;
	}
	plan_free(a->cache[victim].plan);
	snprintf(a->cache[victim].hash, sizeof(a->cache[victim].hash), "%s", hash);
	a->cache[victim].plan = p;
	a->cache[victim].used = ++a->tick;
}

/* ---- the parsed plans kept between runs ----
 * A plan snapshot is parsed once per machine and user: its parsed form
 * (plan_load_buffer_frozen) is kept in $SITREP_CACHE, else
 * $XDG_CACHE_HOME/sitrep/plans, else ~/.cache/sitrep/plans, one file per
 * plan hash; SITREP_CACHE=none keeps nothing. The folder must be the
 * user's own and not writable by others, or it is not used. A file that
 * does not load is ignored and written anew. (docs/performance.md) */
#define FROZEN_MAX (8 * 1024 * 1024)

static int frozen_dir(char *out, size_t size)
{
	const char *env = getenv("SITREP_CACHE"), *xdg = getenv("XDG_CACHE_HOME"),
		   *home = getenv("HOME");
	int n;
	if (env && !strcmp(env, "none"))
		return -1;
	if (env && *env)
		n = snprintf(out, size, "%s", env);
	else if (xdg && *xdg == '/')
		n = snprintf(out, size, "%s/sitrep/plans", xdg);
	else if (home && *home == '/')
		n = snprintf(out, size, "%s/.cache/sitrep/plans", home);
	else
		return -1;
	return n > 0 && (size_t)n < size ? 0 : -1;
}

static int frozen_dir_ok(const char *dir)
{
	struct stat st;
	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
	       !(st.st_mode & (S_IWGRP | S_IWOTH));
}

static struct plan *frozen_get(struct app *a, const char *label, const char *hash,
			       struct error_list *el)
{
	char dir[PATH_MAX], file[PATH_MAX + 80];
	struct plan *p = NULL;
	struct stat st;
	void *blob;
	int fd;

	(void)a;
	if (frozen_dir(dir, sizeof dir) != 0 || !frozen_dir_ok(dir))
		return NULL;
	snprintf(file, sizeof file, "%s/%s", dir, hash);
	fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size <= 0 || st.st_size > FROZEN_MAX) {
		close(fd);
		return NULL;
	}
	/* Mapped, not read into a growing buffer (a copy and a third of a
	 * command's page faults). A cache file is never changed in place:
	 * frozen_put writes a new one and renames it over. */
	blob = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (blob == MAP_FAILED)
		return NULL;
	p = plan_load_frozen(label, blob, (size_t)st.st_size, hash, NULL, el);
	munmap(blob, (size_t)st.st_size);
	return p;
}

static void frozen_put(struct app *a, const char *hash, const struct strbuf *blob)
{
	char dir[PATH_MAX], file[PATH_MAX + 80], tmp[PATH_MAX + 100];
	int fd;
	(void)a;
	if (frozen_dir(dir, sizeof dir) != 0)
		return;
	/* make the folder (and its parents) the user's own, 0700 */
	for (char *s = dir + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			(void)mkdir(dir, 0700);
			*s = '/';
		}
	(void)mkdir(dir, 0700);
	if (!frozen_dir_ok(dir))
		return;
	snprintf(file, sizeof file, "%s/%s", dir, hash);
	snprintf(tmp, sizeof tmp, "%s/.%s.%ld", dir, hash, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, blob->buf, blob->len) == (ssize_t)blob->len && close(fd) == 0) {
		if (rename(tmp, file) != 0)
			unlink(tmp);
		return;
	}
	close(fd);
	unlink(tmp);
}

int app_incident_plan(struct app *a, int64_t id, struct journal_incident *row,
		      const struct plan **p, struct sitrep_error *err)
{
	struct error_list el;
	struct plan *np;
	char path[160];
	int rc;

	*p = NULL;
	journal_incident_release(row);
	rc = journal_incident_get(a->j, id, 0, row, err);
	if (rc == JOURNAL_NOTFOUND) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, _("no incident %" PRId64), id);
		return SITREP_EXIT_USAGE;
	}
	if (rc != JOURNAL_OK)
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	if ((*p = cache_get(a, row->plan_hash)))
		return 0;
	snprintf(path, sizeof(path), "<snapshot of '%s' in incident %" PRId64 ">", row->plan_id, id);
	errlist_init(&el);
	if ((np = frozen_get(a, path, row->plan_hash, &el)) != NULL) {
		errlist_release(&el);
		cache_put(a, row->plan_hash, np);
		*p = np;
		return 0;
	}
	/* not cached: read the snapshot text, byte for byte */
	journal_incident_release(row);
	if ((rc = journal_incident_get(a->j, id, 1, row, err)) != JOURNAL_OK) {
		errlist_release(&el);
		return err && err->code ? err->code : SITREP_EXIT_STORAGE;
	}
	{
		struct strbuf frozen = STRBUF_INIT;
		sb_init(&frozen);
		np = plan_load_buffer_frozen(path, row->plan_text, row->plan_len, NULL, &el, &frozen);
		if (np && !strcmp(np->hash, row->plan_hash))
			frozen_put(a, np->hash, &frozen);
		sb_release(&frozen);
	}
	if (!np) {
		struct strbuf m = STRBUF_INIT;
		sb_init(&m);
		errlist_join(&el, &m);
		err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0,
			_("the plan snapshot of incident %" PRId64 " does not load: %s"), id, m.buf);
		sb_release(&m);
		errlist_release(&el);
		return SITREP_EXIT_PLAN;
	}
	errlist_release(&el);
	cache_put(a, row->plan_hash, np);
	*p = np;
	/* the text is not needed any more: keep the row small */
	free(row->plan_text);
	row->plan_text = NULL;
	row->plan_len = 0;
	return 0;
}

void app_plans(struct app *a, struct view_plans *out)
{
	char **files = NULL;
	size_t nf = plan_list_dir(a->plans_dir, &files);
	const char **problems;

	memset(out, 0, sizeof(*out));
	out->v = arena_alloc(&out->mem, (nf ? nf : 1) * sizeof(*out->v));
	problems = arena_alloc(&out->mem, (nf ? nf : 1) * sizeof(*problems));
	for (size_t i = 0; i < nf; i++) {
		struct error_list el;
		struct plan *p;
		errlist_init(&el);
		p = plan_load_file(files[i], NULL, &el);
		if (p) {
			out->v[out->n].id = arena_strdup(&out->mem, p->id);
			out->v[out->n].text = arena_strdup(&out->mem, p->title ? p->title : p->id);
			out->n++;
			plan_free(p);
		} else {
			struct strbuf m = STRBUF_INIT;
			sb_init(&m);
			errlist_join(&el, &m);
			problems[out->nproblems++] = arena_strdup(&out->mem, m.buf);
			sb_release(&m);
		}
		errlist_release(&el);
		free(files[i]);
	}
	free(files);
	out->problems = problems;
}

void view_plans_release(struct view_plans *p)
{
	arena_release(&p->mem);
	memset(p, 0, sizeof(*p));
}

/* ---- people ---- */

size_t app_people(struct app *a, struct view_name **out)
{
	if (!a->people_done) {
		a->people_done = 1;
		a->npeople = a->contacts.n;
		a->people = arena_alloc(&a->people_mem, (a->npeople ? a->npeople : 1) * sizeof(*a->people));
		for (size_t i = 0; i < a->contacts.n; i++) {
			a->people[i].id = a->contacts.v[i].id;
			a->people[i].text = a->contacts.v[i].name;
		}
	}
	*out = a->people;
	return a->npeople;
}

const char *app_person_name(struct app *a, const char *who)
{
	const struct site_contact *c;
	if (!who || !*who)
		return who;
	c = site_contact_find(&a->contacts, who);
	return c ? c->name : who;
}

/* app: the one path every action takes (DESIGN.md "Architecture").
 *
 * State is never stored, only derived: entries in (occurred_at, id) order are
 * decoded from their JSON payloads into engine actions and applied under the
 * incident's plan snapshot. A checkpoint (engine_encode) of the state after
 * the last entry in that order is kept so that a derivation only replays the
 * tail; it is used only while no later-written entry sorts before it (a
 * backfill), otherwise the state is replayed from the start. A checkpoint
 * whose position does not fit the journal is ignored, and `verify` compares
 * the state through the checkpoint with a full replay (checkpoint_check,
 * checkpoint_disagrees). */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sitrep/app.h"
#include "sitrep/json.h"
#include "sitrep/report.h"

#ifndef SITREP_DATADIR
#define SITREP_DATADIR "/usr/local/share/sitrep"
#endif

#define PLAN_CACHE_MAX 8

struct plan_cache_slot {
	char hash[65];
	struct plan *plan;
};

struct app {
	struct journal *j;
	char *db_path;
	char *plans_dir;
	char user[ENGINE_USER_MAX];
	int read_only;
	int no_checkpoint;          /* SITREP_NO_CHECKPOINT=1: always replay in full */
	int64_t data_version;
	int have_version;
	int64_t fixed_now;          /* app_set_now; 0 = $SITREP_NOW or the system clock */
	struct plan_cache_slot cache[PLAN_CACHE_MAX];
	size_t ncache;
};

/* ---- names ---- */

static const char *const effect_names[] = {
	[EFF_OPENED] = "opened",
	[EFF_WARNING_RAISED] = "warning_raised",
	[EFF_WARNING_LIFTED] = "warning_lifted",
	[EFF_TRIGGER_FIRED] = "trigger_fired",
	[EFF_TRIGGER_CLEARED] = "trigger_cleared",
	[EFF_PROPOSAL] = "proposal",
	[EFF_PROPOSAL_WITHDRAWN] = "proposal_withdrawn",
	[EFF_LEVEL] = "level",
	[EFF_OBLIGATION_STARTED] = "obligation_started",
	[EFF_OBLIGATION_DONE] = "obligation_done",
	[EFF_OBLIGATION_CANCELLED] = "obligation_cancelled",
	[EFF_ATTESTED] = "attested",
	[EFF_COMMANDER] = "commander",
	[EFF_TERMINATED] = "terminated",
	[EFF_ASSESSED] = "assessed",
};

static const char *effect_name(enum engine_effect_kind k)
{
	if ((size_t)k < sizeof(effect_names) / sizeof(effect_names[0]) && effect_names[k])
		return effect_names[k];
	return "effect";
}

/* Payload keys per action: where the user's text and the target go. */
static const struct {
	const char *text;
	const char *target;
} act_keys[ACT__COUNT] = {
	[ACT_OPEN] = { "title", NULL },
	[ACT_LOG] = { "text", NULL },
	[ACT_METRIC] = { "note", NULL },
	[ACT_WARN] = { "reason", "warning" },
	[ACT_LIFT] = { "reason", NULL },
	[ACT_ESCALATE] = { "reason", "to" },
	[ACT_DOWNGRADE] = { "reason", "to" },
	[ACT_ASSESS] = { "reason", NULL },
	[ACT_ATTEST] = { "reason", "criterion" },
	[ACT_DONE] = { "note", "obligation" },
	[ACT_TERMINATE] = { "reason", NULL },
	[ACT_HANDOVER] = { "reason", "user" },
	[ACT_NOTE_REVIEW] = { "text", "section" },
};

/* Actions that change the incident's state: they cannot be backfilled
 * before the latest of them (docs/sitrep.1, BACKFILL). */
static int state_changing(int kind)
{
	switch (kind) {
	case ACT_OPEN: case ACT_WARN: case ACT_LIFT: case ACT_ESCALATE:
	case ACT_DOWNGRADE: case ACT_TERMINATE: case ACT_HANDOVER:
		return 1;
	default:
		return 0;
	}
}

static const char *level_id(const struct plan *p, int lv)
{
	return lv >= 0 && (size_t)lv < p->nlevels ? p->levels[lv].id : NULL;
}

static const char *warning_id(const struct plan *p, int w)
{
	return w >= 0 && (size_t)w < p->nwarnings ? p->warnings[w].id : NULL;
}

static void add_json_str_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		sb_add_json_str(sb, s);
	else
		sb_adds(sb, "null");
}

static void add_json_time(struct strbuf *sb, int64_t t)
{
	char buf[64];
	if (t == 0) {
		sb_adds(sb, "null");
		return;
	}
	sb_add_json_str(sb, time_format_utc(t, buf, sizeof(buf)));
}

static void add_json_num(struct strbuf *sb, double v)
{
	char buf[64];
	if (v != v || v > 1e300 || v < -1e300) {
		sb_adds(sb, "null");
		return;
	}
	snprintf(buf, sizeof(buf), "%.15g", v);
	sb_adds(sb, buf);
}

/* ---- opening ---- */

static int mkdir_p(const char *dir, mode_t mode)
{
	char *d = xstrdup(dir);
	int rc = 0;
	for (char *p = d + 1; ; p++) {
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

static char *default_db_path(void)
{
	const char *env = getenv("SITREP_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;
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

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
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

char *app_resolve_db_path(const char *path)
{
	return path && *path ? xstrdup(path) : default_db_path();
}

struct app *app_open(const struct app_options *o, struct sitrep_error *err)
{
	struct app *a = xcalloc(1, sizeof(*a));
	struct passwd *pw = getpwuid(getuid());
	const char *nc = getenv("SITREP_NO_CHECKPOINT");
	int flags;

	a->db_path = app_resolve_db_path(o ? o->db_path : NULL);
	a->plans_dir = app_resolve_plans_dir(o ? o->plans_dir : NULL);
	a->read_only = o ? o->read_only : 0;
	a->no_checkpoint = nc && *nc && strcmp(nc, "0") != 0;
	if (pw && pw->pw_name)
		snprintf(a->user, sizeof(a->user), "%s", pw->pw_name);
	else
		snprintf(a->user, sizeof(a->user), "uid%ld", (long)getuid());

	if (strcmp(a->db_path, ":memory:") != 0) {
		char *slash = strrchr(a->db_path, '/');
		if (slash && slash != a->db_path) {
			char *dir = xstrndup(a->db_path, (size_t)(slash - a->db_path));
			if (!is_dir(dir) && mkdir_p(dir, 0700) < 0) {
				err_set(err, SITREP_EXIT_STORAGE, NULL, 0, 0,
					"cannot create the folder '%s': %s", dir, strerror(errno));
				free(dir);
				app_close(a);
				return NULL;
			}
			free(dir);
		}
	}
	flags = JOURNAL_CREATE;
	if (a->read_only && access(a->db_path, F_OK) == 0)
		flags = JOURNAL_READ_ONLY;
	a->j = journal_open(a->db_path, flags, err);
	if (!a->j) {
		if (err && !err->code)
			err->code = SITREP_EXIT_STORAGE;
		app_close(a);
		return NULL;
	}
	return a;
}

void app_close(struct app *a)
{
	if (!a)
		return;
	if (a->j)
		journal_close(a->j);
	for (size_t i = 0; i < a->ncache; i++)
		plan_free(a->cache[i].plan);
	free(a->db_path);
	free(a->plans_dir);
	free(a);
}

const char *app_user(const struct app *a) { return a->user; }
const char *app_db_path(const struct app *a) { return a->db_path; }
const char *app_plans_dir(const struct app *a) { return a->plans_dir; }

int64_t app_now(const struct app *a)
{
	const char *env = getenv("SITREP_NOW");
	int64_t now = (int64_t)time(NULL), t;
	if (a && a->fixed_now)
		return a->fixed_now;
	if (env && *env && time_parse(env, now, &t) == 0)
		return t;
	return now;
}

void app_set_now(struct app *a, int64_t now)
{
	a->fixed_now = now;
}

int app_changed(struct app *a)
{
	int64_t v;
	if (journal_data_version(a->j, &v) != JOURNAL_OK)
		return 0;
	if (!a->have_version) {
		a->have_version = 1;
		a->data_version = v;
		return 0;
	}
	if (v != a->data_version) {
		a->data_version = v;
		return 1;
	}
	return 0;
}

/* ---- outcomes and errors ---- */

void app_outcome_init(struct app_outcome *o)
{
	memset(o, 0, sizeof(*o));
	engine_result_init(&o->result);
}

void app_outcome_release(struct app_outcome *o)
{
	engine_result_release(&o->result);
	memset(o, 0, sizeof(*o));
}

static int set_msg(char *buf, size_t size, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int set_msg(char *buf, size_t size, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return code;
}

/* A journal return code as an exit code and a message. */
static int storage_msg(struct app *a, int rc, char *buf, size_t size)
{
	const char *why = journal_errmsg(a->j);
	switch (rc) {
	case JOURNAL_OK:
		return 0;
	case JOURNAL_BUSY:
		return set_msg(buf, size, SITREP_EXIT_STORAGE,
			       "database '%s' is locked: another writer held it past the busy timeout",
			       a->db_path);
	case JOURNAL_READONLY:
		return set_msg(buf, size, SITREP_EXIT_STORAGE,
			       "database '%s' is read-only: cannot write to it", a->db_path);
	case JOURNAL_CORRUPT:
		return set_msg(buf, size, SITREP_EXIT_INTEGRITY, "journal integrity failure in '%s': %s",
			       a->db_path, why && *why ? why : "unknown");
	case JOURNAL_NOTFOUND:
		return set_msg(buf, size, SITREP_EXIT_USAGE, "not found in '%s'", a->db_path);
	default:
		return set_msg(buf, size, SITREP_EXIT_STORAGE, "storage error on '%s': %s", a->db_path,
			       why && *why ? why : "unknown");
	}
}

static int storage_err(struct app *a, int rc, struct sitrep_error *err)
{
	char buf[1024];
	int code = storage_msg(a, rc, buf, sizeof(buf));
	if (err)
		err_set(err, code, NULL, 0, 0, "%s", buf);
	return code;
}

/* ---- plan snapshots ---- */

/* Parse an incident's plan snapshot; the caller owns the plan (plan_free). */
static struct plan *load_snapshot(const struct journal_incident *row, struct sitrep_error *err)
{
	struct error_list el;
	struct strbuf path = STRBUF_INIT, m = STRBUF_INIT;
	struct plan *p;
	if (!row->plan_yaml) {
		err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0, "incident %" PRId64 " has no plan snapshot",
			row->id);
		return NULL;
	}
	errlist_init(&el);
	sb_init(&path);
	sb_addf(&path, "<snapshot of '%s' in incident %" PRId64 ">", row->plan_id ? row->plan_id : "?",
		row->id);
	p = plan_load_buffer(path.buf, row->plan_yaml, strlen(row->plan_yaml), &el);
	if (!p) {
		sb_init(&m);
		errlist_join(&el, &m);
		err_set(err, SITREP_EXIT_PLAN, NULL, 0, 0, "the plan snapshot of incident %" PRId64
			" does not load: %s", row->id, m.buf);
		sb_release(&m);
	}
	errlist_release(&el);
	sb_release(&path);
	return p;
}

/* The plan of an incident row, parsed from its snapshot (cached by hash).
 * Borrowed: valid until app_close. */
static const struct plan *snapshot_plan(struct app *a, const struct journal_incident *row,
					struct sitrep_error *err)
{
	struct plan *p;
	const char *hash = row->plan_hash ? row->plan_hash : "";

	for (size_t i = 0; i < a->ncache; i++)
		if (strcmp(a->cache[i].hash, hash) == 0 && *hash)
			return a->cache[i].plan;
	if (!(p = load_snapshot(row, err)))
		return NULL;
	if (a->ncache == PLAN_CACHE_MAX) {
		plan_free(a->cache[0].plan);
		memmove(&a->cache[0], &a->cache[1], sizeof(a->cache[0]) * (PLAN_CACHE_MAX - 1));
		a->ncache--;
	}
	snprintf(a->cache[a->ncache].hash, sizeof(a->cache[0].hash), "%s", hash);
	a->cache[a->ncache].plan = p;
	a->ncache++;
	return p;
}

/* ---- decoding entries into actions ---- */

struct decoded {
	struct json_value js;
	struct engine_action act;
	struct engine_reading *rd;
	size_t nrd, ard;
};

static void decoded_release(struct decoded *d)
{
	json_free(&d->js);
	free(d->rd);
	memset(d, 0, sizeof(*d));
}

/* Returns the action kind, or -1 when the entry is not an action (refusals,
 * exports, unknown kinds) or its payload does not decode. */
static int decode_entry(const struct plan *p, const struct journal_entry *e, struct decoded *d)
{
	int k = plan_action_lookup(e->kind);
	memset(d, 0, sizeof(*d));
	if (k < 0)
		return -1;
	if (json_parse(e->payload ? e->payload : "{}", e->payload ? strlen(e->payload) : 2,
		       &d->js, NULL) < 0 || d->js.type != JSON_OBJECT)
		return -1;
	d->act.kind = (enum plan_action)k;
	d->act.at = e->occurred_at;
	d->act.actor = e->actor;
	d->act.role = e->role && *e->role ? e->role : NULL;
	d->act.text = json_get_str(&d->js, act_keys[k].text);
	if (act_keys[k].target)
		d->act.target = json_get_str(&d->js, act_keys[k].target);
	if (k == ACT_OPEN)
		d->act.drill = json_get_bool(&d->js, "drill", 0);
	if (k == ACT_METRIC) {
		const struct json_value *r = json_get(&d->js, "readings");
		for (size_t i = 0; r && r->type == JSON_OBJECT && i < r->n; i++) {
			int m = plan_metric_index(p, r->keys[i]);
			if (m < 0 || r->items[i].type != JSON_NUMBER)
				continue;
			d->rd = xgrow(d->rd, sizeof(*d->rd), d->nrd + 1, &d->ard);
			d->rd[d->nrd].metric = m;
			d->rd[d->nrd].value = r->items[i].number;
			d->nrd++;
		}
		d->act.readings = d->rd;
		d->act.nreadings = d->nrd;
	}
	if (k == ACT_ASSESS) {
		const struct json_value *as = json_get(&d->js, "assess");
		for (size_t i = 0; i < p->matrix.ndims && i < 4; i++)
			d->act.assess[i] = json_get_str(as, p->matrix.dims[i].id);
	}
	return k;
}

/* ---- deriving state ---- */

struct walk {
	struct app *a;
	const struct plan *p;
	struct engine_state *st;
	struct engine_result r;
	int64_t last_occ, last_id;  /* position of the last entry walked */
	int any;
	/* history */
	app_item_fn fn;
	void *ctx;
	int stopped;
};

static void summarize_entry(const struct plan *p, const struct journal_entry *e,
			    const struct decoded *d, int kind, const struct json_value *js,
			    const struct engine_result *r, int applied, struct strbuf *sb);

static int emit_auto(struct walk *w, const struct engine_result *r)
{
	for (size_t i = 0; i < r->neffects && !w->stopped; i++) {
		struct app_item it;
		struct strbuf sum = STRBUF_INIT;
		sb_init(&sum);
		sb_add_escaped(&sum, r->effects[i].text);
		memset(&it, 0, sizeof(it));
		it.occurred_at = r->effects[i].at;
		it.recorded_at = r->effects[i].at;
		it.actor = "";
		it.role = "";
		it.kind = "auto";
		it.summary = sum.buf;
		it.payload = "{}";
		it.rule = "";
		it.phase = w->st->phase;
		it.level = w->st->level;
		it.warning = w->st->warning;
		it.effects = &r->effects[i];
		it.neffects = 1;
		if (w->fn(&it, w->st, w->ctx))
			w->stopped = 1;
		sb_release(&sum);
	}
	return w->stopped;
}

static int walk_entry(const struct journal_entry *e, void *ctx)
{
	struct walk *w = ctx;
	struct decoded d;
	int k, applied = 0;

	if (w->fn) {
		engine_result_reset(&w->r);
		engine_advance(w->st, w->p, e->occurred_at, &w->r);
		if (emit_auto(w, &w->r))
			return 1;
	}
	engine_result_reset(&w->r);
	k = decode_entry(w->p, e, &d);
	if (k >= 0)
		applied = engine_apply(w->st, w->p, &d.act, &w->r) == ENGINE_OK;
	w->last_occ = e->occurred_at;
	w->last_id = e->id;
	w->any = 1;
	if (w->fn) {
		struct app_item it;
		struct strbuf sum = STRBUF_INIT;
		struct json_value js;
		int have_js;
		memset(&js, 0, sizeof(js));
		have_js = k >= 0 ? 0 : json_parse(e->payload ? e->payload : "{}",
					     e->payload ? strlen(e->payload) : 2, &js, NULL) == 0;
		sb_init(&sum);
		summarize_entry(w->p, e, k >= 0 ? &d : NULL, k, k >= 0 ? &d.js : (have_js ? &js : NULL),
				&w->r, applied, &sum);
		memset(&it, 0, sizeof(it));
		it.entry_id = e->id;
		it.occurred_at = e->occurred_at;
		it.recorded_at = e->recorded_at;
		it.actor = e->actor ? e->actor : "";
		it.role = e->role ? e->role : "";
		it.kind = e->kind;
		it.summary = sum.buf;
		it.payload = e->payload ? e->payload : "{}";
		if (k >= 0) {
			it.text = d.act.text;
		} else if (have_js) {
			it.text = json_get_str(&js, "reason");
			if (!it.text)
				it.text = json_get_str(&js, "text");
		}
		it.refused = strcmp(e->kind, "refused") == 0;
		it.rule = "";
		if (it.refused && have_js && json_get_str(&js, "rule"))
			it.rule = json_get_str(&js, "rule");
		it.phase = w->st->phase;
		it.level = w->st->level;
		it.warning = w->st->warning;
		it.effects = applied ? w->r.effects : NULL;
		it.neffects = applied ? w->r.neffects : 0;
		if (w->fn(&it, w->st, w->ctx))
			w->stopped = 1;
		sb_release(&sum);
		if (have_js)
			json_free(&js);
	}
	if (k >= 0)
		decoded_release(&d);
	return w->stopped;
}

struct derived_pos {
	int64_t pos_occ, pos_id;    /* position of the last entry covered */
	int any;
	int used_checkpoint;        /* the derivation started from the checkpoint */
};

enum cp_fit { CP_FITS, CP_INCONSISTENT, CP_ERROR };

/* Does a checkpoint's position fit the journal? It covers entries up to
 * max_id, which cannot be later than the incident's last entry, and its
 * position (pos_occ, pos_id) must be an entry of this incident with that
 * occurred_at, at most max_id. A checkpoint that does not fit was not
 * written by sitrep for this journal: it is ignored (replay instead). */
static enum cp_fit checkpoint_check(struct app *a, int64_t id, const struct journal_checkpoint *cp)
{
	struct journal_entry e;
	char head[65];
	int64_t last = 0;
	enum cp_fit fit;

	if (journal_head(a->j, id, &last, head) != JOURNAL_OK)
		return CP_ERROR;
	if (cp->max_id <= 0 || cp->max_id > last || cp->pos_id <= 0 || cp->pos_id > cp->max_id)
		return CP_INCONSISTENT;
	memset(&e, 0, sizeof(e));
	switch (journal_entry_get(a->j, cp->pos_id, &e)) {
	case JOURNAL_OK:
		fit = e.incident == id && e.occurred_at == cp->pos_occ ? CP_FITS : CP_INCONSISTENT;
		journal_entry_release(&e);
		return fit;
	case JOURNAL_NOTFOUND:
		return CP_INCONSISTENT;
	default:
		return CP_ERROR;
	}
}

/* Derive the state of incident `id` as of `upto` (entries with occurred_at <=
 * upto) into st, which this initialises. Without `fn`, a valid checkpoint is
 * used. When pos is non-NULL it receives the position of the last entry
 * covered (for writing a checkpoint; meaningful only for upto = INT64_MAX).
 * The state is NOT advanced to upto: callers do that. */
static int derive(struct app *a, int64_t id, const struct plan *p, int64_t upto,
		  struct engine_state *st, app_item_fn fn, void *ctx, struct derived_pos *pos)
{
	struct walk w;
	int64_t after_occ = INT64_MIN, after_id = 0;
	int rc;

	memset(&w, 0, sizeof(w));
	engine_init(st, p);
	if (pos)
		pos->used_checkpoint = 0;
	if (!fn && !a->no_checkpoint) {
		struct journal_checkpoint cp;
		memset(&cp, 0, sizeof(cp));
		if (journal_checkpoint_get(a->j, id, &cp) == JOURNAL_OK && cp.blob && cp.len &&
		    checkpoint_check(a, id, &cp) == CP_FITS) {
			int64_t min_occ = INT64_MAX;
			if (journal_min_occurred_since(a->j, id, cp.max_id, &min_occ) == JOURNAL_OK &&
			    min_occ >= cp.pos_occ && upto >= cp.pos_occ) {
				/* engine_decode initialises st itself, and releases it on failure */
				engine_release(st);
				if (engine_decode(st, p, cp.blob, cp.len) == 0) {
					after_occ = cp.pos_occ;
					after_id = cp.pos_id;
					w.any = 1;
					w.last_occ = cp.pos_occ;
					w.last_id = cp.pos_id;
					if (pos)
						pos->used_checkpoint = 1;
				} else {
					engine_init(st, p);
				}
			}
		}
		journal_checkpoint_release(&cp);
	}
	w.a = a;
	w.p = p;
	w.st = st;
	w.fn = fn;
	w.ctx = ctx;
	engine_result_init(&w.r);
	rc = journal_each(a->j, id, after_occ, after_id, upto, walk_entry, &w);
	if (fn && rc == JOURNAL_OK && !w.stopped && upto != INT64_MAX) {
		engine_result_reset(&w.r);
		engine_advance(st, p, upto, &w.r);
		emit_auto(&w, &w.r);
	}
	engine_result_release(&w.r);
	if (pos) {
		pos->pos_occ = w.last_occ;
		pos->pos_id = w.last_id;
		pos->any = w.any;
	}
	return rc;
}

/* Inside a write transaction: store the state after every entry. */
static int write_checkpoint(struct app *a, int64_t id, const struct plan *p)
{
	struct engine_state st;
	struct derived_pos pos;
	struct journal_checkpoint cp;
	struct strbuf blob = STRBUF_INIT;
	char head[65];
	int64_t last = 0;
	int rc;

	if (a->no_checkpoint)
		return JOURNAL_OK;
	rc = journal_head(a->j, id, &last, head);
	if (rc != JOURNAL_OK)
		return rc;
	rc = derive(a, id, p, INT64_MAX, &st, NULL, NULL, &pos);
	if (rc == JOURNAL_OK && pos.any) {
		sb_init(&blob);
		engine_encode(&st, &blob);
		memset(&cp, 0, sizeof(cp));
		cp.max_id = last;
		cp.pos_occ = pos.pos_occ;
		cp.pos_id = pos.pos_id;
		cp.blob = blob.buf;
		cp.len = blob.len;
		rc = journal_checkpoint_put(a->j, id, &cp);
		sb_release(&blob);
	}
	engine_release(&st);
	return rc;
}

/* ---- payloads ---- */

static void add_effects_json(struct strbuf *sb, const struct plan *p,
			     const struct engine_state *st, const struct engine_result *r)
{
	sb_adds(sb, "[");
	for (size_t i = 0; i < r->neffects; i++) {
		const struct engine_effect *ef = &r->effects[i];
		if (i)
			sb_adds(sb, ",");
		sb_adds(sb, "{\"kind\":");
		sb_add_json_str(sb, effect_name(ef->kind));
		sb_adds(sb, ",\"at\":");
		add_json_time(sb, ef->at);
		switch (ef->kind) {
		case EFF_WARNING_RAISED:
		case EFF_WARNING_LIFTED:
			sb_adds(sb, ",\"warning\":");
			add_json_str_or_null(sb, warning_id(p, ef->ref));
			break;
		case EFF_PROPOSAL:
		case EFF_PROPOSAL_WITHDRAWN:
		case EFF_ASSESSED:
			sb_adds(sb, ",\"level\":");
			add_json_str_or_null(sb, level_id(p, ef->ref));
			break;
		case EFF_LEVEL:
			sb_adds(sb, ",\"level\":");
			add_json_str_or_null(sb, level_id(p, ef->ref));
			sb_adds(sb, ",\"from\":");
			add_json_str_or_null(sb, level_id(p, ef->from));
			break;
		case EFF_TRIGGER_FIRED:
		case EFF_TRIGGER_CLEARED:
			if (ef->ref >= 0 && (size_t)ef->ref < p->ntriggers) {
				sb_adds(sb, ",\"trigger\":");
				sb_add_json_str(sb, p->triggers[ef->ref].id);
			}
			break;
		case EFF_OBLIGATION_STARTED:
		case EFF_OBLIGATION_DONE:
		case EFF_OBLIGATION_CANCELLED:
			if (st && ef->ref >= 0 && (size_t)ef->ref < st->nobls) {
				const char *oid = engine_obligation_id(p, &st->obls[ef->ref]);
				sb_adds(sb, ",\"obligation\":");
				add_json_str_or_null(sb, oid);
				sb_adds(sb, ",\"due\":");
				add_json_time(sb, st->obls[ef->ref].due);
			}
			break;
		case EFF_ATTESTED:
			if (ef->ref >= 0 && (size_t)ef->ref < p->ncriteria) {
				sb_adds(sb, ",\"criterion\":");
				sb_add_json_str(sb, p->criteria[ef->ref].id);
			}
			break;
		default:
			break;
		}
		if (ef->trigger >= 0 && (size_t)ef->trigger < p->ntriggers &&
		    ef->kind != EFF_TRIGGER_FIRED && ef->kind != EFF_TRIGGER_CLEARED) {
			sb_adds(sb, ",\"by\":");
			sb_add_json_str(sb, p->triggers[ef->trigger].id);
		}
		sb_adds(sb, ",\"text\":");
		sb_add_json_str(sb, ef->text);
		sb_adds(sb, "}");
	}
	sb_adds(sb, "]");
}

/* The request's own fields (shared by accepted and refused entries). */
static void add_request_fields(struct strbuf *sb, const struct plan *p, const struct app_request *rq)
{
	int k = rq->kind;
	int first = 1;
#define SEP() do { if (!first) sb_adds(sb, ","); first = 0; } while (0)
	if (rq->text && act_keys[k].text) {
		SEP();
		sb_add_json_str(sb, act_keys[k].text);
		sb_adds(sb, ":");
		sb_add_json_str(sb, rq->text);
	}
	if (k == ACT_ESCALATE || k == ACT_DOWNGRADE) {
		SEP();
		sb_adds(sb, "\"requested\":");
		add_json_str_or_null(sb, rq->target);
	} else if (rq->target && act_keys[k].target) {
		SEP();
		sb_add_json_str(sb, act_keys[k].target);
		sb_adds(sb, ":");
		sb_add_json_str(sb, rq->target);
	}
	if (k == ACT_METRIC) {
		SEP();
		sb_adds(sb, "\"readings\":{");
		for (size_t i = 0; i < rq->nmetrics; i++) {
			if (i)
				sb_adds(sb, ",");
			sb_add_json_str(sb, rq->metric_names[i]);
			sb_adds(sb, ":");
			add_json_num(sb, rq->metric_values[i]);
		}
		sb_adds(sb, "}");
	}
	if (k == ACT_ASSESS) {
		SEP();
		sb_adds(sb, "\"assess\":{");
		for (size_t i = 0; i < rq->nassess; i++) {
			if (i)
				sb_adds(sb, ",");
			sb_add_json_str(sb, rq->assess_dims[i]);
			sb_adds(sb, ":");
			add_json_str_or_null(sb, rq->assess_values[i]);
		}
		sb_adds(sb, "}");
	}
	(void)p;
#undef SEP
	if (first)
		sb_adds(sb, "\"_\":null");
}

/* ---- actions ---- */

static int begin_write(struct app *a, struct app_outcome *out)
{
	int rc;
	if (a->read_only)
		return set_msg(out->message, sizeof(out->message), SITREP_EXIT_STORAGE,
			       "database '%s' is open read-only", a->db_path);
	rc = journal_begin(a->j);
	if (rc != JOURNAL_OK)
		return storage_msg(a, rc, out->message, sizeof(out->message));
	return 0;
}

static int fail_rollback(struct app *a, struct app_outcome *out, int rc)
{
	int code = storage_msg(a, rc, out->message, sizeof(out->message));
	journal_rollback(a->j);
	return out->code = code ? code : SITREP_EXIT_STORAGE;
}

static void summary_from_effects(const struct engine_result *r, const char *dflt, char *buf,
				 size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	for (size_t i = 0; i < r->neffects; i++) {
		if (!r->effects[i].text[0])
			continue;
		if (sb.len)
			sb_adds(&sb, "; ");
		sb_add_escaped(&sb, r->effects[i].text);
	}
	snprintf(buf, size, "%s", sb.len ? sb.buf : dflt);
	sb_release(&sb);
}

static int act_open(struct app *a, const struct app_request *rq, int64_t at, struct app_outcome *out)
{
	struct error_list el;
	struct plan *p;
	struct engine_state st;
	struct engine_action act;
	struct journal_entry e;
	struct strbuf pl = STRBUF_INIT;
	int64_t id = 0;
	int rc, code;
	int64_t now = app_now(a);

	if (!rq->plan || !*rq->plan)
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "open needs a plan (--plan NAME)");
	if (!rq->text || !*rq->text)
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "open needs a title");
	errlist_init(&el);
	p = plan_find(a->plans_dir, rq->plan, &el);
	if (!p) {
		struct strbuf m = STRBUF_INIT;
		sb_init(&m);
		errlist_join(&el, &m);
		out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_PLAN,
				    "cannot use plan '%s': %s", rq->plan,
				    m.len ? m.buf : "not found");
		sb_release(&m);
		errlist_release(&el);
		return out->code;
	}
	errlist_release(&el);

	if ((code = begin_write(a, out)) != 0) {
		plan_free(p);
		return out->code = code;
	}
	rc = journal_incident_create(a->j, rq->text, p->id, p->yaml, p->yaml_len, p->hash,
				     rq->drill, now, &id);
	if (rc != JOURNAL_OK) {
		plan_free(p);
		return fail_rollback(a, out, rc);
	}
	engine_init(&st, p);
	memset(&act, 0, sizeof(act));
	act.kind = ACT_OPEN;
	act.at = at;
	act.actor = a->user;
	act.role = rq->role;
	act.text = rq->text;
	act.drill = rq->drill;
	engine_result_reset(&out->result);
	if (engine_apply(&st, p, &act, &out->result) != ENGINE_OK) {
		/* Nothing to hang a refusal on: the incident is not created. */
		journal_rollback(a->j);
		set_msg(out->message, sizeof(out->message), 0, "refused by rule '%s': %s",
			out->result.rule, out->result.message);
		engine_release(&st);
		plan_free(p);
		return out->code = SITREP_EXIT_REFUSED;
	}
	sb_init(&pl);
	sb_adds(&pl, "{\"title\":");
	sb_add_json_str(&pl, rq->text);
	sb_adds(&pl, ",\"plan\":");
	sb_add_json_str(&pl, p->id);
	sb_adds(&pl, ",\"plan_hash\":");
	sb_add_json_str(&pl, p->hash);
	sb_addf(&pl, ",\"drill\":%s,\"effects\":", rq->drill ? "true" : "false");
	add_effects_json(&pl, p, &st, &out->result);
	sb_adds(&pl, "}");
	memset(&e, 0, sizeof(e));
	e.incident = id;
	e.recorded_at = now;
	e.occurred_at = at;
	e.actor = a->user;
	e.role = out->result.role;
	e.kind = (char *)"open";
	e.payload = pl.buf;
	rc = journal_append(a->j, &e);
	if (rc == JOURNAL_OK) {
		/* The plan is parsed from the snapshot from now on. */
		struct journal_incident row;
		if ((rc = journal_incident_get(a->j, id, 1, &row)) == JOURNAL_OK) {
			struct sitrep_error perr = SITREP_ERROR_INIT;
			const struct plan *sp = snapshot_plan(a, &row, &perr);
			rc = sp ? write_checkpoint(a, id, sp) : JOURNAL_OK;
			err_release(&perr);
			journal_incident_release(&row);
		}
	}
	engine_release(&st);
	sb_release(&pl);
	plan_free(p);
	if (rc != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	rc = journal_commit(a->j);
	if (rc != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	out->incident = id;
	out->entry = e.id;
	summary_from_effects(&out->result, "opened", out->message, sizeof(out->message));
	return out->code = SITREP_EXIT_OK;
}

/* Did a state-changing entry occur after t? (backfill rule) */
struct later_ctx { int64_t t; int found; int64_t occ; };
static int later_cb(const struct journal_entry *e, void *ctx)
{
	struct later_ctx *c = ctx;
	int k = plan_action_lookup(e->kind);
	if (k >= 0 && state_changing(k) && e->occurred_at > c->t) {
		c->found = 1;
		c->occ = e->occurred_at;
		return 1;
	}
	return 0;
}

int app_parse_reading(const char *s, double *out)
{
	const char *p = s;
	char *end;
	double v;
	int digits = 0;

	if (!s)
		return -1;
	if (*p == '+' || *p == '-')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (*end || !isfinite(v) || (errno == ERANGE && v != 0.0))
		return -1;
	*out = v;
	return 0;
}

/* Check a request against the plan before the engine sees it: names that
 * do not exist are usage errors, not refusals. Returns 0 or an exit code. */
static int check_names(const struct plan *p, const struct engine_state *st,
		       const struct app_request *rq, char *msg, size_t size)
{
	switch (rq->kind) {
	case ACT_METRIC:
		if (rq->nmetrics == 0)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "metric needs NAME=VALUE readings");
		for (size_t i = 0; i < rq->nmetrics; i++) {
			if (plan_metric_index(p, rq->metric_names[i]) < 0)
				return set_msg(msg, size, SITREP_EXIT_USAGE,
					       "plan '%s' has no metric '%s'", p->id, rq->metric_names[i]);
			if (!isfinite(rq->metric_values[i]))
				return set_msg(msg, size, SITREP_EXIT_USAGE,
					       "reading '%s' is not a finite number", rq->metric_names[i]);
		}
		break;
	case ACT_WARN:
		if (!rq->target || plan_warning_index(p, rq->target) < 0)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "plan '%s' has no warning '%s'",
				       p->id, rq->target ? rq->target : "");
		break;
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
		if (rq->target && plan_level_index(p, rq->target) < 0)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "plan '%s' has no level '%s'",
				       p->id, rq->target);
		break;
	case ACT_ATTEST:
		if (!rq->target || plan_criterion_index(p, rq->target) < 0)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "plan '%s' has no criterion '%s'",
				       p->id, rq->target ? rq->target : "");
		break;
	case ACT_DONE: {
		int found = rq->target && plan_obligation_index(p, rq->target) >= 0;
		for (size_t i = 0; !found && rq->target && i < st->nobls; i++) {
			const char *oid = engine_obligation_id(p, &st->obls[i]);
			found = oid && strcmp(oid, rq->target) == 0;
		}
		if (!found)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "plan '%s' has no obligation '%s'",
				       p->id, rq->target ? rq->target : "");
		break;
	}
	case ACT_HANDOVER:
		if (!rq->target || !*rq->target)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "handover needs a user");
		break;
	case ACT_NOTE_REVIEW:
		if (!rq->target || !*rq->target)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "note-review needs a section");
		if (!rq->text || !*rq->text)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "note-review needs a text");
		if (report_section_index(rq->target) < 0) {
			struct strbuf ids = STRBUF_INIT;
			int code;
			sb_init(&ids);
			for (int i = 0; i < REPORT_NSECTIONS; i++)
				sb_addf(&ids, "%s%s", i ? ", " : "", report_section_ids[i]);
			code = set_msg(msg, size, SITREP_EXIT_USAGE,
				       "unknown review section '%s' (one of: %s)", rq->target, ids.buf);
			sb_release(&ids);
			return code;
		}
		break;
	case ACT_LOG:
		if (!rq->text || !*rq->text)
			return set_msg(msg, size, SITREP_EXIT_USAGE, "log needs a text");
		break;
	case ACT_ASSESS:
		for (size_t i = 0; i < rq->nassess; i++) {
			int found = 0;
			for (size_t d = 0; d < p->matrix.ndims; d++) {
				if (strcmp(p->matrix.dims[d].id, rq->assess_dims[i]) != 0)
					continue;
				found = 1;
				/* ids, the plan's aliases, and durations into buckets */
				int ok = plan_dim_value(p, d, rq->assess_values[i]) >= 0;
				if (!ok) {
					struct strbuf vals = STRBUF_INIT;
					int code;
					sb_init(&vals);
					for (size_t v = 0; v < p->matrix.dims[d].nvalues; v++)
						sb_addf(&vals, "%s%s", v ? ", " : "", p->matrix.dims[d].values[v]);
					code = set_msg(msg, size, SITREP_EXIT_USAGE,
						       "'%s' is not a value of '%s' (one of: %s)",
						       rq->assess_values[i] ? rq->assess_values[i] : "",
						       rq->assess_dims[i], vals.buf);
					sb_release(&vals);
					return code;
				}
			}
			if (!found && p->matrix.ndims)
				return set_msg(msg, size, SITREP_EXIT_USAGE,
					       "plan '%s' has no assessment dimension '%s'", p->id,
					       rq->assess_dims[i]);
		}
		for (size_t d = 0; d < p->matrix.ndims; d++) {
			int given = 0;
			for (size_t i = 0; i < rq->nassess; i++)
				given |= strcmp(p->matrix.dims[d].id, rq->assess_dims[i]) == 0;
			if (!given)
				return set_msg(msg, size, SITREP_EXIT_USAGE, "assess needs --%s",
					       p->matrix.dims[d].id);
		}
		break;
	default:
		break;
	}
	return 0;
}

/* A correction points at an earlier entry of the same incident; only notes
 * carry one (a correction never changes state: it is read by people). */
static int check_corrects(struct app *a, const struct app_request *rq, char *msg, size_t size)
{
	struct journal_entry e;
	int rc, bad;
	if (!rq->corrects)
		return 0;
	if (rq->kind != ACT_LOG)
		return set_msg(msg, size, SITREP_EXIT_USAGE, "only a note can correct an entry");
	memset(&e, 0, sizeof(e));
	rc = journal_entry_get(a->j, rq->corrects, &e);
	if (rc != JOURNAL_OK && rc != JOURNAL_NOTFOUND) {
		journal_entry_release(&e);
		return set_msg(msg, size, SITREP_EXIT_STORAGE, "%s", journal_errmsg(a->j));
	}
	bad = rc == JOURNAL_NOTFOUND || e.incident != rq->incident;
	journal_entry_release(&e);
	if (bad)
		return set_msg(msg, size, SITREP_EXIT_USAGE, "incident %" PRId64 " has no entry %" PRId64,
			       rq->incident, rq->corrects);
	return 0;
}

/* Journal a refusal inside the open transaction and commit. */
static int journal_refusal(struct app *a, int64_t id, const struct plan *p,
			   const struct app_request *rq, int64_t at, int64_t now,
			   const char *rule, const char *message, const char *role,
			   struct app_outcome *out)
{
	struct strbuf pl = STRBUF_INIT;
	struct journal_entry e;
	int rc;

	sb_init(&pl);
	sb_adds(&pl, "{\"action\":");
	sb_add_json_str(&pl, plan_action_names[rq->kind]);
	sb_adds(&pl, ",\"rule\":");
	sb_add_json_str(&pl, rule);
	sb_adds(&pl, ",\"message\":");
	sb_add_json_str(&pl, message);
	sb_adds(&pl, ",\"at\":");
	add_json_time(&pl, at);
	if (rq->role) {
		sb_adds(&pl, ",\"as\":");
		sb_add_json_str(&pl, rq->role);
	}
	sb_adds(&pl, ",");
	add_request_fields(&pl, p, rq);
	sb_adds(&pl, "}");
	memset(&e, 0, sizeof(e));
	e.incident = id;
	e.recorded_at = now;
	e.occurred_at = now;   /* the attempt happened now, whatever --at it claimed */
	e.actor = a->user;
	e.role = (char *)(role ? role : "");
	e.kind = (char *)"refused";
	e.payload = pl.buf;
	rc = journal_append(a->j, &e);
	sb_release(&pl);
	if (rc == JOURNAL_OK)
		rc = write_checkpoint(a, id, p);
	if (rc != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	if ((rc = journal_commit(a->j)) != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	out->entry = e.id;
	snprintf(out->result.rule, sizeof(out->result.rule), "%s", rule);
	if (out->result.message != message)
		snprintf(out->result.message, sizeof(out->result.message), "%s", message);
	out->result.status = ENGINE_REFUSED;
	set_msg(out->message, sizeof(out->message), 0, "refused by rule '%s': %s", rule, message);
	return out->code = SITREP_EXIT_REFUSED;
}

int app_act(struct app *a, const struct app_request *rq, struct app_outcome *out)
{
	int64_t now = app_now(a);
	int64_t at = rq->at ? rq->at : now;
	struct journal_incident row;
	const struct plan *p;
	struct sitrep_error perr = SITREP_ERROR_INIT;
	struct engine_state st;
	struct engine_action act;
	struct engine_reading *rd = NULL;
	struct journal_entry e;
	struct strbuf pl = STRBUF_INIT;
	int rc, code;
	int seen_known = 0;
	const char *seen_name = NULL;
	char seen_buf[ENGINE_ID_MAX];

	out->code = 0;
	out->incident = rq->incident;
	out->entry = 0;
	out->message[0] = '\0';
	engine_result_reset(&out->result);
	if ((int)rq->kind < 0 || rq->kind >= ACT__COUNT)
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "unknown action");
	if (at > now)
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "--at is in the future");
	if (rq->kind == ACT_OPEN)
		return act_open(a, rq, at, out);

	/* One step is relative to the level the caller saw: read it before the
	 * write transaction when the caller (a command) did not say. */
	if ((rq->kind == ACT_ESCALATE || rq->kind == ACT_DOWNGRADE) && !rq->target) {
		if (rq->has_seen) {
			seen_known = 1;
			seen_name = rq->seen_level && *rq->seen_level ? rq->seen_level : NULL;
		} else {
			struct app_incident cur;
			struct sitrep_error lerr = SITREP_ERROR_INIT;
			if (app_incident_load(a, rq->incident, at, &cur, &lerr) == 0) {
				seen_known = 1;
				if (cur.st.phase == PHASE_RESPONSE && cur.st.level >= 0) {
					snprintf(seen_buf, sizeof seen_buf, "%s",
						 cur.plan->levels[cur.st.level].id);
					seen_name = seen_buf;
				}
				app_incident_release(&cur);
			}
			err_release(&lerr);
		}
	}

	if ((code = begin_write(a, out)) != 0)
		return out->code = code;
	memset(&row, 0, sizeof(row));
	rc = journal_incident_get(a->j, rq->incident, 1, &row);
	if (rc == JOURNAL_NOTFOUND) {
		journal_rollback(a->j);
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "no incident %" PRId64, rq->incident);
	}
	if (rc != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	p = snapshot_plan(a, &row, &perr);
	journal_incident_release(&row);
	if (!p) {
		journal_rollback(a->j);
		snprintf(out->message, sizeof(out->message), "%s", perr.msg ? perr.msg : "plan error");
		err_release(&perr);
		return out->code = SITREP_EXIT_PLAN;
	}

	rc = derive(a, rq->incident, p, at, &st, NULL, NULL, NULL);
	if (rc != JOURNAL_OK) {
		engine_release(&st);
		return fail_rollback(a, out, rc);
	}
	engine_advance(&st, p, at, NULL);

	if ((code = check_names(p, &st, rq, out->message, sizeof(out->message))) != 0 ||
	    (code = check_corrects(a, rq, out->message, sizeof(out->message))) != 0) {
		engine_release(&st);
		journal_rollback(a->j);
		return out->code = code;
	}
	/* Backfill rules. */
	if (!st.opened) {
		char buf[64], msg[256];
		snprintf(msg, sizeof(msg), "--at %s is before the incident was opened",
			 time_format_utc(at, buf, sizeof(buf)));
		engine_release(&st);
		return journal_refusal(a, rq->incident, p, rq, at, now, "backfill", msg, NULL, out);
	}
	if (state_changing(rq->kind) && at < now) {
		struct later_ctx lc = { at, 0, 0 };
		rc = journal_each(a->j, rq->incident, at, INT64_MAX, INT64_MAX, later_cb, &lc);
		if (rc != JOURNAL_OK) {
			engine_release(&st);
			return fail_rollback(a, out, rc);
		}
		if (lc.found) {
			char b1[64], b2[64], msg[512];
			snprintf(msg, sizeof(msg),
				 "'%s' cannot be placed at %s, before the state change recorded at %s",
				 plan_action_names[rq->kind], time_format_utc(at, b1, sizeof(b1)),
				 time_format_utc(lc.occ, b2, sizeof(b2)));
			engine_release(&st);
			return journal_refusal(a, rq->incident, p, rq, at, now, "backfill", msg, NULL, out);
		}
	}

	memset(&act, 0, sizeof(act));
	act.kind = rq->kind;
	act.at = at;
	act.actor = a->user;
	act.role = rq->role;
	act.text = rq->text;
	act.target = rq->target;
	if (seen_known && seen_name && plan_level_index(p, seen_name) < 0) {
		engine_release(&st);
		journal_rollback(a->j);
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "plan '%s' has no level '%s'", p->id, seen_name);
	}
	if (seen_known) {
		act.has_seen = 1;
		act.seen_level = seen_name ? plan_level_index(p, seen_name) : -1;
	}
	if (rq->kind == ACT_METRIC) {
		rd = xcalloc(rq->nmetrics ? rq->nmetrics : 1, sizeof(*rd));
		for (size_t i = 0; i < rq->nmetrics; i++) {
			rd[i].metric = plan_metric_index(p, rq->metric_names[i]);
			rd[i].value = rq->metric_values[i];
		}
		act.readings = rd;
		act.nreadings = rq->nmetrics;
	}
	if (rq->kind == ACT_ASSESS)
		for (size_t d = 0; d < p->matrix.ndims && d < 4; d++)
			for (size_t i = 0; i < rq->nassess; i++)
				if (strcmp(p->matrix.dims[d].id, rq->assess_dims[i]) == 0)
					act.assess[d] = rq->assess_values[i];

	if (engine_apply(&st, p, &act, &out->result) != ENGINE_OK) {
		char rule[ENGINE_ID_MAX];
		snprintf(rule, sizeof(rule), "%s", out->result.rule[0] ? out->result.rule : "engine");
		engine_release(&st);
		free(rd);
		return journal_refusal(a, rq->incident, p, rq, at, now, rule, out->result.message,
				       out->result.role, out);
	}
	free(rd);

	sb_init(&pl);
	sb_adds(&pl, "{");
	add_request_fields(&pl, p, rq);
	if (rq->kind == ACT_ESCALATE || rq->kind == ACT_DOWNGRADE) {
		sb_adds(&pl, ",\"from\":");
		add_json_str_or_null(&pl, level_id(p, out->result.from_level));
		sb_adds(&pl, ",\"to\":");
		add_json_str_or_null(&pl, level_id(p, out->result.to_level));
		sb_adds(&pl, ",\"answered\":");
		add_json_str_or_null(&pl, out->result.answered[0] ? out->result.answered : NULL);
	}
	if (rq->role) {
		sb_adds(&pl, ",\"as\":");
		sb_add_json_str(&pl, rq->role);
	}
	if (rq->corrects)
		sb_addf(&pl, ",\"corrects\":%" PRId64, rq->corrects);
	sb_adds(&pl, ",\"effects\":");
	add_effects_json(&pl, p, &st, &out->result);
	sb_adds(&pl, "}");
	memset(&e, 0, sizeof(e));
	e.incident = rq->incident;
	e.recorded_at = now;
	e.occurred_at = at;
	e.actor = a->user;
	e.role = out->result.role;
	e.kind = (char *)plan_action_names[rq->kind];
	e.payload = pl.buf;
	e.corrects = rq->corrects;
	rc = journal_append(a->j, &e);
	sb_release(&pl);
	engine_release(&st);
	if (rc == JOURNAL_OK)
		rc = write_checkpoint(a, rq->incident, p);
	if (rc != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	if ((rc = journal_commit(a->j)) != JOURNAL_OK)
		return fail_rollback(a, out, rc);
	out->entry = e.id;
	{
		char dflt[128];
		snprintf(dflt, sizeof(dflt), "%s recorded (entry %" PRId64 ")",
			 plan_action_names[rq->kind], e.id);
		summary_from_effects(&out->result, dflt, out->message, sizeof(out->message));
	}
	return out->code = SITREP_EXIT_OK;
}

/* ---- CSV import ---- */

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
	return a->line - b->line;  /* stable: file order within one time */
}

/* Split one record (RFC 4180) starting at *pp; advances past its line end.
 * Fields are appended to f (owned strings). Returns 0, or -1 on a bad quote. */
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

int app_import_csv(struct app *a, int64_t incident, const char *path, const char *role,
		   struct app_outcome *out)
{
	struct strbuf data = STRBUF_INIT;
	FILE *fp;
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct csv_row *rows = NULL;
	size_t nrows = 0, arows = 0;
	int64_t now = app_now(a);
	int code = 0, line = 1, rc;
	const char *p, *end;
	struct journal_incident row;
	const struct plan *pl = NULL;
	struct sitrep_error perr = SITREP_ERROR_INIT;
	struct engine_state st;
	int st_live = 0;
	size_t i, nentries = 0;

	out->code = 0;
	out->incident = incident;
	out->message[0] = '\0';
	engine_result_reset(&out->result);
	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!fp)
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "cannot open '%s': %s", path, strerror(errno));
	sb_init(&data);
	{
		char buf[8192];
		size_t n;
		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			sb_add(&data, buf, n);
	}
	if (fp != stdin)
		fclose(fp);

	/* Parse everything first: a bad line writes nothing. */
	p = data.buf;
	end = data.buf + data.len;
	while (p < end && !code) {
		char **f = NULL;
		size_t nf = 0, af = 0;
		int start = line;
		int extra = 0;
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			p += *p == '\r' ? 2 : 1;
			line++;
			continue;
		}
		if (csv_record(&p, end, &f, &nf, &af, &extra) < 0) {
			code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
				       "%s:%d: unterminated or misplaced quote", shown, start);
		} else if (nf == 1 && !*trim(f[0])) {
			/* blank line */
		} else if (nf != 3) {
			code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
				       "%s:%d: expected 3 fields (time,name,value), got %zu", shown, start, nf);
		} else {
			char *ts = trim(f[0]), *name = trim(f[1]), *val = trim(f[2]);
			int64_t t;
			double v;
			if (nrows == 0 && start == 1 && strcmp(ts, "time") == 0) {
				/* header */
			} else if (time_parse(ts, now, &t) < 0) {
				code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					       "%s:%d: '%s' is not a time (ISO 8601 expected)", shown, start, ts);
			} else if (!*name) {
				code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					       "%s:%d: empty metric name", shown, start);
			} else if (app_parse_reading(val, &v) < 0) {
				code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					       "%s:%d: '%s' for '%s' is not a number (a decimal like 12 or 3.5 expected)",
					       shown, start, val, name);
			} else if (t > now) {
				code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					       "%s:%d: time '%s' is in the future", shown, start, ts);
			} else {
				rows = xgrow(rows, sizeof(*rows), nrows + 1, &arows);
				rows[nrows].t = t;
				rows[nrows].name = xstrdup(name);
				rows[nrows].value = v;
				rows[nrows].line = start;
				nrows++;
			}
		}
		line = start + 1 + extra;
		for (size_t k = 0; k < nf; k++)
			free(f[k]);
		free(f);
	}
	sb_release(&data);
	if (!code && nrows == 0)
		code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
			       "%s: no readings", shown);
	if (code)
		goto done;
	qsort(rows, nrows, sizeof(*rows), csv_cmp);

	if ((code = begin_write(a, out)) != 0)
		goto done;
	rc = journal_incident_get(a->j, incident, 1, &row);
	if (rc == JOURNAL_NOTFOUND) {
		journal_rollback(a->j);
		code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
			       "no incident %" PRId64, incident);
		goto done;
	}
	if (rc != JOURNAL_OK) {
		code = fail_rollback(a, out, rc);
		goto done;
	}
	pl = snapshot_plan(a, &row, &perr);
	journal_incident_release(&row);
	if (!pl) {
		journal_rollback(a->j);
		code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_PLAN, "%s", perr.msg);
		err_release(&perr);
		goto done;
	}
	for (i = 0; i < nrows; i++)
		if (plan_metric_index(pl, rows[i].name) < 0) {
			journal_rollback(a->j);
			code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
				       "%s:%d: plan '%s' has no metric '%s'", shown, rows[i].line, pl->id,
				       rows[i].name);
			goto done;
		}

	/* One entry per distinct time, applied in time order. The state is
	 * carried from one group to the next, applying the existing entries
	 * that fall between them. */
	rc = derive(a, incident, pl, rows[0].t, &st, NULL, NULL, NULL);
	st_live = 1;
	if (rc != JOURNAL_OK) {
		code = fail_rollback(a, out, rc);
		goto done;
	}
	for (i = 0; i < nrows;) {
		size_t j = i, k;
		struct engine_reading *rd;
		struct engine_action act;
		struct strbuf payload = STRBUF_INIT;
		struct journal_entry e;
		int64_t t = rows[i].t;
		while (j < nrows && rows[j].t == t)
			j++;
		if (nentries > 0) {
			struct walk w;
			memset(&w, 0, sizeof(w));
			w.a = a;
			w.p = pl;
			w.st = &st;
			engine_result_init(&w.r);
			rc = journal_each(a->j, incident, rows[i - 1].t, INT64_MAX - 1, t, walk_entry, &w);
			engine_result_release(&w.r);
			if (rc != JOURNAL_OK) {
				code = fail_rollback(a, out, rc);
				goto done;
			}
		}
		engine_advance(&st, pl, t, NULL);
		if (!st.opened) {
			char msg[256], b[64];
			journal_rollback(a->j);
			snprintf(msg, sizeof(msg), "line %d: %s is before the incident was opened",
				 rows[i].line, time_format_utc(t, b, sizeof(b)));
			if ((code = begin_write(a, out)) == 0) {
				struct app_request rq;
				memset(&rq, 0, sizeof(rq));
				rq.kind = ACT_METRIC;
				rq.incident = incident;
				rq.role = role;
				code = journal_refusal(a, incident, pl, &rq, t, now, "backfill", msg, NULL, out);
			}
			goto done;
		}
		rd = xcalloc(j - i, sizeof(*rd));
		for (k = i; k < j; k++) {
			rd[k - i].metric = plan_metric_index(pl, rows[k].name);
			rd[k - i].value = rows[k].value;
		}
		memset(&act, 0, sizeof(act));
		act.kind = ACT_METRIC;
		act.at = t;
		act.actor = a->user;
		act.role = role;
		act.readings = rd;
		act.nreadings = j - i;
		engine_result_reset(&out->result);
		if (engine_apply(&st, pl, &act, &out->result) != ENGINE_OK) {
			char rule[ENGINE_ID_MAX], msg[1200];
			struct app_request rq;
			free(rd);
			snprintf(rule, sizeof(rule), "%s", out->result.rule[0] ? out->result.rule : "engine");
			snprintf(msg, sizeof(msg), "%s:%d: %s", shown, rows[i].line, out->result.message);
			journal_rollback(a->j);
			if ((code = begin_write(a, out)) == 0) {
				memset(&rq, 0, sizeof(rq));
				rq.kind = ACT_METRIC;
				rq.incident = incident;
				rq.role = role;
				code = journal_refusal(a, incident, pl, &rq, t, now, rule, msg,
						       out->result.role, out);
			}
			goto done;
		}
		free(rd);
		sb_init(&payload);
		sb_adds(&payload, "{\"readings\":{");
		for (k = i; k < j; k++) {
			if (k > i)
				sb_adds(&payload, ",");
			sb_add_json_str(&payload, rows[k].name);
			sb_adds(&payload, ":");
			add_json_num(&payload, rows[k].value);
		}
		sb_adds(&payload, "},\"source\":");
		sb_add_json_str(&payload, shown);
		sb_addf(&payload, ",\"line\":%d", rows[i].line);
		if (role) {
			sb_adds(&payload, ",\"as\":");
			sb_add_json_str(&payload, role);
		}
		sb_adds(&payload, ",\"effects\":");
		add_effects_json(&payload, pl, &st, &out->result);
		sb_adds(&payload, "}");
		memset(&e, 0, sizeof(e));
		e.incident = incident;
		e.recorded_at = now;
		e.occurred_at = t;
		e.actor = a->user;
		e.role = out->result.role;
		e.kind = (char *)"metric";
		e.payload = payload.buf;
		rc = journal_append(a->j, &e);
		sb_release(&payload);
		if (rc != JOURNAL_OK) {
			code = fail_rollback(a, out, rc);
			goto done;
		}
		out->entry = e.id;
		nentries++;
		i = j;
	}
	rc = write_checkpoint(a, incident, pl);
	if (rc == JOURNAL_OK)
		rc = journal_commit(a->j);
	if (rc != JOURNAL_OK) {
		code = fail_rollback(a, out, rc);
		goto done;
	}
	snprintf(out->message, sizeof(out->message), "imported %zu readings in %zu entries", nrows,
		 nentries);
done:
	if (st_live)
		engine_release(&st);
	for (i = 0; i < nrows; i++)
		free(rows[i].name);
	free(rows);
	return out->code = code;
}

/* ---- loading ---- */

static int first_occurred(const struct journal_entry *e, void *ctx)
{
	*(int64_t *)ctx = e->occurred_at;
	return 1;
}

int app_incident_load(struct app *a, int64_t id, int64_t at, struct app_incident *out,
		      struct sitrep_error *err)
{
	int64_t now = app_now(a);
	int rc;

	memset(out, 0, sizeof(*out));
	if (at == 0)
		at = now;
	if (at > now) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "--at is in the future");
		return SITREP_EXIT_USAGE;
	}
	rc = journal_incident_get(a->j, id, 1, &out->row);
	if (rc == JOURNAL_NOTFOUND) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "no incident %" PRId64, id);
		return SITREP_EXIT_USAGE;
	}
	if (rc != JOURNAL_OK)
		return storage_err(a, rc, err);
	/* The incident owns its plan (the app's cache may evict entries). */
	if (!(out->plan = load_snapshot(&out->row, err))) {
		journal_incident_release(&out->row);
		memset(out, 0, sizeof(*out));
		return SITREP_EXIT_PLAN;
	}
	rc = journal_head(a->j, id, &out->last_entry, out->head);
	if (rc == JOURNAL_OK)
		rc = derive(a, id, out->plan, at, &out->st, NULL, NULL, NULL);
	else
		engine_init(&out->st, out->plan);
	if (rc == JOURNAL_OK && !out->st.opened) {
		/* nothing applied: is `at` before the incident's first entry? */
		int64_t first = INT64_MAX;
		rc = journal_each(a->j, id, INT64_MIN, 0, INT64_MAX, first_occurred, &first);
		if (rc == JOURNAL_OK && first != INT64_MAX && at < first) {
			char b[40];
			app_incident_release(out);
			err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
				"incident %" PRId64 " was opened at %s: --at is before that", id,
				time_format_utc(first, b, sizeof(b)));
			return SITREP_EXIT_USAGE;
		}
	}
	if (rc != JOURNAL_OK) {
		app_incident_release(out);
		return storage_err(a, rc, err);
	}
	engine_advance(&out->st, out->plan, at, NULL);
	out->at = at;
	return 0;
}

int app_incident_advance(struct app_incident *inc, int64_t now)
{
	struct engine_result r;
	int changed;
	if (!inc || !inc->plan)
		return 0;
	engine_result_init(&r);
	engine_advance(&inc->st, inc->plan, now, &r);
	changed = r.neffects > 0;
	engine_result_release(&r);
	if (now > inc->at)
		inc->at = now;
	return changed;
}

void app_incident_release(struct app_incident *inc)
{
	if (!inc)
		return;
	if (inc->plan) {
		engine_release(&inc->st);
		plan_free(inc->plan);
	}
	journal_incident_release(&inc->row);
	memset(inc, 0, sizeof(*inc));
}

/* ---- status ---- */

static void add_criteria_json(struct strbuf *sb, const struct app_incident *inc, const int *idx,
			      size_t n)
{
	const struct plan *p = inc->plan;
	sb_adds(sb, "[");
	for (size_t i = 0; i < n; i++) {
		const struct plan_criterion *c;
		int64_t held;
		if (idx[i] < 0 || (size_t)idx[i] >= p->ncriteria)
			continue;
		c = &p->criteria[idx[i]];
		if (i)
			sb_adds(sb, ",");
		sb_adds(sb, "{\"id\":");
		sb_add_json_str(sb, c->id);
		sb_adds(sb, ",\"title\":");
		sb_add_json_str(sb, c->title ? c->title : c->id);
		sb_addf(sb, ",\"kind\":\"%s\"", c->kind == CRIT_METRIC ? "metric" : "attest");
		sb_addf(sb, ",\"met\":%s", engine_criterion_met(&inc->st, p, idx[i]) ? "true" : "false");
		if (c->kind == CRIT_METRIC) {
			held = engine_criterion_held(&inc->st, p, idx[i]);
			sb_adds(sb, ",\"held_for\":");
			if (held >= 0)
				sb_addf(sb, "%" PRId64, held);
			else
				sb_adds(sb, "null");
			sb_addf(sb, ",\"for\":%" PRId64, c->for_secs);
		} else if ((size_t)idx[i] < inc->st.ncriteria && inc->st.criteria[idx[i]].attested) {
			sb_adds(sb, ",\"attested_by\":");
			sb_add_json_str(sb, inc->st.criteria[idx[i]].attested_by);
			sb_adds(sb, ",\"attested_at\":");
			add_json_time(sb, inc->st.criteria[idx[i]].attested_at);
		}
		sb_adds(sb, "}");
	}
	sb_adds(sb, "]");
}

void app_status_json(const struct app_incident *inc, struct strbuf *out)
{
	const struct plan *p = inc->plan;
	const struct engine_state *st = &inc->st;
	int first;

	sb_addf(out, "{\"id\":%" PRId64, inc->row.id);
	sb_adds(out, ",\"title\":");
	sb_add_json_str(out, inc->row.title);
	sb_adds(out, ",\"plan\":");
	sb_add_json_str(out, inc->row.plan_id ? inc->row.plan_id : p->id);
	sb_adds(out, ",\"plan_hash\":");
	add_json_str_or_null(out, inc->row.plan_hash);
	sb_adds(out, ",\"state\":");
	sb_add_json_str(out, engine_phase_name(st->phase));
	sb_adds(out, ",\"level\":");
	add_json_str_or_null(out, level_id(p, st->level));
	sb_adds(out, ",\"level_name\":");
	add_json_str_or_null(out, st->level >= 0 && (size_t)st->level < p->nlevels ?
			      p->levels[st->level].name : NULL);
	sb_adds(out, ",\"warning\":");
	add_json_str_or_null(out, warning_id(p, st->warning));
	sb_addf(out, ",\"drill\":%s", (st->drill || inc->row.drill) ? "true" : "false");
	sb_adds(out, ",\"commander\":");
	add_json_str_or_null(out, st->commander[0] ? st->commander : NULL);
	sb_adds(out, ",\"peak_level\":");
	add_json_str_or_null(out, level_id(p, st->peak_level));
	sb_adds(out, ",\"opened_at\":");
	add_json_time(out, st->opened_at);
	sb_adds(out, ",\"warning_since\":");
	add_json_time(out, st->warning >= 0 ? st->warning_since : 0);
	sb_adds(out, ",\"level_since\":");
	add_json_time(out, st->level_since);
	sb_adds(out, ",\"terminated_at\":");
	add_json_time(out, st->terminated_at);
	sb_adds(out, ",\"at\":");
	add_json_time(out, inc->at);

	sb_adds(out, ",\"proposals\":[");
	for (size_t i = 0; i < st->nproposals; i++) {
		if (i)
			sb_adds(out, ",");
		sb_adds(out, "{\"level\":");
		add_json_str_or_null(out, level_id(p, st->proposals[i].level));
		sb_adds(out, ",\"rule\":");
		sb_add_json_str(out, st->proposals[i].rule);
		sb_adds(out, ",\"at\":");
		add_json_time(out, st->proposals[i].at);
		sb_adds(out, "}");
	}
	sb_adds(out, "]");

	sb_adds(out, ",\"obligations\":[");
	first = 1;
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		struct strbuf title = STRBUF_INIT;
		const char *oid;
		if (o->status != OBL_OPEN)
			continue;
		if (!first)
			sb_adds(out, ",");
		first = 0;
		oid = engine_obligation_id(p, o);
		sb_init(&title);
		engine_obligation_title(st, p, o, &title);
		sb_adds(out, "{\"id\":");
		sb_add_json_str(out, oid ? oid : "");
		sb_adds(out, ",\"title\":");
		sb_add_json_str(out, title.buf);
		sb_adds(out, ",\"due\":");
		add_json_time(out, o->due);
		sb_addf(out, ",\"overdue\":%s", engine_obligation_overdue(st, o) ? "true" : "false");
		if (o->seq > 1)
			sb_addf(out, ",\"seq\":%d", o->seq);
		if (o->plan_index >= 0 && (size_t)o->plan_index < p->nobligations &&
		    p->obligations[o->plan_index].owner >= 0 &&
		    (size_t)p->obligations[o->plan_index].owner < p->nroles) {
			sb_adds(out, ",\"owner\":");
			sb_add_json_str(out, p->roles[p->obligations[o->plan_index].owner].id);
		}
		sb_adds(out, "}");
		sb_release(&title);
	}
	sb_adds(out, "]");

	sb_adds(out, ",\"lift\":");
	add_criteria_json(out, inc, p->lift, p->nlift);
	sb_adds(out, ",\"termination\":");
	add_criteria_json(out, inc, p->termination, p->ntermination);

	sb_adds(out, ",\"metrics\":{");
	first = 1;
	for (size_t i = 0; i < st->nmetrics && i < p->nmetrics; i++) {
		if (!st->metrics[i].has_value)
			continue;
		if (!first)
			sb_adds(out, ",");
		first = 0;
		sb_add_json_str(out, p->metrics[i].id);
		sb_adds(out, ":{\"value\":");
		add_json_num(out, st->metrics[i].value);
		sb_adds(out, ",\"at\":");
		add_json_time(out, st->metrics[i].at);
		sb_adds(out, "}");
	}
	sb_adds(out, "}");
	sb_addf(out, ",\"last_entry\":%" PRId64 ",\"head\":", inc->last_entry);
	sb_add_json_str(out, inc->head);
	sb_adds(out, "}\n");
}

void app_status_text(const struct app_incident *inc, struct strbuf *out)
{
	const struct plan *p = inc->plan;
	const struct engine_state *st = &inc->st;
	char b1[64], b2[64];
	int any;

	sb_addf(out, "incident %" PRId64 ": ", inc->row.id);
	sb_add_escaped(out, inc->row.title);
	if (st->drill || inc->row.drill)
		sb_adds(out, " [DRILL]");
	sb_adds(out, "\nplan:      ");
	sb_add_escaped(out, p->id);
	if (p->title) {
		sb_adds(out, " (");
		sb_add_escaped(out, p->title);
		sb_adds(out, ")");
	}
	sb_addf(out, "\nstate:     %s", engine_phase_name(st->phase));
	if (st->level >= 0 && (size_t)st->level < p->nlevels) {
		sb_addf(out, ", level %s", p->levels[st->level].id);
		if (p->levels[st->level].name) {
			sb_adds(out, " (");
			sb_add_escaped(out, p->levels[st->level].name);
			sb_adds(out, ")");
		}
		if (st->level_since)
			sb_addf(out, " since %s", time_format_local(st->level_since, b1, sizeof(b1)));
	}
	if (st->warning >= 0 && (size_t)st->warning < p->nwarnings) {
		sb_addf(out, ", %s warning", p->warnings[st->warning].id);
		if (st->warning_since)
			sb_addf(out, " since %s", time_format_local(st->warning_since, b1, sizeof(b1)));
	}
	sb_adds(out, "\ncommander: ");
	sb_add_escaped(out, st->commander[0] ? st->commander : "-");
	sb_addf(out, "\nopened:    %s", st->opened_at ? time_format_local(st->opened_at, b1, sizeof(b1)) : "-");
	if (st->terminated_at)
		sb_addf(out, "\nended:     %s", time_format_local(st->terminated_at, b1, sizeof(b1)));
	sb_addf(out, "\nas of:     %s\n", time_format_local(inc->at, b2, sizeof(b2)));

	any = 0;
	for (size_t i = 0; i < st->nmetrics && i < p->nmetrics; i++) {
		char num[64];
		if (!st->metrics[i].has_value)
			continue;
		if (!any)
			sb_adds(out, "\nreadings:\n");
		any = 1;
		snprintf(num, sizeof(num), "%g", st->metrics[i].value);
		sb_adds(out, "  ");
		sb_add_padded(out, p->metrics[i].id, 18);
		sb_addf(out, " %s", num);
		if (p->metrics[i].unit) {
			sb_adds(out, " ");
			sb_add_escaped(out, p->metrics[i].unit);
		}
		sb_addf(out, "  at %s\n", time_format_local(st->metrics[i].at, b1, sizeof(b1)));
	}
	if (st->nproposals) {
		sb_adds(out, "\nproposals:\n");
		for (size_t i = 0; i < st->nproposals; i++) {
			const char *lv = level_id(p, st->proposals[i].level);
			sb_addf(out, "  level %s proposed by rule '", lv ? lv : "?");
			sb_add_escaped(out, st->proposals[i].rule);
			sb_adds(out, "'\n");
		}
	}
	any = 0;
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		struct strbuf title = STRBUF_INIT;
		const char *oid;
		int64_t left;
		if (o->status != OBL_OPEN)
			continue;
		if (!any)
			sb_adds(out, "\nobligations:\n");
		any = 1;
		oid = engine_obligation_id(p, o);
		sb_init(&title);
		engine_obligation_title(st, p, o, &title);
		left = o->due - inc->at;
		sb_addf(out, "  %s ", engine_obligation_overdue(st, o) ? "OVERDUE" : "due    ");
		sb_adds(out, time_format_local(o->due, b1, sizeof(b1)));
		sb_addf(out, " (%s)  ", dur_clock(left, b2, sizeof(b2)));
		sb_add_escaped(out, oid ? oid : "?");
		sb_adds(out, "  ");
		sb_add_escaped(out, title.buf);
		sb_adds(out, "\n");
		sb_release(&title);
	}
	for (int pass = 0; pass < 2; pass++) {
		const int *idx = pass ? p->termination : p->lift;
		size_t n = pass ? p->ntermination : p->nlift;
		if (!n)
			continue;
		sb_addf(out, "\n%s criteria:\n", pass ? "termination" : "lift");
		for (size_t i = 0; i < n; i++) {
			const struct plan_criterion *c;
			if (idx[i] < 0 || (size_t)idx[i] >= p->ncriteria)
				continue;
			c = &p->criteria[idx[i]];
			sb_addf(out, "  [%s] ", engine_criterion_met(st, p, idx[i]) ? "x" : " ");
			sb_add_escaped(out, c->id);
			sb_adds(out, "  ");
			sb_add_escaped(out, c->title ? c->title : "");
			sb_addf(out, " (%s)\n", c->kind == CRIT_METRIC ? "metric" : "attest");
		}
	}
}

/* ---- lists ---- */

int app_list(struct app *a, int all, int64_t **ids, size_t *n, struct sitrep_error *err)
{
	int64_t *v = NULL;
	size_t nv = 0, k = 0;
	int rc = journal_incident_ids(a->j, &v, &nv);
	*ids = NULL;
	*n = 0;
	if (rc != JOURNAL_OK)
		return storage_err(a, rc, err);
	for (size_t i = 0; i < nv; i++) {
		int keep = 1;
		if (!all) {
			struct app_incident inc;
			struct sitrep_error e2 = SITREP_ERROR_INIT;
			if (app_incident_load(a, v[i], 0, &inc, &e2) == 0) {
				keep = inc.st.phase != PHASE_TERMINATED;
				app_incident_release(&inc);
			}
			err_release(&e2);
		}
		if (keep)
			v[k++] = v[i];
	}
	*ids = v;
	*n = k;
	return 0;
}

size_t app_plans(struct app *a, char ***ids, char ***titles)
{
	char **files = NULL;
	size_t nf = plan_list_dir(a->plans_dir, &files), n = 0;
	*ids = xcalloc(nf ? nf : 1, sizeof(char *));
	*titles = xcalloc(nf ? nf : 1, sizeof(char *));
	for (size_t i = 0; i < nf; i++) {
		struct error_list el;
		struct plan *p;
		struct strbuf path = STRBUF_INIT;
		sb_init(&path);
		if (files[i][0] == '/' || strchr(files[i], '/'))
			sb_adds(&path, files[i]);
		else
			sb_addf(&path, "%s/%s", a->plans_dir, files[i]);
		errlist_init(&el);
		p = plan_load_file(path.buf, &el);
		if (p) {
			(*ids)[n] = xstrdup(p->id);
			(*titles)[n] = xstrdup(p->title ? p->title : p->id);
			n++;
			plan_free(p);
		}
		errlist_release(&el);
		sb_release(&path);
		free(files[i]);
	}
	free(files);
	return n;
}

int app_plan_check(const char *path, struct strbuf *out)
{
	struct error_list el;
	struct plan *p;
	int code = 0;
	errlist_init(&el);
	p = plan_load_file(path, &el);
	if (p) {
		sb_addf(out, "%s: ok (%s)\n", path, p->id);
		plan_free(p);
	} else {
		errlist_format(&el, out);
		if (!el.n)
			sb_addf(out, "%s: cannot load\n", path);
		code = SITREP_EXIT_PLAN;
	}
	errlist_release(&el);
	return code;
}

int app_plan_show(const char *plans_dir, const char *name, struct strbuf *out)
{
	struct error_list el;
	struct plan *p;
	size_t nl = strlen(name);
	errlist_init(&el);
	if (strchr(name, '/') || (nl > 5 && strcmp(name + nl - 5, ".yaml") == 0)) {
		p = plan_load_file(name, &el);
	} else {
		char *dir = app_resolve_plans_dir(plans_dir);
		p = plan_find(dir, name, &el);
		free(dir);
	}
	if (!p) {
		/* FILE:LINE:COL diagnostics as they are; an error with no place in
		 * a file ("no plan 'X' in DIR") gets the prefix every error has */
		for (size_t i = 0; i < el.n; i++) {
			if (!el.v[i].line)
				sb_adds(out, "sitrep: ");
			err_format(&el.v[i], out);
			if (!out->len || out->buf[out->len - 1] != '\n')
				sb_addc(out, '\n');
		}
		if (!el.n)
			sb_addf(out, "sitrep: no plan '%s'\n", name);
		errlist_release(&el);
		return SITREP_EXIT_PLAN;
	}
	errlist_release(&el);
	plan_describe(p, out);
	plan_free(p);
	return 0;
}

void app_plans_free(char **ids, char **titles, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ids ? ids[i] : NULL);
		free(titles ? titles[i] : NULL);
	}
	free(ids);
	free(titles);
}

/* ---- history ---- */

static void add_level_change(struct strbuf *sb, const struct json_value *js)
{
	const char *from = json_get_str(js, "from"), *to = json_get_str(js, "to");
	sb_addf(sb, " %s -> %s", from ? from : "none", to ? to : "?");
}

static void summarize_entry(const struct plan *p, const struct journal_entry *e,
			    const struct decoded *d, int kind, const struct json_value *js,
			    const struct engine_result *r, int applied, struct strbuf *sb)
{
	const char *text = d ? d->act.text : NULL;
	(void)p;
	switch (kind) {
	case ACT_OPEN:
		sb_adds(sb, "opened: ");
		sb_add_escaped(sb, text);
		if (d && d->act.drill)
			sb_adds(sb, " [drill]");
		break;
	case ACT_LOG:
		if (e->corrects)
			sb_addf(sb, "correction of entry %" PRId64 ": ", e->corrects);
		else
			sb_adds(sb, "note: ");
		sb_add_escaped(sb, text);
		break;
	case ACT_METRIC: {
		const struct json_value *rd = json_get(js, "readings");
		sb_adds(sb, "metric");
		for (size_t i = 0; rd && rd->type == JSON_OBJECT && i < rd->n; i++) {
			char num[64];
			snprintf(num, sizeof(num), "%g", rd->items[i].number);
			sb_adds(sb, i ? ", " : " ");
			sb_add_escaped(sb, rd->keys[i]);
			sb_addf(sb, "=%s", num);
		}
		break;
	}
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
		sb_adds(sb, kind == ACT_ESCALATE ? "escalated" : "downgraded");
		add_level_change(sb, js);
		if (json_get_str(js, "answered")) {
			sb_adds(sb, " (answers ");
			sb_add_escaped(sb, json_get_str(js, "answered"));
			sb_adds(sb, ")");
		}
		break;
	case ACT_WARN:
		sb_adds(sb, "warning ");
		sb_add_escaped(sb, d ? d->act.target : "?");
		sb_adds(sb, " raised");
		break;
	case ACT_LIFT:
		sb_adds(sb, "warning lifted");
		break;
	case ACT_ASSESS: {
		const struct json_value *as = json_get(js, "assess");
		sb_adds(sb, "assessed");
		for (size_t i = 0; as && as->type == JSON_OBJECT && i < as->n; i++) {
			sb_adds(sb, i ? ", " : " ");
			sb_add_escaped(sb, as->keys[i]);
			sb_adds(sb, "=");
			sb_add_escaped(sb, as->items[i].type == JSON_STRING ? as->items[i].str : "?");
		}
		break;
	}
	case ACT_ATTEST:
		sb_adds(sb, "attested ");
		sb_add_escaped(sb, d ? d->act.target : "?");
		break;
	case ACT_DONE:
		sb_adds(sb, "done ");
		sb_add_escaped(sb, d ? d->act.target : "?");
		break;
	case ACT_TERMINATE:
		sb_adds(sb, "terminated");
		break;
	case ACT_HANDOVER:
		sb_adds(sb, "command handed over to ");
		sb_add_escaped(sb, d ? d->act.target : "?");
		break;
	case ACT_NOTE_REVIEW:
		sb_adds(sb, "review note [");
		sb_add_escaped(sb, d ? d->act.target : "?");
		sb_adds(sb, "]: ");
		sb_add_escaped(sb, text);
		break;
	default:
		if (strcmp(e->kind, "refused") == 0) {
			sb_adds(sb, "refused ");
			sb_add_escaped(sb, json_get_str(js, "action") ? json_get_str(js, "action") : "?");
			sb_adds(sb, " (rule '");
			sb_add_escaped(sb, json_get_str(js, "rule") ? json_get_str(js, "rule") : "?");
			sb_adds(sb, "'): ");
			sb_add_escaped(sb, json_get_str(js, "message"));
		} else if (strcmp(e->kind, "export") == 0) {
			sb_adds(sb, "exported ");
			sb_add_escaped(sb, json_get_str(js, "what") ? json_get_str(js, "what") : "?");
			sb_adds(sb, " (");
			sb_add_escaped(sb, json_get_str(js, "format") ? json_get_str(js, "format") : "?");
			sb_adds(sb, ") at head ");
			sb_add_escaped(sb, json_get_str(js, "head") ? json_get_str(js, "head") : "?");
		} else {
			sb_add_escaped(sb, e->kind);
		}
		return;
	}
	if (text && kind != ACT_OPEN && kind != ACT_LOG && kind != ACT_NOTE_REVIEW) {
		sb_adds(sb, ": ");
		sb_add_escaped(sb, text);
	}
	if (!applied) {
		sb_adds(sb, " (not applied on replay: ");
		sb_add_escaped(sb, r->message);
		sb_adds(sb, ")");
	}
}

int app_history(struct app *a, int64_t id, int64_t at, app_item_fn fn, void *ctx,
		struct sitrep_error *err)
{
	struct journal_incident row;
	const struct plan *p;
	struct engine_state st;
	int64_t now = app_now(a);
	int rc;

	if (at == 0)
		at = now;
	rc = journal_incident_get(a->j, id, 1, &row);
	if (rc == JOURNAL_NOTFOUND) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "no incident %" PRId64, id);
		return SITREP_EXIT_USAGE;
	}
	if (rc != JOURNAL_OK)
		return storage_err(a, rc, err);
	p = snapshot_plan(a, &row, err);
	journal_incident_release(&row);
	if (!p)
		return SITREP_EXIT_PLAN;
	rc = derive(a, id, p, at, &st, fn, ctx, NULL);
	engine_release(&st);
	if (rc != JOURNAL_OK)
		return storage_err(a, rc, err);
	return 0;
}

/* ---- renderings ---- */

static int collect_item(const struct app_item *it, const struct engine_state *st, void *ctx)
{
	struct report_input *in = ctx;
	struct report_item ri;
	(void)st;
	memset(&ri, 0, sizeof(ri));
	ri.entry_id = it->entry_id;
	ri.occurred_at = it->occurred_at;
	ri.recorded_at = it->recorded_at;
	ri.actor = (char *)it->actor;
	ri.role = (char *)it->role;
	ri.kind = (char *)it->kind;
	ri.summary = (char *)it->summary;
	ri.payload = (char *)it->payload;
	ri.text = (char *)it->text;
	ri.refused = it->refused;
	ri.rule = (char *)it->rule;
	ri.phase = it->phase;
	ri.level = it->level;
	ri.warning = it->warning;
	ri.effects = (struct engine_effect *)it->effects;
	ri.neffects = it->neffects;
	report_input_add(in, &ri);
	return 0;
}

/* Load an incident and its whole history into a report input. */
static int build_input(struct app *a, int64_t id, struct app_incident *inc,
		       struct report_input *in, struct sitrep_error *err)
{
	int code = app_incident_load(a, id, 0, inc, err);
	if (code)
		return code;
	report_input_init(in);
	in->id = id;
	in->title = xstrdup(inc->row.title);
	in->plan = inc->plan;
	in->plan_hash = xstrdup(inc->row.plan_hash ? inc->row.plan_hash : "");
	in->drill = inc->row.drill || inc->st.drill;
	in->at = inc->at;
	memcpy(in->head, inc->head, sizeof(in->head));
	in->final = &inc->st;
	code = app_history(a, id, inc->at, collect_item, in, err);
	if (code) {
		report_input_release(in);
		app_incident_release(inc);
	}
	return code;
}

/* Journal an export (best effort when the database cannot be written). */
static void journal_export(struct app *a, int64_t id, const char *what, const char *format,
			   const char *head)
{
	struct strbuf pl = STRBUF_INIT;
	struct journal_entry e;
	int64_t now = app_now(a);
	if (a->read_only || journal_begin(a->j) != JOURNAL_OK)
		return;
	sb_init(&pl);
	sb_adds(&pl, "{\"what\":");
	sb_add_json_str(&pl, what);
	sb_adds(&pl, ",\"format\":");
	sb_add_json_str(&pl, format);
	sb_adds(&pl, ",\"head\":");
	sb_add_json_str(&pl, head);
	sb_adds(&pl, "}");
	memset(&e, 0, sizeof(e));
	e.incident = id;
	e.recorded_at = now;
	e.occurred_at = now;
	e.actor = a->user;
	e.role = (char *)"";
	e.kind = (char *)"export";
	e.payload = pl.buf;
	if (journal_append(a->j, &e) == JOURNAL_OK)
		journal_commit(a->j);
	else
		journal_rollback(a->j);
	sb_release(&pl);
}

int app_timeline(struct app *a, int64_t id, const char *format, struct strbuf *out,
		 struct sitrep_error *err)
{
	struct app_incident inc;
	struct report_input in;
	int code;
	if (!format)
		format = "text";
	if (strcmp(format, "text") && strcmp(format, "md") && strcmp(format, "csv") &&
	    strcmp(format, "json")) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0,
			"unknown timeline format '%s' (text, md, csv or json)", format);
		return SITREP_EXIT_USAGE;
	}
	if ((code = build_input(a, id, &inc, &in, err)) != 0)
		return code;
	if (report_timeline(&in, format, out) < 0) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "unknown timeline format '%s'", format);
		code = SITREP_EXIT_USAGE;
	} else {
		journal_export(a, id, "timeline", format, inc.head);
	}
	report_input_release(&in);
	app_incident_release(&inc);
	return code;
}

int app_report(struct app *a, int64_t id, const char *format, struct strbuf *out,
	       struct strbuf *svg, struct sitrep_error *err)
{
	struct app_incident inc;
	struct report_input in;
	int code;
	if (!format)
		format = "md";
	if (strcmp(format, "md") && strcmp(format, "html")) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "unknown report format '%s' (md or html)",
			format);
		return SITREP_EXIT_USAGE;
	}
	if ((code = build_input(a, id, &inc, &in, err)) != 0)
		return code;
	if (report_review(&in, format, out, svg) < 0) {
		err_set(err, SITREP_EXIT_USAGE, NULL, 0, 0, "unknown report format '%s'", format);
		code = SITREP_EXIT_USAGE;
	} else {
		journal_export(a, id, "report", format, inc.head);
	}
	report_input_release(&in);
	app_incident_release(&inc);
	return code;
}

int app_brief(struct app *a, int64_t id, struct strbuf *out, struct sitrep_error *err)
{
	struct app_incident inc;
	struct report_input in;
	int code;
	if ((code = build_input(a, id, &inc, &in, err)) != 0)
		return code;
	report_brief(&in, out);
	journal_export(a, id, "brief", "text", inc.head);
	report_input_release(&in);
	app_incident_release(&inc);
	return 0;
}

/* "hh:mm:ss", or "Nd hh:mm:ss" from a day on; "n/a" for -1 (unknown). */
static void add_figure(struct strbuf *out, const char *name, int64_t secs)
{
	char buf[48];
	sb_addf(out, "  %-28s %s\n", name, secs < 0 ? "n/a" : dur_clock(secs, buf, sizeof buf));
}

/* The section id a note-review item targets ("" when its payload has none). */
static void note_section_id(const struct report_item *it, struct strbuf *sec)
{
	struct json_value js;
	struct sitrep_error err = SITREP_ERROR_INIT;
	const char *s;
	if (!it->payload || json_parse(it->payload, strlen(it->payload), &js, &err) < 0) {
		err_release(&err);
		return;
	}
	s = json_get_str(&js, "section");
	if (!s)
		s = json_get_str(&js, "target");
	if (s)
		sb_adds(sec, s);
	json_free(&js);
}

/* The review notes per section (title, then author, time and text). */
static void review_notes_text(const struct report_input *in, struct strbuf *out)
{
	struct strbuf sec = STRBUF_INIT;
	char t1[40];
	size_t i;
	int s;
	sb_init(&sec);
	sb_adds(out, "\nReview notes (N writes one)\n");
	for (s = 0; s <= REPORT_NSECTIONS; s++) {
		int n = 0;
		for (i = 0; i < in->nitems; i++) {
			const struct report_item *it = &in->items[i];
			if (!it->kind || strcmp(it->kind, "note-review") != 0 || it->refused)
				continue;
			sb_reset(&sec);
			note_section_id(it, &sec);
			int idx = report_section_index(sec.buf);
			if (s < REPORT_NSECTIONS ? idx != s : idx >= 0)
				continue;
			if (!n++) {
				if (s < REPORT_NSECTIONS)
					sb_addf(out, "  %s (%s)\n", report_section_titles[s],
						report_section_ids[s]);
				else
					sb_adds(out, "  Other notes\n");
			}
			sb_addf(out, "    %s, %s: ", it->actor ? it->actor : "",
				time_format_local(it->occurred_at, t1, sizeof(t1)));
			/* One line a note: the pager escapes what else is control. */
			for (const char *c = it->text ? it->text : it->summary ? it->summary : "";
			     *c; c++)
				sb_addc(out, *c == '\n' || *c == '\r' ? ' ' : *c);
			sb_addc(out, '\n');
		}
		if (!n && s < REPORT_NSECTIONS)
			sb_addf(out, "  %s (%s): no notes yet\n", report_section_titles[s],
				report_section_ids[s]);
	}
	sb_release(&sec);
}

size_t app_review_sections(const char *const **ids, const char *const **titles)
{
	if (ids)
		*ids = report_section_ids;
	if (titles)
		*titles = report_section_titles;
	return REPORT_NSECTIONS;
}

int app_review_text(struct app *a, int64_t id, int width, struct strbuf *out,
		    struct sitrep_error *err)
{
	struct app_incident inc;
	struct report_input in;
	struct report_figures f;
	const struct plan *p;
	int code;
	if ((code = build_input(a, id, &inc, &in, err)) != 0)
		return code;
	p = inc.plan;
	memset(&f, 0, sizeof(f));
	report_figures(&in, &f);
	sb_addf(out, "Review of incident %" PRId64 ": %s%s\n", id, in.title ? in.title : "",
		in.drill ? "  (DRILL)" : "");
	sb_addf(out, "plan %s, %s\n\n", p->id, engine_phase_name(inc.st.phase));
	sb_adds(out, "Figures\n");
	add_figure(out, "to acknowledgement", f.to_ack);
	add_figure(out, "to the first level", f.to_first_level);
	add_figure(out, "to mitigation", f.to_mitigation);
	add_figure(out, "to termination", f.to_termination);
	sb_addf(out, "  %-28s %s\n", "peak level",
		f.peak_level >= 0 && (size_t)f.peak_level < p->nlevels ? p->levels[f.peak_level].id
								       : "none");
	for (size_t i = 0; i < p->nwarnings && i < 8; i++) {
		char name[96];
		snprintf(name, sizeof(name), "in the %s warning", p->warnings[i].id);
		add_figure(out, name, f.in_warning[i]);
	}
	for (size_t i = 0; i < p->nlevels && i < 8; i++) {
		char name[96];
		snprintf(name, sizeof(name), "at level %s", p->levels[i].id);
		add_figure(out, name, f.in_level[i]);
	}
	sb_addf(out, "  %-28s %d up, %d down, %d refused\n", "level changes", f.escalations,
		f.downgrades, f.refusals);
	sb_addf(out, "  %-28s %d on time, %d late, %d missed, %d open\n", "obligations",
		f.obl_on_time, f.obl_late, f.obl_missed, f.obl_open);
	sb_adds(out, "\nLevel over time\n");
	report_chart_text(&in, width < 40 ? 40 : width, out);
	review_notes_text(&in, out);
	report_input_release(&in);
	app_incident_release(&inc);
	return 0;
}

void app_report_svg_name(int64_t id, struct strbuf *out)
{
	report_svg_name(id, out);
}

int app_stats(struct app *a, const char *plan, int drills, struct strbuf *out,
	      struct sitrep_error *err)
{
	int64_t *ids = NULL;
	size_t n = 0, nrows = 0;
	struct report_stats_row *rows;
	int rc = journal_incident_ids(a->j, &ids, &n);
	if (rc != JOURNAL_OK)
		return storage_err(a, rc, err);
	rows = xcalloc(n ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		struct app_incident inc;
		struct report_input in;
		struct sitrep_error e2 = SITREP_ERROR_INIT;
		if (build_input(a, ids[i], &inc, &in, &e2) != 0) {
			err_release(&e2);
			continue;
		}
		if (!plan || strcmp(plan, inc.row.plan_id ? inc.row.plan_id : "") == 0) {
			report_stats_row_fill(&rows[nrows], &in);
			rows[nrows].incident = ids[i];
			nrows++;
		}
		report_input_release(&in);
		app_incident_release(&inc);
	}
	report_stats(rows, nrows, drills, out);
	for (size_t i = 0; i < nrows; i++)
		report_stats_row_release(&rows[i]);
	free(rows);
	free(ids);
	return 0;
}

/* Does the state derived through incident id's checkpoint equal a full
 * replay of its journal? Returns 0 (yes, or no checkpoint to use), 1 (no:
 * the states differ, or the checkpoint does not fit the journal), or a
 * negative journal_rc on a storage failure. */
static int checkpoint_disagrees(struct app *a, int64_t id, const struct plan *p)
{
	struct journal_checkpoint cp;
	struct engine_state via, full;
	struct derived_pos pos;
	struct strbuf b1 = STRBUF_INIT, b2 = STRBUF_INIT;
	int rc, nc, r;

	memset(&cp, 0, sizeof(cp));
	rc = journal_checkpoint_get(a->j, id, &cp);
	if (rc == JOURNAL_NOTFOUND)
		return 0;
	if (rc != JOURNAL_OK)
		return -rc;
	if (!cp.blob || !cp.len) {
		journal_checkpoint_release(&cp);
		return 0;
	}
	r = checkpoint_check(a, id, &cp);
	journal_checkpoint_release(&cp);
	if (r == CP_INCONSISTENT)
		return 1;
	if (r == CP_ERROR)
		return -JOURNAL_ERROR;
	nc = a->no_checkpoint;
	a->no_checkpoint = 0;
	rc = derive(a, id, p, INT64_MAX, &via, NULL, NULL, &pos);
	a->no_checkpoint = 1;
	if (rc == JOURNAL_OK)
		rc = derive(a, id, p, INT64_MAX, &full, NULL, NULL, NULL);
	else
		engine_init(&full, p);
	a->no_checkpoint = nc;
	r = 0;
	if (rc != JOURNAL_OK) {
		r = -rc;
	} else if (pos.used_checkpoint) {
		sb_init(&b1);
		sb_init(&b2);
		engine_encode(&via, &b1);
		engine_encode(&full, &b2);
		r = b1.len != b2.len || memcmp(b1.buf, b2.buf, b1.len) != 0;
		sb_release(&b1);
		sb_release(&b2);
	}
	engine_release(&via);
	engine_release(&full);
	return r;
}

/* Discard incident id's checkpoint (an empty one: reads then replay the
 * journal, and the next write stores a good one) if it still disagrees
 * under the write lock. A read-only app uses a second, writable connection
 * for this. Returns 1 discarded, 0 it agrees now (a write came between),
 * -1 it could not be discarded (reason in why). */
static int checkpoint_discard(struct app *a, int64_t id, const struct plan *p, char *why,
			      size_t size)
{
	struct journal *saved = a->j, *rw = NULL;
	struct journal_checkpoint empty;
	int r, rc;

	snprintf(why, size, "the database is read-only");
	if (journal_readonly(a->j)) {
		struct sitrep_error e = SITREP_ERROR_INIT;
		rw = journal_open(a->db_path, 0, &e);
		if (e.msg)
			snprintf(why, size, "%s", e.msg);
		err_release(&e);
		if (!rw)
			return -1;
		if (journal_readonly(rw)) {
			journal_close(rw);
			return -1;
		}
		a->j = rw;
	}
	rc = journal_begin(a->j);
	if (rc != JOURNAL_OK) {
		snprintf(why, size, "%s", journal_errmsg(a->j));
		r = -1;
		goto out;
	}
	r = checkpoint_disagrees(a, id, p);
	if (r == 1) {
		memset(&empty, 0, sizeof(empty));
		rc = journal_checkpoint_put(a->j, id, &empty);
		if (rc == JOURNAL_OK)
			rc = journal_commit(a->j);
		if (rc != JOURNAL_OK) {
			snprintf(why, size, "%s", journal_errmsg(a->j));
			journal_rollback(a->j);
			r = -1;
		}
	} else {
		journal_rollback(a->j);
		if (r < 0) {
			snprintf(why, size, "%s", journal_errmsg(a->j));
			r = -1;
		}
	}
out:
	a->j = saved;
	if (rw)
		journal_close(rw);
	return r;
}

/* After the chains verify: every checked incident's checkpoint must give
 * the state a full replay gives. Returns 0, 5 or 4. */
static int verify_checkpoints(struct app *a, int64_t id, struct strbuf *msg)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int code = 0, rc;

	if (id > 0) {
		ids = xmalloc(sizeof(*ids));
		ids[0] = id;
		n = 1;
	} else if ((rc = journal_incident_ids(a->j, &ids, &n)) != JOURNAL_OK) {
		char buf[512];
		storage_msg(a, rc, buf, sizeof(buf));
		sb_adds(msg, buf);
		return SITREP_EXIT_STORAGE;
	}
	for (size_t i = 0; i < n && code != SITREP_EXIT_STORAGE; i++) {
		struct journal_incident row;
		struct sitrep_error perr = SITREP_ERROR_INIT;
		const struct plan *p;
		char why[512];
		int r;

		if (journal_incident_get(a->j, ids[i], 1, &row) != JOURNAL_OK)
			continue;
		p = snapshot_plan(a, &row, &perr); /* a broken snapshot: nothing to derive */
		journal_incident_release(&row);
		err_release(&perr);
		if (!p)
			continue;
		r = checkpoint_disagrees(a, ids[i], p);
		if (r == 1)
			r = checkpoint_discard(a, ids[i], p, why, sizeof(why));
		else if (r == 0)
			continue;
		else
			r = -2;
		if (r == 0)
			continue;
		if (msg->len && msg->buf[msg->len - 1] != '\n')
			sb_addc(msg, '\n');
		if (r == 1) {
			sb_addf(msg, "incident %" PRId64 ": checkpoint disagrees with the journal; "
				"it was discarded and the state will be replayed", ids[i]);
			code = SITREP_EXIT_INTEGRITY;
		} else if (r == -1) {
			sb_addf(msg, "incident %" PRId64 ": checkpoint disagrees with the journal; "
				"it could not be discarded (%s)", ids[i], why);
			code = SITREP_EXIT_INTEGRITY;
		} else {
			sb_addf(msg, "incident %" PRId64 ": cannot check the checkpoint: %s", ids[i],
				journal_errmsg(a->j));
			code = SITREP_EXIT_STORAGE;
		}
	}
	free(ids);
	return code;
}

int app_verify(struct app *a, int64_t id, const char *head, struct strbuf *msg)
{
	int64_t bad = 0;
	int rc;
	if (id > 0) {
		struct journal_incident row;
		rc = journal_incident_get(a->j, id, 0, &row);
		if (rc == JOURNAL_NOTFOUND) {
			sb_addf(msg, "no incident %" PRId64, id);
			return SITREP_EXIT_USAGE;
		}
		if (rc == JOURNAL_OK)
			journal_incident_release(&row);
	}
	rc = journal_verify(a->j, id, head, &bad, msg);
	if (rc == JOURNAL_OK)
		return verify_checkpoints(a, id, msg);
	if (rc == JOURNAL_CORRUPT)
		return SITREP_EXIT_INTEGRITY;
	if (!msg->len) {
		char buf[512];
		storage_msg(a, rc, buf, sizeof(buf));
		sb_adds(msg, buf);
	}
	return rc == JOURNAL_NOTFOUND ? SITREP_EXIT_USAGE : SITREP_EXIT_STORAGE;
}

int app_accept_proposal(struct app *a, int64_t incident, const char *text,
			struct app_outcome *out)
{
	struct app_incident inc;
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct app_request rq;
	struct strbuf reason = STRBUF_INIT;
	char level[ENGINE_ID_MAX];
	int code, cur, lv;

	code = app_incident_load(a, incident, 0, &inc, &err);
	if (code) {
		snprintf(out->message, sizeof(out->message), "%s", err.msg ? err.msg : "cannot load");
		err_release(&err);
		return out->code = code;
	}
	if (inc.st.nproposals == 0) {
		app_incident_release(&inc);
		return out->code = set_msg(out->message, sizeof(out->message), SITREP_EXIT_USAGE,
					   "incident %" PRId64 " has no pending proposal", incident);
	}
	lv = inc.st.proposals[0].level;
	cur = inc.st.level;
	snprintf(level, sizeof(level), "%s", level_id(inc.plan, lv) ? level_id(inc.plan, lv) : "");
	sb_init(&reason);
	sb_addf(&reason, "accepting proposal %s", inc.st.proposals[0].rule);
	if (text && *text)
		sb_addf(&reason, ": %s", text);
	memset(&rq, 0, sizeof(rq));
	rq.kind = (cur >= 0 && lv < cur) ? ACT_DOWNGRADE : ACT_ESCALATE;
	rq.incident = incident;
	rq.text = reason.buf;
	rq.target = level;
	app_incident_release(&inc);
	code = app_act(a, &rq, out);
	sb_release(&reason);
	return code;
}

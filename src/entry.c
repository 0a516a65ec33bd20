/* app: the payload codec (jansson) and the texts of entries and effects.
 *
 * A payload is the request as the user made it (the text, the target, the
 * readings) plus what the engine decided that a reader needs without a
 * replay (the levels a change went from and to, the proposal it answered).
 * Payloads are built with json_pack and written with json_dumps: one
 * compact UTF-8 byte string, the bytes the chain hashes. Replay reads
 * readings from the journal's typed columns and parses no JSON for them.
 * Older payloads (with "effects" arrays) decode the same way. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "sitrep/i18n.h"

#define REAL_DIGITS 15  /* readings are decimals of at most 15 significant digits */

/* ---- corrections ---- */

void corrections_release(struct corrections *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].rd);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

const struct correction *corrections_find(const struct corrections *c, int64_t entry)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->v[mid].entry == entry)
			return &c->v[mid];
		if (c->v[mid].entry < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- decoding ---- */

static const char *jstr(const json_t *js, const char *key)
{
	return key ? json_string_value(json_object_get(js, key)) : NULL;
}

static int64_t jint(const json_t *js, const char *key, int64_t def)
{
	json_t *v = json_object_get(js, key);
	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v))
		return (int64_t)json_real_value(v);
	return def;
}

static void add_reading(struct decoded *d, int metric, double value)
{
	if (d->nrd == d->ard) {
		size_t n = d->ard ? d->ard * 2 : 8;
		struct engine_reading *rd = xcalloc(n, sizeof(*rd));
		memcpy(rd, d->rd, d->nrd * sizeof(*rd));
		if (d->rd != d->rd_store)
			free(d->rd);
		d->rd = rd;
		d->ard = n;
	}
	d->rd[d->nrd].metric = metric;
	d->rd[d->nrd].value = value;
	d->nrd++;
}

static void readings_from_json(const struct plan *p, const json_t *obj, struct decoded *d)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		int m = plan_metric_index(p, key);
		if (m >= 0 && json_is_number(v))
			add_reading(d, m, json_number_value(v));
	}
}

void decoded_release(struct decoded *d)
{
	if (d->js)
		json_decref(d->js);
	if (d->rd && d->rd != d->rd_store)
		free(d->rd);
	/* what it owned, forgotten (entry_decode clears the rest; clearing
	 * the whole struct here was a tenth of a replay's own work) */
	d->js = NULL;
	d->rd = NULL;
	d->nrd = d->ard = 0;
}

static enum engine_notify_step notify_step(const char *s)
{
	if (!s || !strcmp(s, "attempt"))
		return NOTIFY_ATTEMPT;
	if (!strcmp(s, "delivered"))
		return NOTIFY_DELIVERED;
	if (!strcmp(s, "failed"))
		return NOTIFY_FAILED;
	return NOTIFY_BY_HAND;
}

/* Long by design: a switch with one short case per kind of action, after the
 * common fields. */
int entry_decode(const struct plan *p, const struct journal_entry *e,
		 const struct corrections *c, struct decoded *d)
{
	int k = action_lookup(e->kind);
	const struct action_info *ai;
	const struct correction *cor = NULL;
	json_t *js = NULL;

	memset(d, 0, sizeof(*d));
	d->rd = d->rd_store;
	d->ard = sizeof(d->rd_store) / sizeof(d->rd_store[0]);
	if (k < 0)
		return -1;
	ai = &action_info[k];
	d->act.kind = (enum sitrep_action)k;
	d->act.at = e->occurred_at;
	d->act.actor = e->actor;
	d->act.role = e->role && *e->role ? e->role : NULL;
	d->act.entry = e->id;
	d->act.recorded_at = e->recorded_at;
	d->act.replay = 1;
	if (k == ACT_METRIC && c)
		cor = corrections_find(c, e->id);
	if (k == ACT_METRIC && e->nreadings && !cor) {
		/* the typed columns: no JSON to parse */
		for (size_t i = 0; i < e->nreadings; i++) {
			int m = plan_metric_index(p, e->readings[i].metric);
			if (m >= 0)
				add_reading(d, m, e->readings[i].value);
		}
		d->act.readings = d->rd;
		d->act.nreadings = d->nrd;
		return k;
	}
	if (e->payload) {
		json_error_t jerr;
		js = json_loadb(e->payload, e->payload_len ? e->payload_len : strlen(e->payload), 0, &jerr);
	}
	if (!js || !json_is_object(js)) {
		if (js)
			json_decref(js);
		if (k == ACT_METRIC && cor)
			goto corrected; /* readings from the correction */
		return -1;
	}
	d->js = js;
	d->act.text = jstr(js, ai->text_key);
	d->act.target = jstr(js, ai->target_key);
	switch (k) {
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
		/* replay goes where the decision went, whatever was asked */
		d->act.target = jstr(js, "to");
		d->act.recorded_ns = jint(js, "decided_ns", 0);
		break;
	case ACT_ACCEPT:
		d->act.recorded_ns = jint(js, "decided_ns", 0);
		break;
	case ACT_OPEN:
		d->act.drill = json_is_true(json_object_get(js, "drill"));
		break;
	case ACT_METRIC:
	case ACT_CORRECT:
		readings_from_json(p, json_object_get(js, "readings"), d);
		d->act.void_reading = json_is_true(json_object_get(js, "void"));
		break;
	case ACT_ASSESS: {
		json_t *as = json_object_get(js, "assess");
		for (size_t i = 0; i < p->matrix.ndims && i < 4; i++)
			d->act.assess[i] = jstr(as, p->matrix.dims[i].id);
		break;
	}
	case ACT_ASSIGN:
	case ACT_UNASSIGN:
	case ACT_OWNER:
	case ACT_TASK:
		d->act.person = jstr(js, "person");
		if (k == ACT_TASK) {
			const char *due = jstr(js, "due");
			int64_t t;
			if (due && time_parse(due, 0, &t) == 0)
				d->act.due = t;
			d->act.followup = json_is_true(json_object_get(js, "followup"));
		}
		break;
	case ACT_RESOURCE:
		d->act.withdraw = jstr(js, "action") && !strcmp(jstr(js, "action"), "withdraw");
		d->act.count = jint(js, "count", 1);
		break;
	case ACT_NOTIFY:
		d->act.notify = notify_step(jstr(js, "step"));
		/* the wording that went out, against the one approved */
		if ((d->act.notify == NOTIFY_ATTEMPT || d->act.notify == NOTIFY_BY_HAND) &&
		    jstr(js, "text")) {
			sha256_hex(jstr(js, "text"), strlen(jstr(js, "text")), d->text_hash);
			d->act.text_hash = d->text_hash;
		}
		break;
	case ACT_APPROVE:
		if (jstr(js, "text_sha256") && strlen(jstr(js, "text_sha256")) == 64) {
			memcpy(d->text_hash, jstr(js, "text_sha256"), 65);
			d->act.text_hash = d->text_hash;
		}
		break;
	default:
		break;
	}
	if (!cor) {
		d->act.readings = d->rd;
		d->act.nreadings = d->nrd;
		return k;
	}
corrected:
	/* read as corrected (docs/decisions.md, "Corrections") */
	d->nrd = 0;
	if (!cor->void_reading)
		for (size_t i = 0; i < cor->nrd; i++)
			add_reading(d, cor->rd[i].metric, cor->rd[i].value);
	d->corrected_by = cor->by;
	d->act.readings = d->rd;
	d->act.nreadings = d->nrd;
	d->act.kind = ACT_METRIC;
	return d->nrd ? ACT_METRIC : -1;
}

/* ---- encoding ---- */

static void set_str(json_t *o, const char *key, const char *v)
{
	if (key && v)
		json_object_set_new(o, key, json_string(v));
}

static void set_time(json_t *o, const char *key, int64_t t)
{
	char buf[40];
	if (t)
		json_object_set_new(o, key, json_string(time_format_utc(t, buf, sizeof(buf))));
}

static json_t *readings_json(const struct app_request *rq)
{
	json_t *r = json_object();
	for (size_t i = 0; i < rq->nmetrics; i++)
		json_object_set_new(r, rq->metric_names[i], json_real(rq->metric_values[i]));
	return r;
}

/* The request's own fields, shared by accepted and refused entries. */
static void request_fields(json_t *o, const struct plan *p, const struct app_request *rq)
{
	const struct action_info *ai = &action_info[rq->kind];
	int k = rq->kind;

	set_str(o, ai->text_key, rq->text);
	if (k == ACT_ESCALATE || k == ACT_DOWNGRADE) {
		json_object_set_new(o, "requested", rq->target ? json_string(rq->target) : json_null());
		if (rq->has_seen)
			json_object_set_new(o, "seen", rq->seen_level ? json_string(rq->seen_level)
								       : json_null());
	} else if (k != ACT_CORRECT) {
		set_str(o, ai->target_key, rq->target);
	}
	set_str(o, "person", rq->person);
	if (k == ACT_METRIC || (k == ACT_CORRECT && rq->nmetrics))
		json_object_set_new(o, "readings", readings_json(rq));
	if (k == ACT_CORRECT) {
		json_object_set_new(o, "entry", json_integer(rq->entry));
		if (!rq->nmetrics)
			json_object_set_new(o, "void", json_true());
	}
	if (k == ACT_ASSESS) {
		json_t *as = json_object();
		for (size_t i = 0; i < rq->nassess; i++)
			json_object_set_new(as, rq->assess_dims[i],
					    rq->assess_values[i] ? json_string(rq->assess_values[i])
								 : json_null());
		json_object_set_new(o, "assess", as);
	}
	if (k == ACT_WARN) {
		set_str(o, "scope", rq->scope);
		set_str(o, "expected", rq->expected);
		set_str(o, "measures", rq->measures);
	}
	if (k == ACT_RESOURCE) {
		json_object_set_new(o, "action", json_string(rq->withdraw ? "withdraw" : "deploy"));
		json_object_set_new(o, "count", json_integer(rq->count > 0 ? rq->count : 1));
	}
	if (rq->role)
		set_str(o, "as", rq->role);
	(void)p;
}

json_t *entry_payload(const struct plan *p, const struct app_request *rq, int64_t at,
		      const struct engine_result *res)
{
	json_t *o = json_object();
	int k = rq->kind;

	if (res->status != ENGINE_OK) {
		/* a refusal: who tried what, and why */
		char buf[40];
		json_object_set_new(o, "action", json_string(action_name(k)));
		json_object_set_new(o, "rule", json_string(res->err.rule ? res->err.rule : ""));
		json_object_set_new(o, "message", json_string(res->err.msg ? res->err.msg : ""));
		json_object_set_new(o, "at", json_string(time_format_utc(at, buf, sizeof(buf))));
		request_fields(o, p, rq);
		return o;
	}
	request_fields(o, p, rq);
	switch (k) {
	case ACT_ESCALATE:
	case ACT_DOWNGRADE:
	case ACT_ACCEPT: {
		const char *from = plan_level_id(p, res->from_level), *to = plan_level_id(p, res->to_level);
		json_object_set_new(o, "from", from ? json_string(from) : json_null());
		json_object_set_new(o, "to", to ? json_string(to) : json_null());
		json_object_set_new(o, "answered", res->answered[0] ? json_string(res->answered)
								   : json_null());
		if (k == ACT_ACCEPT)
			set_str(o, "level", to);
		break;
	}
	case ACT_TASK:
		json_object_set_new(o, "id", json_string(res->task_id));
		for (size_t i = 0; i < res->neffects; i++)
			if (res->effects[i].kind == EFF_TASK)
				set_time(o, "due", res->effects[i].due);
		json_object_set_new(o, "followup", json_boolean(rq->followup));
		break;
	default:
		break;
	}
	return o;
}

char *entry_dump(const json_t *js)
{
	/* compact, insertion order, reals as the shortest of 15 digits */
	return json_dumps(js, JSON_COMPACT | JSON_REAL_PRECISION(REAL_DIGITS));
}

size_t entry_readings(const struct app_request *rq, struct journal_reading *out, size_t max)
{
	size_t n = 0;
	if (rq->kind != ACT_METRIC && rq->kind != ACT_CORRECT) /* a correction: the replacement values */
		return 0;
	for (size_t i = 0; i < rq->nmetrics && n < max; i++, n++) {
		out[n].metric = rq->metric_names[i];
		out[n].value = rq->metric_values[i];
	}
	return n;
}

/* ---- texts ---- */

void span_text(int64_t secs, struct strbuf *out)
{
	char buf[48];
	sb_adds(out, dur_clock(secs, buf, sizeof(buf)));
}

static const char *level_name(const struct plan *p, int l)
{
	const char *id = plan_level_id(p, l);
	return id ? id : _("none");
}

/* A warning as the effect texts name it: "yellow warning". The usual
 * colours are words the catalogue translates; another id is shown as is. */
static const char *colour_word(const char *id)
{
	static const char *const colours[] = { N_("blue"), N_("yellow"), N_("orange"), N_("red") };
	for (size_t i = 0; i < sizeof(colours) / sizeof(colours[0]); i++)
		if (!strcmp(id, colours[i]))
			return _(colours[i]);
	return id;
}

static const char *warning_text(const struct plan *p, int w)
{
	if (w < 0 || (size_t)w >= p->nwarnings)
		return "?";
	return colour_word(p->warnings[w].id);
}

static const char *obligation_text(const struct plan *p, const struct engine_state *st,
				   const struct engine_effect *e, struct strbuf *buf)
{
	if (e->ref == ENGINE_CAP)
		return _("the warning cap");
	if (e->ref == ENGINE_TASK)
		return st && e->task >= 0 && (size_t)e->task < st->ntasks ? st->tasks[e->task].id : "?";
	if (e->ref < 0 || (size_t)e->ref >= p->nobligations)
		return "?";
	return i18n_named(p->obligations[e->ref].id, p->obligations[e->ref].title, buf);
}

static const char *role_word(const struct plan *p, int r, struct strbuf *buf)
{
	if (r < 0 || (size_t)r >= p->nroles)
		return "?";
	return i18n_named(p->roles[r].id, p->roles[r].name, buf);
}

static const char *resource_word(const struct plan *p, int r, struct strbuf *buf)
{
	if (r < 0 || (size_t)r >= p->nresources)
		return "?";
	return i18n_named(p->resources[r].id, p->resources[r].item, buf);
}

static const char *notice_word(const struct plan *p, int n, struct strbuf *buf)
{
	if (n < 0 || (size_t)n >= p->nnotices)
		return "?";
	return i18n_named(p->notices[n].id, p->notices[n].title, buf);
}

/* A rule that proposed or gave a level, or raised a warning: a trigger's
 * id, or matrix#N, the assessment's Nth rule. In another language than
 * English the trigger's title with its id, and the matrix rule's why alone
 * (no command takes "matrix#N", and a why cites its source in brackets of
 * its own). */
static const char *rule_word(const struct plan *p, const char *rule, struct strbuf *buf)
{
	if (!rule || !*rule)
		return "?";
	if (!strncmp(rule, "matrix#", 7)) {
		long n = strtol(rule + 7, NULL, 10);
		const char *why = n >= 1 && (size_t)n <= p->matrix.nrules ? p->matrix.rules[n - 1].why
									   : NULL;
		return i18n_named(rule, why, buf) != rule ? why : rule;
	}
	for (size_t i = 0; i < p->ntriggers; i++)
		if (p->triggers[i].id && !strcmp(p->triggers[i].id, rule))
			return i18n_named(rule, p->triggers[i].title, buf);
	return rule;
}

/* Long by design: a switch with one short case per kind of effect. */
void effect_text(const struct plan *p, const struct engine_state *st,
		 const struct engine_effect *e, struct strbuf *out)
{
	const char *trig = plan_trigger_id(p, e->trigger);
	char d[40];
	struct strbuf nm = STRBUF_INIT; /* the plan's words for what the effect names */

	sb_init(&nm);
	switch (e->kind) {
	case EFF_OPENED:
		sb_addf(out, _("incident opened under plan %s"), p->id);
		break;
	case EFF_COMMANDER:
		if (e->old[0])
			sb_addf(out, _("command handed from %s to %s"), e->old, e->who);
		else
			sb_addf(out, _("%s commands"), e->who);
		break;
	case EFF_WARNING_RAISED:
		if (trig)
			sb_addf(out, _("%s warning raised by trigger %s"), warning_text(p, e->ref),
				rule_word(p, trig, &nm));
		else
			sb_addf(out, _("%s warning raised by hand"), warning_text(p, e->ref));
		break;
	case EFF_WARNING_LIFTED:
		if (e->why == WHY_RESPONSE_STARTED)
			sb_addf(out, _("%s warning ends: the response starts"), warning_text(p, e->ref));
		else if (e->why == WHY_TERMINATED)
			sb_addf(out, _("%s warning ends: the incident is terminated"), warning_text(p, e->ref));
		else
			sb_addf(out, _("%s warning lifted"), warning_text(p, e->ref));
		break;
	case EFF_TRIGGER_FIRED: {
		const struct plan_trigger *t = e->ref >= 0 && (size_t)e->ref < p->ntriggers
			? &p->triggers[e->ref] : NULL;
		if (!t) {
			sb_adds(out, "?");
			break;
		}
		sb_addf(out, _("trigger %s fired (%s %s %g for %s)"), rule_word(p, t->id, &nm),
			plan_metric_id(p, t->cond.metric) ? plan_metric_id(p, t->cond.metric) : "?",
			plan_cmp_name(t->cond.op), t->cond.value, i18n_duration(t->for_secs, d, sizeof(d)));
		break;
	}
	case EFF_TRIGGER_CLEARED:
		sb_addf(out, _("trigger %s cleared"), rule_word(p, trig, &nm));
		break;
	case EFF_PROPOSAL:
		sb_addf(out, _("level %s proposed by %s"), level_name(p, e->ref), rule_word(p, e->rule, &nm));
		break;
	case EFF_PROPOSAL_WITHDRAWN:
		sb_addf(out, _("proposal of level %s (%s) withdrawn: %s"), level_name(p, e->ref),
			rule_word(p, e->rule, &nm),
			_(engine_why_text(e->why)));
		break;
	case EFF_LEVEL:
		if (e->from < 0)
			sb_addf(out, _("response at level %s (%s)"), level_name(p, e->ref),
				_(engine_why_text(e->why)));
		else
			sb_addf(out, _("level %s \xe2\x86\x92 %s (%s)"), level_name(p, e->from),
				level_name(p, e->ref), _(engine_why_text(e->why)));
		break;
	case EFF_OBLIGATION_STARTED:
		if (e->due) {
			struct strbuf s = STRBUF_INIT;
			sb_init(&s);
			span_text(e->due - e->at, &s);
			sb_addf(out, _("%s due in %s"), obligation_text(p, st, e, &nm), s.buf);
			sb_release(&s);
		} else {
			sb_addf(out, _("%s open"), obligation_text(p, st, e, &nm));
		}
		break;
	case EFF_OBLIGATION_DONE:
		if (e->outcome == OUT_LATE)
			sb_addf(out, _("%s done late"), obligation_text(p, st, e, &nm));
		else
			sb_addf(out, _("%s done"), obligation_text(p, st, e, &nm));
		if (e->why == WHY_MET || e->why == WHY_MET_BEFORE || e->why == WHY_LIFTED ||
		    e->why == WHY_RESPONSE_STARTED)
			/* TRANSLATORS: why, after what it explains */
			sb_addf(out, _(" (%s)"), _(engine_why_text(e->why)));
		break;
	case EFF_OBLIGATION_CANCELLED:
		sb_addf(out, _("%s: %s"), obligation_text(p, st, e, &nm), _(engine_why_text(e->why)));
		break;
	case EFF_OBLIGATION_MISSED:
		sb_addf(out, _("%s missed"), obligation_text(p, st, e, &nm));
		break;
	case EFF_OBLIGATION_WITHDRAWN:
		sb_addf(out, _("%s withdrawn: %s"), obligation_text(p, st, e, &nm), _(engine_why_text(e->why)));
		break;
	case EFF_ATTESTED:
		sb_addf(out, _("%s attested by %s"),
			e->ref >= 0 && (size_t)e->ref < p->ncriteria
			? i18n_named(p->criteria[e->ref].id, p->criteria[e->ref].title, &nm) : "?",
			e->who);
		break;
	case EFF_TERMINATED:
		sb_adds(out, _("incident terminated"));
		break;
	case EFF_ASSESSED:
		if (e->why == WHY_ASSESS_CONFIRMS)
			sb_addf(out, _("the assessment confirms level %s (%s)"), level_name(p, e->ref),
				rule_word(p, e->rule, &nm));
		else if (e->ref >= 0)
			sb_addf(out, _("the assessment gives level %s (%s)"), level_name(p, e->ref),
				rule_word(p, e->rule, &nm));
		else
			sb_addf(out, _("the assessment gives no level (%s)"), e->rule);
		break;
	case EFF_ASSIGNED:
		if (e->old[0])
			sb_addf(out, _("%s takes role %s (was %s)"), e->who, role_word(p, e->ref, &nm), e->old);
		else
			sb_addf(out, _("%s takes role %s"), e->who, role_word(p, e->ref, &nm));
		break;
	case EFF_UNASSIGNED:
		sb_addf(out, _("%s leaves role %s"), e->old, role_word(p, e->ref, &nm));
		break;
	case EFF_OWNER:
		if (e->old[0])
			sb_addf(out, _("%s carries %s (was %s)"), e->who, obligation_text(p, st, e, &nm), e->old);
		else
			sb_addf(out, _("%s carries %s"), e->who, obligation_text(p, st, e, &nm));
		break;
	case EFF_TASK:
		sb_addf(out, _("task %s added"), obligation_text(p, st, e, &nm));
		break;
	case EFF_DEPLOYED:
		sb_addf(out, _("%" PRId64 " of %s deployed"), e->count, resource_word(p, e->ref, &nm));
		break;
	case EFF_WITHDRAWN:
		sb_addf(out, _("%" PRId64 " of %s withdrawn"), e->count, resource_word(p, e->ref, &nm));
		break;
	case EFF_APPROVED:
		sb_addf(out, _("notice %s approved by %s"), notice_word(p, e->ref, &nm), e->who);
		break;
	case EFF_NOTICE_SENT:
		if (e->why == WHY_BY_HAND)
			sb_addf(out, _("notice %s given by hand"), notice_word(p, e->ref, &nm));
		else
			sb_addf(out, _("notice %s sent"), notice_word(p, e->ref, &nm));
		break;
	case EFF_NOTICE_FAILED:
		sb_addf(out, _("notice %s not delivered"), notice_word(p, e->ref, &nm));
		break;
	case EFF_READING_CORRECTED:
		sb_adds(out, _("reading corrected"));
		break;
	default:
		sb_adds(out, effect_name(e->kind));
		break;
	}
	sb_release(&nm);
}

static void add_readings(struct strbuf *out, const json_t *r)
{
	const char *key;
	json_t *v;
	int first = 1;
	json_object_foreach((json_t *)r, key, v) {
		sb_addf(out, "%s%s=%.15g", first ? " " : ", ", key, json_number_value(v));
		first = 0;
	}
}

static void add_reason(struct strbuf *out, const char *text)
{
	if (text && *text)
		sb_addf(out, ": %s", text);
}

/* Long by design: a switch with one short case per kind of action. */
void entry_summary(const struct plan *p, const char *kind, const json_t *js, int64_t corrects,
		   struct strbuf *out)
{
	int k = action_lookup(kind);
	const char *text = k >= 0 ? jstr(js, action_info[k].text_key) : NULL;
	const char *target = k >= 0 ? jstr(js, action_info[k].target_key) : NULL;
	const char *from = jstr(js, "from"), *to = jstr(js, "to"), *person = jstr(js, "person");

	(void)p; /* ids are shown as they are: the same in every language */
	switch (k) {
	case ACT_OPEN:
		sb_addf(out, _("opened: %s"), text ? text : "");
		if (json_is_true(json_object_get(js, "drill")))
			sb_addf(out, " [%s]", _("drill"));
		return;
	case ACT_LOG:
		if (corrects)
			sb_addf(out, _("correction of entry %" PRId64 ": %s"), corrects, text ? text : "");
		else
			sb_addf(out, _("note: %s"), text ? text : "");
		return;
	case ACT_METRIC:
		sb_adds(out, _("metric"));
		add_readings(out, json_object_get(js, "readings"));
		return;
	case ACT_CORRECT:
		if (json_is_true(json_object_get(js, "void")))
			sb_addf(out, _("reading %" PRId64 " voided"), jint(js, "entry", 0));
		else {
			sb_addf(out, _("reading %" PRId64 " corrected to"), jint(js, "entry", 0));
			add_readings(out, json_object_get(js, "readings"));
		}
		break;
	case ACT_WARN:
		sb_addf(out, _("warning %s raised"), target ? target : "?");
		break;
	case ACT_LIFT:
		sb_adds(out, _("warning lifted"));
		break;
	case ACT_ESCALATE:
		sb_addf(out, _("escalated %s \xe2\x86\x92 %s"), from ? from : _("none"), to ? to : "?");
		break;
	case ACT_DOWNGRADE:
		sb_addf(out, _("downgraded %s \xe2\x86\x92 %s"), from ? from : _("none"), to ? to : "?");
		break;
	case ACT_ACCEPT:
		sb_addf(out, _("proposal accepted: %s \xe2\x86\x92 %s"), from ? from : _("none"),
			to ? to : "?");
		break;
	case ACT_ASSESS: {
		const char *key;
		json_t *v;
		sb_adds(out, _("assessed"));
		json_object_foreach(json_object_get(js, "assess"), key, v)
			sb_addf(out, " %s=%s", key, json_string_value(v) ? json_string_value(v) : "?");
		break;
	}
	case ACT_ATTEST:
		sb_addf(out, _("attested %s"), target ? target : "?");
		break;
	case ACT_DONE:
		sb_addf(out, _("done %s"), target ? target : "?");
		break;
	case ACT_TERMINATE:
		sb_adds(out, _("terminated"));
		break;
	case ACT_HANDOVER:
		sb_addf(out, _("command handed over to %s"), target ? target : "?");
		break;
	case ACT_ASSIGN:
		sb_addf(out, _("%s assigned to role %s"), person ? person : "?", target ? target : "?");
		break;
	case ACT_UNASSIGN:
		sb_addf(out, _("%s taken out of role %s"), person ? person : "?", target ? target : "?");
		break;
	case ACT_OWNER:
		sb_addf(out, _("%s named to carry %s"), person ? person : "?", target ? target : "?");
		break;
	case ACT_TASK:
		sb_addf(out, json_is_true(json_object_get(js, "followup")) ? _("follow-up %s: %s")
									      : _("task %s: %s"),
			jstr(js, "id") ? jstr(js, "id") : "?", text ? text : "");
		if (person)
			sb_addf(out, _(" (for %s)"), person);
		return;
	case ACT_RESOURCE:
		sb_addf(out, jstr(js, "action") && !strcmp(jstr(js, "action"), "withdraw")
			? _("%" PRId64 " of %s withdrawn") : _("%" PRId64 " of %s deployed"),
			jint(js, "count", 1), target ? target : "?");
		break;
	case ACT_APPROVE:
		sb_addf(out, _("notice %s approved"), target ? target : "?");
		break;
	case ACT_NOTIFY: {
		const char *step = jstr(js, "step");
		if (!step || !strcmp(step, "attempt"))
			sb_addf(out, _("sending notice %s through %s"), target ? target : "?",
				jstr(js, "channel") ? jstr(js, "channel") : "?");
		else if (!strcmp(step, "delivered"))
			sb_addf(out, _("notice %s delivered"), target ? target : "?");
		else if (!strcmp(step, "failed"))
			sb_addf(out, _("notice %s not delivered: %s"), target ? target : "?",
				jstr(js, "error") ? jstr(js, "error") : "?");
		else
			sb_addf(out, _("notice %s given by hand"), target ? target : "?");
		break;
	}
	case ACT_NOTE_REVIEW:
		sb_addf(out, _("review note [%s]: %s"), target ? target : "?", text ? text : "");
		return;
	default:
		if (!strcmp(kind, "refused")) {
			sb_addf(out, _("refused %s (rule '%s'): %s"), jstr(js, "action") ? jstr(js, "action") : "?",
				jstr(js, "rule") ? jstr(js, "rule") : "?",
				jstr(js, "message") ? jstr(js, "message") : "");
		} else if (!strcmp(kind, "export")) {
			sb_addf(out, _("exported %s (%s) at head %s"), jstr(js, "what") ? jstr(js, "what") : "?",
				jstr(js, "format") ? jstr(js, "format") : "?",
				jstr(js, "head") ? jstr(js, "head") : "?");
		} else {
			sb_adds(out, kind);
		}
		return;
	}
	add_reason(out, text);
}

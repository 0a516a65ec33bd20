/* engine: snapshots of a state, a compact binary encoding (little-endian,
 * versioned, sized by the plan). A snapshot is a cache of what the journal
 * derives: decode refuses anything that does not fit the plan exactly. */
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

#define ENC_MAGIC "SRST"
#define ENC_VERSION 3u

static void put_u32(struct strbuf *out, uint32_t v)
{
	unsigned char b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	sb_add(out, b, 4);
}

static void put_i64(struct strbuf *out, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	sb_add(out, b, 8);
}

static void put_i32(struct strbuf *out, int v)
{
	put_u32(out, (uint32_t)(int32_t)v);
}

static void put_f64(struct strbuf *out, double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof(u));
	put_i64(out, (int64_t)u);
}

static void put_str(struct strbuf *out, const char *s)
{
	size_t n = strlen(s);
	put_u32(out, (uint32_t)n);
	sb_add(out, s, n);
}

struct reader {
	const unsigned char *p;
	size_t len, pos;
	int bad;
};

static uint32_t get_u32(struct reader *rd)
{
	uint32_t v = 0;
	if (rd->bad || rd->len - rd->pos < 4) {
		rd->bad = 1;
		return 0;
	}
	for (int i = 0; i < 4; i++)
		v |= (uint32_t)rd->p[rd->pos + i] << (8 * i);
	rd->pos += 4;
	return v;
}

static int get_i32(struct reader *rd)
{
	return (int)(int32_t)get_u32(rd);
}

static int64_t get_i64(struct reader *rd)
{
	uint64_t v = 0;
	if (rd->bad || rd->len - rd->pos < 8) {
		rd->bad = 1;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)rd->p[rd->pos + i] << (8 * i);
	rd->pos += 8;
	return (int64_t)v;
}

static double get_f64(struct reader *rd)
{
	uint64_t u = (uint64_t)get_i64(rd);
	double d;
	memcpy(&d, &u, sizeof(d));
	return d;
}

static void get_str(struct reader *rd, char *dst, size_t size)
{
	uint32_t n = get_u32(rd);
	if (rd->bad || n >= size || rd->len - rd->pos < n) {
		rd->bad = 1;
		dst[0] = '\0';
		return;
	}
	memcpy(dst, rd->p + rd->pos, n);
	dst[n] = '\0';
	rd->pos += n;
}

static int in_range(int v, int lo, size_t n)
{
	return v >= lo && (v < 0 || (size_t)v < n);
}

/* A count read from the blob, bounded by what the rest could hold. */
static uint32_t get_count(struct reader *rd, size_t min_each)
{
	uint32_t n = get_u32(rd);
	if (rd->bad || (min_each && n > (rd->len - rd->pos) / min_each))
		rd->bad = 1;
	return rd->bad ? 0 : n;
}

static void put_stats(struct strbuf *out, const struct engine_obl_stats *s)
{
	put_i32(out, s->started);
	put_i32(out, s->kept);
	put_i32(out, s->late);
	put_i32(out, s->missed);
	put_i32(out, s->cancelled);
	put_i32(out, s->withdrawn);
	put_i32(out, s->ever_done);
	put_str(out, s->person);
}

static void get_stats(struct reader *rd, struct engine_obl_stats *s)
{
	s->started = get_i32(rd);
	s->kept = get_i32(rd);
	s->late = get_i32(rd);
	s->missed = get_i32(rd);
	s->cancelled = get_i32(rd);
	s->withdrawn = get_i32(rd);
	s->ever_done = get_i32(rd);
	get_str(rd, s->person, sizeof(s->person));
}

/* Long by design: field after field, mirrored by decode_body. */
void engine_encode(const struct engine_state *st, struct strbuf *out)
{
	sb_add(out, ENC_MAGIC, 4);
	put_u32(out, ENC_VERSION);
	put_u32(out, (uint32_t)st->nmetrics);
	put_u32(out, (uint32_t)st->ntriggers);
	put_u32(out, (uint32_t)st->ncriteria);
	put_u32(out, (uint32_t)st->nresources);
	put_u32(out, (uint32_t)st->nnotices);
	put_u32(out, (uint32_t)st->nstats);
	put_u32(out, ENGINE_MAX_CONDS);
	put_i32(out, (int)st->phase);
	put_i32(out, st->opened);
	put_i32(out, st->drill);
	put_i32(out, st->level);
	put_i32(out, st->warning);
	put_i32(out, st->peak_level);
	put_i64(out, st->now);
	put_i64(out, st->opened_at);
	put_i64(out, st->warning_since);
	put_i64(out, st->level_since);
	put_i64(out, st->response_since);
	put_i64(out, st->terminated_at);
	put_i64(out, st->warning_started);
	put_i64(out, st->last_change);
	put_i64(out, st->level_entry);
	put_i64(out, st->level_recorded_ns);
	put_str(out, st->commander);
	for (size_t i = 0; i < st->nmetrics; i++) {
		const struct engine_metric_state *m = &st->metrics[i];
		put_i32(out, m->has_value);
		put_f64(out, m->value);
		put_i64(out, m->at);
		put_i64(out, m->count);
	}
	for (size_t i = 0; i < st->ntriggers; i++) {
		put_i64(out, st->triggers[i].since);
		put_i64(out, st->triggers[i].last);
		put_i32(out, st->triggers[i].firing);
		put_i64(out, st->triggers[i].fired_at);
	}
	for (size_t i = 0; i < st->ncriteria; i++) {
		const struct engine_criterion_state *c = &st->criteria[i];
		for (size_t k = 0; k < ENGINE_MAX_CONDS; k++)
			put_i64(out, c->since[k]);
		put_i32(out, c->attested);
		put_i64(out, c->attested_at);
		put_str(out, c->attested_by);
	}
	for (size_t i = 0; i < st->nresources; i++) {
		const struct engine_resource_state *r = &st->resources[i];
		put_i64(out, r->deployed);
		put_i64(out, r->since);
		put_i64(out, r->used_secs);
		put_i64(out, r->last_change);
		put_str(out, r->by);
	}
	for (size_t i = 0; i < st->nnotices; i++) {
		const struct engine_notice_state *n = &st->notices[i];
		put_i32(out, (int)n->state);
		put_i32(out, n->approved);
		put_str(out, n->approved_by);
		put_str(out, n->approved_hash);
		put_i64(out, n->approved_entry);
		put_i64(out, n->last_attempt);
		put_i64(out, n->last_entry);
		put_i32(out, n->sent);
		put_i32(out, n->failed);
		put_i64(out, n->sent_at);
	}
	for (size_t i = 0; i < st->nstats; i++)
		put_stats(out, &st->stats[i]);
	put_stats(out, &st->cap_stats);
	put_stats(out, &st->task_stats);
	put_u32(out, (uint32_t)st->nproposals);
	for (size_t i = 0; i < st->nproposals; i++) {
		const struct engine_proposal *pr = &st->proposals[i];
		put_i32(out, pr->level);
		put_i32(out, (int)pr->source);
		put_i32(out, pr->trigger);
		put_str(out, pr->rule);
		put_i64(out, pr->at);
	}
	put_u32(out, (uint32_t)st->nobls);
	for (size_t i = 0; i < st->nobls; i++) {
		const struct engine_obligation *o = &st->obls[i];
		put_i32(out, o->plan_index);
		put_i32(out, o->task);
		put_i32(out, o->seq);
		put_i64(out, o->started);
		put_i64(out, o->due);
		put_i32(out, o->warning);
		put_i32(out, o->by_proposal);
	}
	put_u32(out, (uint32_t)st->ntasks);
	for (size_t i = 0; i < st->ntasks; i++) {
		const struct engine_task *t = &st->tasks[i];
		put_str(out, t->id);
		put_str(out, t->title);
		put_str(out, t->person);
		put_i32(out, t->followup);
		put_i64(out, t->created);
		put_i64(out, t->due);
		put_i32(out, (int)t->outcome);
		put_i64(out, t->closed_at);
		put_str(out, t->closed_by);
	}
	put_u32(out, (uint32_t)st->nresponders);
	for (size_t i = 0; i < st->nresponders; i++) {
		put_i32(out, st->responders[i].role);
		put_str(out, st->responders[i].person);
		put_i64(out, st->responders[i].since);
	}
}

/* Long by design: field after field, mirroring engine_encode line for line:
 * kept side by side so that the two cannot drift. */
static int decode_body(struct engine_state *st, const struct plan *p, struct reader *rd)
{
	uint32_t n;
	int ph;

	ph = get_i32(rd);
	if (ph < 0 || ph >= PHASE__COUNT)
		return -1;
	st->phase = (enum sitrep_phase)ph;
	st->opened = get_i32(rd);
	st->drill = get_i32(rd);
	st->level = get_i32(rd);
	st->warning = get_i32(rd);
	st->peak_level = get_i32(rd);
	if (!in_range(st->level, -1, p->nlevels) || !in_range(st->warning, -1, p->nwarnings) ||
	    !in_range(st->peak_level, -1, p->nlevels))
		return -1;
	st->now = get_i64(rd);
	st->opened_at = get_i64(rd);
	st->warning_since = get_i64(rd);
	st->level_since = get_i64(rd);
	st->response_since = get_i64(rd);
	st->terminated_at = get_i64(rd);
	st->warning_started = get_i64(rd);
	st->last_change = get_i64(rd);
	st->level_entry = get_i64(rd);
	st->level_recorded_ns = get_i64(rd);
	get_str(rd, st->commander, sizeof(st->commander));
	for (size_t i = 0; i < st->nmetrics; i++) {
		struct engine_metric_state *m = &st->metrics[i];
		m->has_value = get_i32(rd);
		m->value = get_f64(rd);
		m->at = get_i64(rd);
		m->count = get_i64(rd);
	}
	for (size_t i = 0; i < st->ntriggers; i++) {
		st->triggers[i].since = get_i64(rd);
		st->triggers[i].last = get_i64(rd);
		st->triggers[i].firing = get_i32(rd);
		st->triggers[i].fired_at = get_i64(rd);
	}
	for (size_t i = 0; i < st->ncriteria; i++) {
		struct engine_criterion_state *c = &st->criteria[i];
		for (size_t k = 0; k < ENGINE_MAX_CONDS; k++)
			c->since[k] = get_i64(rd);
		c->attested = get_i32(rd);
		c->attested_at = get_i64(rd);
		get_str(rd, c->attested_by, sizeof(c->attested_by));
	}
	for (size_t i = 0; i < st->nresources; i++) {
		struct engine_resource_state *r = &st->resources[i];
		r->deployed = get_i64(rd);
		r->since = get_i64(rd);
		r->used_secs = get_i64(rd);
		r->last_change = get_i64(rd);
		get_str(rd, r->by, sizeof(r->by));
		if (r->deployed < 0 || r->deployed > p->resources[i].count)
			return -1;
	}
	for (size_t i = 0; i < st->nnotices; i++) {
		struct engine_notice_state *ns = &st->notices[i];
		int s = get_i32(rd);
		if (s < 0 || s >= NOTICE__COUNT)
			return -1;
		ns->state = (enum sitrep_notice_state)s;
		ns->approved = get_i32(rd);
		get_str(rd, ns->approved_by, sizeof(ns->approved_by));
		get_str(rd, ns->approved_hash, sizeof(ns->approved_hash));
		ns->approved_entry = get_i64(rd);
		ns->last_attempt = get_i64(rd);
		ns->last_entry = get_i64(rd);
		ns->sent = get_i32(rd);
		ns->failed = get_i32(rd);
		ns->sent_at = get_i64(rd);
	}
	for (size_t i = 0; i < st->nstats; i++)
		get_stats(rd, &st->stats[i]);
	get_stats(rd, &st->cap_stats);
	get_stats(rd, &st->task_stats);

	/* the least a proposal takes: level, source, trigger, the rule's length
	 * (the rule may be a one-letter trigger id, or empty) and its time */
	n = get_count(rd, 4 + 4 + 4 + 4 + 8);
	if (n) {
		st->proposals = xcalloc(n, sizeof(*st->proposals));
		st->aproposals = n;
	}
	for (uint32_t i = 0; i < n && !rd->bad; i++) {
		struct engine_proposal *pr = &st->proposals[i];
		int src;
		pr->level = get_i32(rd);
		src = get_i32(rd);
		pr->trigger = get_i32(rd);
		get_str(rd, pr->rule, sizeof(pr->rule));
		pr->at = get_i64(rd);
		if (!in_range(pr->level, 0, p->nlevels) || (src != PROP_TRIGGER && src != PROP_MATRIX) ||
		    !in_range(pr->trigger, -1, p->ntriggers))
			return -1;
		pr->source = (enum engine_proposal_source)src;
		st->nproposals++;
	}
	n = get_count(rd, 36);
	if (n) {
		st->obls = xcalloc(n, sizeof(*st->obls));
		st->aobls = n;
	}
	for (uint32_t i = 0; i < n && !rd->bad; i++) {
		struct engine_obligation *o = &st->obls[i];
		o->plan_index = get_i32(rd);
		o->task = get_i32(rd);
		o->seq = get_i32(rd);
		o->started = get_i64(rd);
		o->due = get_i64(rd);
		o->warning = get_i32(rd);
		o->by_proposal = get_i32(rd);
		if (!in_range(o->plan_index, ENGINE_TASK, p->nobligations) ||
		    !in_range(o->warning, -1, p->nwarnings))
			return -1;
		st->nobls++;
	}
	n = get_count(rd, 40);
	if (n) {
		st->tasks = xcalloc(n, sizeof(*st->tasks));
		st->atasks = n;
	}
	for (uint32_t i = 0; i < n && !rd->bad; i++) {
		struct engine_task *t = &st->tasks[i];
		int o;
		get_str(rd, t->id, sizeof(t->id));
		get_str(rd, t->title, sizeof(t->title));
		get_str(rd, t->person, sizeof(t->person));
		t->followup = get_i32(rd);
		t->created = get_i64(rd);
		t->due = get_i64(rd);
		o = get_i32(rd);
		if (o < 0 || o >= OUT__COUNT)
			return -1;
		t->outcome = (enum sitrep_outcome)o;
		t->closed_at = get_i64(rd);
		get_str(rd, t->closed_by, sizeof(t->closed_by));
		st->ntasks++;
	}
	for (size_t i = 0; i < st->nobls; i++)
		if (st->obls[i].plan_index == ENGINE_TASK && !in_range(st->obls[i].task, 0, st->ntasks))
			return -1;
	n = get_count(rd, 16);
	if (n) {
		st->responders = xcalloc(n, sizeof(*st->responders));
		st->aresponders = n;
	}
	for (uint32_t i = 0; i < n && !rd->bad; i++) {
		struct engine_responder *re = &st->responders[i];
		re->role = get_i32(rd);
		get_str(rd, re->person, sizeof(re->person));
		re->since = get_i64(rd);
		if (!in_range(re->role, 0, p->nroles))
			return -1;
		st->nresponders++;
	}
	return rd->bad || rd->pos != rd->len ? -1 : 0;
}

int engine_decode(struct engine_state *st, const struct plan *p, const void *buf, size_t len)
{
	struct reader rd = { buf, len, 0, 0 };

	engine_init(st, p);
	if (!buf || len < 4 || memcmp(buf, ENC_MAGIC, 4))
		goto bad;
	rd.pos = 4;
	if (get_u32(&rd) != ENC_VERSION || get_u32(&rd) != p->nmetrics ||
	    get_u32(&rd) != p->ntriggers || get_u32(&rd) != p->ncriteria ||
	    get_u32(&rd) != p->nresources || get_u32(&rd) != p->nnotices ||
	    get_u32(&rd) != p->nobligations || get_u32(&rd) != ENGINE_MAX_CONDS)
		goto bad;
	if (decode_body(st, p, &rd) == 0)
		return 0;
bad:
	engine_release(st);
	return -1;
}

/* plan_deadlines: events ("of: level:II"), obligations, and notices: each
 * notice generates the obligation that makes it fall due, and its template
 * fields are checked where they are written (see plan_load.c for how
 * sections are read). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/plan.h"
#include "plan_int.h"

#define MAX_LIST 1000        /* entries in any one section */

/* ------------------------------------------------------------------ */
/* Obligations and notices                                             */

/* The events list trigger:ID only in plans that have triggers, so that the
 * help stays short where it cannot apply. */
static const char anchor_help[] =
	"open, warning, warning:ID, response, level, level:ID, proposal, done:ID, lift or terminate";
static const char anchor_help_triggers[] =
	"open, warning, warning:ID, response, level, level:ID, proposal, trigger:ID, done:ID, "
	"lift or terminate";
static const char state_help[] = "open, warning, warning:ID, response or level:ID";

/* What an anchor names after its colon. */
static const struct { enum plan_anchor_kind kind; enum idkind ids; } anchor_refs[] = {
	{ ANCHOR_WARNING_ID, K_WARNING }, { ANCHOR_LEVEL, K_LEVEL },
	{ ANCHOR_DONE, K_OBLIGATION }, { ANCHOR_TRIGGER, K_TRIGGER },
};

static int anchor_kind(const char *s, enum plan_anchor_kind *kind)
{
	const char *colon = strchr(s, ':'), *arg = colon ? colon + 1 : NULL;
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
#define HEAD(w) (hl == strlen(w) && !strncmp(s, w, hl))
	if (HEAD("open") && !arg) *kind = ANCHOR_OPEN;
	else if (HEAD("warning") && !arg) *kind = ANCHOR_WARNING;
	else if (HEAD("warning") && arg && *arg) *kind = ANCHOR_WARNING_ID;
	else if (HEAD("response") && !arg) *kind = ANCHOR_RESPONSE;
	else if (HEAD("level") && (!arg || *arg)) *kind = ANCHOR_LEVEL;
	else if (HEAD("proposal") && !arg) *kind = ANCHOR_PROPOSAL;
	else if (HEAD("done") && arg && *arg) *kind = ANCHOR_DONE;
	else if (HEAD("trigger") && arg && *arg) *kind = ANCHOR_TRIGGER;
	else if (HEAD("lift") && !arg) *kind = ANCHOR_LIFT;
	else if (HEAD("terminate") && !arg) *kind = ANCHOR_TERMINATE;
	else return -1;
#undef HEAD
	return 0;
}

static int parse_anchor(struct loader *L, const struct ynode *at, int state_only,
			struct plan_anchor *a)
{
	struct ydoc *d = &L->d;
	const char *s = at->s, *colon = strchr(s, ':');
	size_t k;
	a->ref = -1;
	if (anchor_kind(s, &a->kind)) {
		if (state_only)
			ydoc_err(d, at, "unknown state '%s' (expected %s)", s, state_help);
		else
			ydoc_err(d, at, "unknown event '%s' (expected %s)", s,
				 L->p->ntriggers ? anchor_help_triggers : anchor_help);
		return Y_ERR;
	}
	if (state_only && (a->kind == ANCHOR_PROPOSAL || a->kind == ANCHOR_DONE ||
			   a->kind == ANCHOR_LIFT || a->kind == ANCHOR_TERMINATE ||
			   a->kind == ANCHOR_TRIGGER)) {
		ydoc_err(d, at, "'%s' is an event, not a state (expected %s)", s, state_help);
		return Y_ERR;
	}
	if (a->kind == ANCHOR_LEVEL && !colon) {
		/* any change of level: an event only */
		if (!state_only)
			return Y_GOT;
		ydoc_err(d, at, "'level' is an event (any change of level), not a state: use "
			 "'response' for any level or 'level:ID' for one");
		return Y_ERR;
	}
	for (k = 0; k < sizeof anchor_refs / sizeof *anchor_refs; k++)
		if (anchor_refs[k].kind == a->kind) {
			a->ref = pl_resolve(L, at, anchor_refs[k].ids, colon + 1);
			return a->ref < 0 ? Y_ERR : Y_GOT;
		}
	return Y_GOT;
}

static int get_anchors(struct loader *L, const struct ynode *m, const char *key, int state_only,
		       struct plan_anchor **out, size_t *n)
{
	struct yitems it;
	long c = y_items(&L->d, y_get(&L->d, m, key), key, &it), i;
	if (c <= 0)
		return c < 0 ? Y_ERR : Y_NONE;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++)
		if (parse_anchor(L, y_item(&it, (size_t)i), state_only, &(*out)[*n]) == Y_GOT)
			(*n)++;
	return Y_GOT;
}

/* What the messages call an entry with timing. */
struct timed { const char *what, *a_what; };
static const struct timed obligation_words = { "obligation", "an obligation" };
static const struct timed notice_words = { "notice", "a notice" };

/* within + of: a one-shot deadline */
static void timing_within(struct loader *L, const struct ynode *m, const struct timed *w,
			  struct plan_obligation *o, size_t self)
{
	struct ydoc *d = &L->d;
	const struct ynode *of = y_get(d, m, "of");
	const char *s;
	y_dur(d, m, "within", w->what, 1, &o->within);
	if (y_get(d, m, "while"))
		ydoc_err(d, y_get(d, m, "while"), "'while' goes with 'every', not 'within'");
	if (!of)
		ydoc_err(d, m, "missing key 'of' in %s (the event the deadline runs from)", w->what);
	else if (y_scalar(d, of, "of", &s) == Y_GOT) {
		if (parse_anchor(L, of, 0, &o->anchor) == Y_GOT && o->anchor.kind == ANCHOR_DONE &&
		    o->anchor.ref == (int)self)
			ydoc_err(d, of, "%s '%s' cannot run from its own completion", w->what, o->id);
	} else if (of->type == Y_SCALAR) {
		ydoc_err(d, of, "missing value for 'of' in %s", w->what);
	}
	y_bool(d, m, "repeat", w->what, 0, &o->repeat);
}

/* every + while: a cadence */
static void timing_every(struct loader *L, const struct ynode *m, const struct timed *w,
			 struct plan_obligation *o)
{
	struct ydoc *d = &L->d;
	o->is_cadence = 1;
	if (y_get(d, m, "repeat"))
		ydoc_err(d, y_get(d, m, "repeat"), "'repeat' goes with 'within', not 'every' (a "
			 "cadence runs again each time its state holds)");
	if (y_dur(d, m, "every", w->what, 1, &o->every) == Y_GOT && o->every <= 0)
		ydoc_err(d, y_get(d, m, "every"), "'every' must be longer than 0");
	if (y_get(d, m, "of"))
		ydoc_err(d, y_get(d, m, "of"), "'of' goes with 'within', not 'every'");
	if (!y_get(d, m, "while"))
		ydoc_err(d, m, "missing key 'while' in %s (the states the cadence runs in)", w->what);
	else if (get_anchors(L, m, "while", 1, &o->during, &o->nduring) == Y_NONE)
		ydoc_err(d, y_get(d, m, "while"), "missing value for 'while' in %s", w->what);
}

/* The timing of an obligation, or of the one a notice generates. */
static void load_timing(struct loader *L, const struct ynode *m, const struct timed *w,
			struct plan_obligation *o, size_t self)
{
	struct ydoc *d = &L->d;
	const struct ynode *wi = y_get(d, m, "within"), *ev = y_get(d, m, "every");
	o->owner = -1;
	o->anchor.ref = -1;
	if (pl_ref(L, m, "owner", w->what, K_ROLE, 0, &o->owner) != Y_GOT)
		o->owner = -1;
	get_anchors(L, m, "met_by", 0, &o->met_by, &o->nmet_by);
	if (wi && ev)
		ydoc_err(d, ev, "%s has either 'within' (a deadline) or 'every' (a cadence), not both",
			 w->a_what);
	else if (!wi && !ev)
		ydoc_err(d, m, "%s needs 'within' and 'of' (a deadline) or 'every' and 'while' (a "
			 "cadence)", w->a_what);
	else if (wi)
		timing_within(L, m, w, o, self);
	else
		timing_every(L, m, w, o);
}

/* `done:` chains must end somewhere. */
static void check_done_chains(struct loader *L, const struct ynode *const *nodes,
			      const struct timed *const *words)
{
	struct plan *p = L->p;
	size_t i;
	for (i = 0; i < p->nobligations; i++) {
		int cur = (int)i;
		size_t steps = 0;
		while (cur >= 0 && !p->obligations[cur].is_cadence &&
		       p->obligations[cur].anchor.kind == ANCHOR_DONE && steps <= p->nobligations) {
			cur = p->obligations[cur].anchor.ref;
			steps++;
			if (cur == (int)i && steps > 1) {
				ydoc_err(&L->d, y_get(&L->d, nodes[i], "of"),
					 "%s '%s' runs from a chain of 'done:' events that leads back to it",
					 words[i]->what, p->obligations[i].id);
				break;
			}
		}
	}
}

/* {field} placeholders: known fields only; {{ and }} are braces. Placing
 * an error costs a pass over the text (ydoc_locate), so the check stops
 * when no more errors are kept: a hostile template full of braces would
 * otherwise take time quadratic in its size. */
static void check_template_text(struct loader *L, const struct ynode *t, const char *key)
{
	const char *s = t->s;
	size_t i = 0, n = t->len, j, nf;
	int line, col;
	while (i < n && !ydoc_full(&L->d)) {
		if ((s[i] == '{' || s[i] == '}') && i + 1 < n && s[i + 1] == s[i]) {
			i += 2;
			continue;
		}
		if (s[i] == '}') {
			ydoc_locate(&L->d, t, i, 1, &line, &col);
			ydoc_err_at(&L->d, line, col, "single '}' in '%s' (write '}}' for a brace)", key);
		}
		if (s[i] != '{') {
			i++;
			continue;
		}
		for (j = i + 1; j < n && s[j] != '}' && s[j] != '{' && s[j] != '\n'; j++)
			;
		if (j >= n || s[j] != '}') {
			ydoc_locate(&L->d, t, i, 1, &line, &col);
			ydoc_err_at(&L->d, line, col, "unclosed '{' in '%s' (write '{{' for a brace)",
				    key);
			i = j;
			continue;
		}
		for (nf = 0; plan_template_fields[nf]; nf++)
			if (strlen(plan_template_fields[nf]) == j - i - 1 &&
			    !strncmp(plan_template_fields[nf], s + i + 1, j - i - 1))
				break;
		if (!plan_template_fields[nf]) {
			char *name = xstrndup(s + i + 1, j - i - 1);
			const char *sug = y_suggest(name, plan_template_fields, nf);
			ydoc_locate(&L->d, t, i, j + 1 - i, &line, &col);
			if (sug)
				ydoc_err_at(&L->d, line, col, "unknown field '{%s}' in '%s' (did you mean "
					    "'{%s}'?)", name, key, sug);
			else
				ydoc_err_at(&L->d, line, col, "unknown field '{%s}' in '%s'", name, key);
			free(name);
		}
		i = j + 1;
	}
}

/* A template, in the plan's language; every language is checked. */
static void load_template(struct loader *L, const struct ynode *m, const char *key,
			  int required, char **out)
{
	const struct ynode *v = y_get(&L->d, m, key);
	size_t i;
	if (y_text(&L->d, m, key, "notice", required, out) != Y_GOT)
		return;
	if (v->type == Y_SCALAR)
		check_template_text(L, v, key);
	for (i = 0; v->type == Y_MAP && i + 1 < v->nkid; i += 2)
		if (!ydoc_kid(&L->d, v, i)->dup)
			check_template_text(L, ydoc_kid(&L->d, v, i + 1), key);
}

static void notice_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct ydoc *d = &L->d;
	struct plan_notice *n = e;
	const struct ynode *to = y_get(d, m, "to");
	(void)i;
	n->review = -1;
	if (pl_ref(L, m, "review", "notice", K_ROLE, 0, &n->review) != Y_GOT)
		n->review = -1;
	load_template(L, m, "template", 1, &n->template_text);
	load_template(L, m, "subject", 0, &n->subject);
	/* role ids, plan channels or the site's contact groups: which one is
	 * known only when it is sent */
	if (!to)
		ydoc_err(d, m, "missing key 'to' in notice (the roles, channels or contact groups "
			 "to tell)");
	else if (to->type != Y_BAD && y_idlist(d, m, "to", "recipient", &n->to, &n->nto) == Y_NONE)
		ydoc_err(d, to, "a notice needs at least one recipient in 'to'");
}

static const char *const timing_keys[] = { "owner", "within", "of", "every", "while", "met_by",
					   "repeat", NULL };
static const struct field obligation_fields[] = {
	FIELD(struct plan_obligation, "id", F_ID, 1, id),
	FIELD(struct plan_obligation, "title", F_TEXT, 1, title),
	FIELD(struct plan_obligation, "cite", F_STR, 0, cite),
	FIELDS_END
};
static const struct section obligations_section = {
	"obligations", "obligation", MAX_LIST, sizeof(struct plan_obligation),
	obligation_fields, timing_keys, K_OBLIGATION, NULL
};
static const struct field notice_fields[] = {
	FIELD(struct plan_notice, "id", F_ID, 1, id),
	FIELD(struct plan_notice, "title", F_TEXT, 1, title),
	FIELD(struct plan_notice, "channel", F_ID, 0, channel),
	FIELD(struct plan_notice, "cite", F_STR, 0, cite),
	FIELDS_END
};
static const char *const notice_more[] = { "to", "template", "subject", "review", "owner",
					   "within", "of", "every", "while", "met_by", "repeat",
					   NULL };
static const struct section notices_section = {
	"notices", "notice", MAX_LIST, sizeof(struct plan_notice), notice_fields, notice_more,
	K_NOTICE, notice_entry
};

/* Each notice is also a deadline, by its id: the loader appends one
 * obligation per notice after the plan's own, and the ids of both go into
 * one namespace (done:ID may name either). */
static void add_notice_obligations(struct loader *L, size_t no, const struct ynode *const *on,
				   const struct ynode *const *nn)
{
	struct plan *p = L->p;
	const char **ids;
	size_t i, j, n = no + p->nnotices;
	p->nobligations = no;
	if (!p->nnotices)
		return;
	p->obligations = xrealloc(p->obligations, n * sizeof *p->obligations);
	memset(p->obligations + no, 0, p->nnotices * sizeof *p->obligations);
	for (j = 0; j < p->nnotices; j++) {
		struct plan_notice *nt = &p->notices[j];
		struct plan_obligation *o = &p->obligations[no + j];
		o->id = xstrdup(nt->id);
		o->title = xstrdup(nt->title);
		o->cite = xstrdup(nt->cite);
		o->notice = (int)j;
		nt->obligation = (int)(no + j);
		for (i = 0; nt->id && i < no; i++)
			if (p->obligations[i].id && !strcmp(p->obligations[i].id, nt->id))
				ydoc_err(&L->d, y_get(&L->d, nn[j], "id"),
					 "notice id '%s' is also an obligation id (line %d): a notice "
					 "is a deadline by its id", nt->id,
					 y_get(&L->d, on[i], "id")->line);
	}
	p->nobligations = n;
	ids = xcalloc(n, sizeof *ids);
	for (i = 0; i < n; i++)
		ids[i] = p->obligations[i].id;
	free((void *)L->ids[K_OBLIGATION]);
	L->ids[K_OBLIGATION] = ids;
	L->nids[K_OBLIGATION] = n;
}

void pl_load_deadlines(struct loader *L, const struct ynode *root)
{
	struct plan *p = L->p;
	const struct ynode **on, **nn, **all;
	const struct timed **words;
	long no, nnot;
	size_t i, n;
	p->notices = pl_section(L, root, &notices_section, &nnot, &nn);
	p->nnotices = nnot > 0 ? (size_t)nnot : 0;
	p->obligations = pl_section(L, root, &obligations_section, &no, &on);
	if (no < 0)
		no = 0;
	for (i = 0; i < (size_t)no; i++)
		p->obligations[i].notice = -1;
	add_notice_obligations(L, (size_t)no, on, nn);
	n = p->nobligations;
	all = xcalloc(n ? n : 1, sizeof *all);
	words = xcalloc(n ? n : 1, sizeof *words);
	for (i = 0; i < n; i++) {
		int ob = i < (size_t)no;
		all[i] = ob ? on[i] : nn[i - (size_t)no];
		words[i] = ob ? &obligation_words : &notice_words;
		load_timing(L, all[i], words[i], &p->obligations[i], i);
	}
	check_done_chains(L, all, words);
	free(all);
	free(words);
	free(on);
	free(nn);
}


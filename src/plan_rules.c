/* plan_rules: the sections the engine's rules read: metrics, conditions
 * ("queue_min > 8"), criteria, triggers, the level decision matrix, and the
 * lift and termination lists (see plan_load.c for how sections are read). */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/plan.h"
#include "plan_int.h"

#define MAX_LIST 1000        /* entries in any one section */
#define MAX_DIMS 4

/* ------------------------------------------------------------------ */
/* Conditions                                                          */

static void check_value(struct loader *L, const struct ynode *at, const struct plan_metric *m,
			double v, const char *what)
{
	double lo = m->has_min ? m->min : -HUGE_VAL, hi = m->has_max ? m->max : HUGE_VAL;
	if (v >= lo && v <= hi)
		return;
	if (m->has_min && m->has_max)
		ydoc_err(&L->d, at, "%s %g is out of range for metric '%s' (%g to %g%s)", what, v,
			 m->id, m->min, m->max, m->unit && !strcmp(m->unit, "%") ? "%" : "");
	else if (m->has_max)
		ydoc_err(&L->d, at, "%s %g is above the maximum %g of metric '%s'", what, v, m->max,
			 m->id);
	else
		ydoc_err(&L->d, at, "%s %g is below the minimum %g of metric '%s'", what, v, m->min,
			 m->id);
}

static const char *const cmp_ops[] = { ">", ">=", "<", "<=", "==", "!=" };

/* "METRIC OP NUMBER" */
static int parse_cond(struct loader *L, const struct ynode *at, const char *key,
		      struct plan_cond *c)
{
	const char *s = at->s, *p = s, *idb;
	char name[128], num[64];
	size_t idn, nn;
	int op = -1;
	while (*p == ' ' || *p == '\t')
		p++;
	idb = p;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')
		p++;
	idn = (size_t)(p - idb);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncmp(p, ">=", 2)) op = CMP_GE;
	else if (!strncmp(p, "<=", 2)) op = CMP_LE;
	else if (!strncmp(p, "==", 2)) op = CMP_EQ;
	else if (!strncmp(p, "!=", 2)) op = CMP_NE;
	else if (*p == '>') op = CMP_GT;
	else if (*p == '<') op = CMP_LT;
	if (op >= 0)
		p += strlen(cmp_ops[op]);
	while (*p == ' ' || *p == '\t')
		p++;
	nn = strcspn(p, " \t");
	if (!idn || idn >= sizeof name || op < 0 || !nn || nn >= sizeof num ||
	    p[nn + strspn(p + nn, " \t")]) {
		ydoc_err(&L->d, at,
			 "expected 'METRIC OP NUMBER' (e.g. 'queue_min > 8') for '%s', found '%s'",
			 key, s);
		return Y_ERR;
	}
	memcpy(name, idb, idn);
	name[idn] = 0;
	memcpy(num, p, nn);
	num[nn] = 0;
	if (y_parse_number(num, &c->value)) {
		ydoc_err(&L->d, at, "expected a number after '%s' in '%s', found '%s'", cmp_ops[op],
			 s, num);
		return Y_ERR;
	}
	c->op = (enum plan_cmp)op;
	c->metric = pl_resolve(L, at, K_METRIC, name);
	if (c->metric < 0)
		return Y_ERR;
	check_value(L, at, &L->p->metrics[c->metric], c->value, "threshold");
	return Y_GOT;
}

/* ------------------------------------------------------------------ */
/* Metrics                                                             */

static void metric_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct ydoc *d = &L->d;
	struct plan_metric *x = e;
	(void)i;
	x->has_min = y_num(d, m, "min", "metric", 0, &x->min) == Y_GOT;
	x->has_max = y_num(d, m, "max", "metric", 0, &x->max) == Y_GOT;
	/* a plain percentage cannot leave 0..100 unless the plan says so; the
	 * unit decides in every language, so that no plan is valid in one
	 * language and not in another */
	if (y_text_is(d, y_get(d, m, "unit"), "%")) {
		if (!x->has_min && !y_get(d, m, "min"))
			x->has_min = 1, x->min = 0;
		if (!x->has_max && !y_get(d, m, "max"))
			x->has_max = 1, x->max = 100;
	}
	if (x->has_min && x->has_max && x->min > x->max)
		ydoc_err(d, y_get(d, m, "min"), "min %g is above max %g", x->min, x->max);
	if (y_num(d, m, "normal", "metric", 0, &x->normal) == Y_GOT) {
		x->has_normal = 1;
		if (x->id)
			check_value(L, y_get(d, m, "normal"), x, x->normal, "normal");
	}
	x->stale_after = PLAN_STALE_AFTER;
	if (y_dur(d, m, "stale_after", "metric", 0, &x->stale_after) == Y_GOT &&
	    x->stale_after <= 0)
		ydoc_err(d, y_get(d, m, "stale_after"), "'stale_after' must be longer than 0");
}

static const struct field metric_fields[] = {
	FIELD(struct plan_metric, "id", F_ID, 1, id),
	FIELD(struct plan_metric, "name", F_TEXT, 0, name),
	FIELD(struct plan_metric, "unit", F_TEXT, 0, unit),
	FIELD(struct plan_metric, "normal_text", F_TEXT, 0, normal_text),
	FIELDS_END
};
static const char *const metric_more[] = { "normal", "min", "max", "stale_after", NULL };
static const struct section metrics_section = {
	"metrics", "metric", MAX_LIST, sizeof(struct plan_metric), metric_fields, metric_more,
	K_METRIC, metric_entry
};

void pl_load_metrics(struct loader *L, const struct ynode *root)
{
	long n;
	L->p->metrics = pl_section(L, root, &metrics_section, &n, NULL);
	L->p->nmetrics = pl_count(n);
}

/* ------------------------------------------------------------------ */
/* Criteria, triggers                                                  */

static void criterion_when(struct loader *L, const struct ynode *m, const struct ynode *when,
			   struct plan_criterion *c)
{
	struct yitems it;
	long nc = y_items(&L->d, when, "when", &it), j;
	c->kind = CRIT_METRIC;
	y_dur(&L->d, m, "for", "criterion", 0, &c->for_secs);
	if (nc == 0)
		ydoc_err(&L->d, when, "expected at least one condition in 'when'");
	if (nc > PLAN_MAX_CONDS)
		ydoc_err(&L->d, y_item(&it, PLAN_MAX_CONDS), "too many conditions in 'when' (at most %d)",
			 PLAN_MAX_CONDS);
	if (nc <= 0)
		return;
	c->conds = xcalloc((size_t)nc, sizeof *c->conds);
	for (j = 0; j < nc && j < PLAN_MAX_CONDS; j++)
		if (parse_cond(L, y_item(&it, (size_t)j), "when", &c->conds[c->nconds]) == Y_GOT)
			c->nconds++;
}

static void criterion_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	static const char *const how[] = { "when", "attest", "resources" };
	struct ydoc *d = &L->d;
	struct plan_criterion *c = e;
	const struct ynode *v[3], *forv = y_get(d, m, "for");
	const char *s;
	int first = -1, k;
	(void)i;
	c->role = -1;
	for (k = 0; k < 3; k++) {
		v[k] = y_get(d, m, how[k]);
		if (v[k] && first >= 0) {
			ydoc_err(d, v[k], "a criterion has either '%s' or '%s', not both",
				 how[first], how[k]);
			return;
		}
		if (v[k])
			first = k;
	}
	if (first < 0) {
		ydoc_err(d, m, "a criterion needs 'when' (metric conditions), 'attest' (a role) "
			 "or 'resources: withdrawn'");
		return;
	}
	if (first == 0) {
		criterion_when(L, m, v[0], c);
		return;
	}
	if (forv)
		ydoc_err(d, forv, "'for' only applies to 'when' criteria");
	if (first == 1) {
		c->kind = CRIT_ATTEST;
		if (y_scalar(d, v[1], "attest", &s) == Y_GOT) {
			if (strcmp(s, "any") != 0)
				c->role = pl_resolve(L, v[1], K_ROLE, s);
		} else if (v[1]->type == Y_SCALAR) {
			ydoc_err(d, v[1], "missing value for 'attest' (a role id or 'any')");
		}
		return;
	}
	c->kind = CRIT_RESOURCES;
	k = y_scalar(d, v[2], "resources", &s);
	if (k == Y_GOT && strcmp(s, "withdrawn") != 0)
		ydoc_err(d, v[2], "expected 'withdrawn' for 'resources', found '%s'", s);
	else if (k == Y_NONE)
		ydoc_err(d, v[2], "expected 'withdrawn' for 'resources', found nothing");
	else if (k == Y_GOT && !L->p->nresources)
		ydoc_err(d, v[2], "'resources: withdrawn' needs a resources ledger ('resources' in "
			 "the plan)");
}

static const struct field criterion_fields[] = {
	FIELD(struct plan_criterion, "id", F_ID, 1, id),
	FIELD(struct plan_criterion, "title", F_TEXT, 0, title),
	FIELD(struct plan_criterion, "cite", F_STR, 0, cite),
	FIELDS_END
};
static const char *const criterion_more[] = { "when", "for", "attest", "resources", NULL };
static const struct section criteria_section = {
	"criteria", "criterion", MAX_LIST, sizeof(struct plan_criterion), criterion_fields,
	criterion_more, K_CRITERION, criterion_entry
};

void pl_load_criteria(struct loader *L, const struct ynode *root)
{
	long n;
	L->p->criteria = pl_section(L, root, &criteria_section, &n, NULL);
	L->p->ncriteria = pl_count(n);
}

/* Hysteresis: the clear value lies on the other side of the threshold. */
static void trigger_clear(struct loader *L, const struct ynode *cv, struct plan_trigger *t)
{
	double th = t->cond.value;
	switch (t->cond.op) {
	case CMP_GT: case CMP_GE:
		if (t->clear_value > th)
			ydoc_err(&L->d, cv, "clear value %g must not be above the threshold %g",
				 t->clear_value, th);
		break;
	case CMP_LT: case CMP_LE:
		if (t->clear_value < th)
			ydoc_err(&L->d, cv, "clear value %g must not be below the threshold %g",
				 t->clear_value, th);
		break;
	default:
		ydoc_err(&L->d, cv, "'clear' needs a '>', '>=', '<' or '<=' condition");
	}
	check_value(L, cv, &L->p->metrics[t->cond.metric], t->clear_value, "clear value");
}

static void trigger_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct ydoc *d = &L->d;
	struct plan_trigger *t = e;
	const struct ynode *when = y_get(d, m, "when");
	const char *s;
	int okc = 0, r1, r2;
	(void)i;
	t->raise_warning = t->propose_level = -1;
	t->cond.metric = -1;
	if (!when)
		ydoc_err(d, m, "missing key 'when' in trigger");
	else if (y_scalar(d, when, "when", &s) == Y_GOT)
		okc = parse_cond(L, when, "when", &t->cond) == Y_GOT;
	else if (when->type == Y_SCALAR)
		ydoc_err(d, when, "missing value for 'when' in trigger");
	if (y_num(d, m, "clear", "trigger", 0, &t->clear_value) == Y_GOT) {
		t->has_clear = 1;
		if (okc)
			trigger_clear(L, y_get(d, m, "clear"), t);
	}
	r1 = pl_ref(L, m, "raise", "trigger", K_WARNING, 0, &t->raise_warning);
	r2 = pl_ref(L, m, "propose", "trigger", K_LEVEL, 0, &t->propose_level);
	if (r1 == Y_NONE && r2 == Y_NONE)
		ydoc_err(d, m, "a trigger needs 'raise' (a warning) or 'propose' (a level)");
	if (r1 != Y_GOT)
		t->raise_warning = -1;
	if (r2 != Y_GOT)
		t->propose_level = -1;
}

static const struct field trigger_fields[] = {
	FIELD(struct plan_trigger, "id", F_ID, 1, id),
	FIELD(struct plan_trigger, "title", F_TEXT, 0, title),
	FIELD(struct plan_trigger, "for", F_DUR, 0, for_secs),
	FIELD(struct plan_trigger, "cite", F_STR, 0, cite),
	FIELDS_END
};
static const char *const trigger_more[] = { "when", "clear", "raise", "propose", NULL };
static const struct section triggers_section = {
	"triggers", "trigger", MAX_LIST, sizeof(struct plan_trigger), trigger_fields,
	trigger_more, K_TRIGGER, trigger_entry
};

void pl_load_triggers(struct loader *L, const struct ynode *root)
{
	long n;
	L->p->triggers = pl_section(L, root, &triggers_section, &n, NULL);
	L->p->ntriggers = pl_count(n);
}

/* ------------------------------------------------------------------ */
/* The level decision matrix                                           */

/* The index of value `name` in dimension d, -1 when it has none. */
static int dim_index(const struct plan_dimension *d, const char *name)
{
	size_t j;
	for (j = 0; j < d->nvalues; j++)
		if (!strcmp(d->values[j], name))
			return (int)j;
	return -1;
}

/* aliases: {regional: single_region, nationwide: national}: the words people
 * type for a value (the issue's own example says `--scope regional`). */
static void dim_aliases(struct loader *L, const struct ynode *dn, struct plan_dimension *d)
{
	struct ydoc *yd = &L->d;
	const struct ynode *m = y_opt_map(yd, dn, "aliases", N_("alias: value"));
	const char *dim = d->id ? d->id : "?";
	size_t i;
	if (!m || !m->nkid)
		return;
	d->alias_names = xcalloc(m->nkid / 2, sizeof *d->alias_names);
	d->alias_values = xcalloc(m->nkid / 2, sizeof *d->alias_values);
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(yd, m, i), *v = ydoc_kid(yd, m, i + 1);
		int found;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		if (!y_valid_id(k->s)) {
			ydoc_err(yd, k, "invalid alias '%s': use ASCII letters, digits, '_', '-' or '.'",
				 k->s);
			continue;
		}
		if (v->type != Y_SCALAR) {
			ydoc_err(yd, v, "expected a value of dimension '%s' for alias '%s', found %s",
				 dim, k->s, y_type_name(v));
			continue;
		}
		if (dim_index(d, k->s) >= 0) {
			ydoc_err(yd, k, "alias '%s' is already a value of dimension '%s'", k->s, dim);
			continue;
		}
		found = dim_index(d, v->s);
		if (found < 0) {
			ydoc_err(yd, v, "undefined value '%s' of dimension '%s'", v->s, dim);
			continue;
		}
		d->alias_names[d->naliases] = xstrdup(k->s);
		d->alias_values[d->naliases++] = found;
	}
}

/* labels: {single_node: {zh_CN: 单节点, en: one node}}: what a value is
 * called where people pick it (the console's assessment). */
static void dim_labels(struct loader *L, const struct ynode *dn, struct plan_dimension *d)
{
	struct ydoc *yd = &L->d;
	const struct ynode *m = y_opt_map(yd, dn, "labels", N_("value: text"));
	const char *dim = d->id ? d->id : "?";
	if (!m || !d->nvalues)
		return;
	d->labels = xcalloc(d->nvalues, sizeof *d->labels);
	for (size_t i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(yd, m, i), *v = ydoc_kid(yd, m, i + 1), *t = NULL;
		int found;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		found = dim_index(d, k->s);
		if (found < 0) {
			ydoc_err(yd, k, "undefined value '%s' of dimension '%s'", k->s, dim);
			continue;
		}
		if (y_text_pick(yd, v, k->s, &t) == Y_GOT && !d->labels[found])
			d->labels[found] = xstrdup(t->s);
	}
}

static void dim_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct ydoc *d = &L->d;
	struct plan_dimension *dim = e;
	const struct ynode *values = y_get(d, m, "values");
	struct yitems it;
	long nv, j;
	(void)i;
	if (!values) {
		ydoc_err(d, m, "missing key 'values' in dimension");
		return;
	}
	nv = y_items(d, values, "values", &it);
	if (nv > PLAN_MAX_DIM_VALUES) {
		ydoc_err(d, y_item(&it, PLAN_MAX_DIM_VALUES),
			 "too many values in a dimension (at most %d)", PLAN_MAX_DIM_VALUES);
		nv = PLAN_MAX_DIM_VALUES;
	} else if (nv == 0) {
		ydoc_err(d, values, "a dimension needs at least one value");
	}
	if (nv > 0)
		dim->values = xcalloc((size_t)nv, sizeof *dim->values);
	for (j = 0; j < nv; j++) {
		const struct ynode *v = y_item(&it, (size_t)j);
		if (!y_valid_id(v->s))
			ydoc_err(d, v, "invalid value '%s': use ASCII letters, digits, '_', '-' or '.'",
				 v->s);
		else if (dim_index(dim, v->s) >= 0)
			ydoc_err(d, v, "duplicate value '%s' in dimension", v->s);
		else
			dim->values[dim->nvalues++] = xstrdup(v->s);
	}
	dim_aliases(L, m, dim);
	dim_labels(L, m, dim);
}

static const struct field dim_fields[] = {
	FIELD(struct plan_dimension, "id", F_ID, 1, id),
	FIELD(struct plan_dimension, "name", F_TEXT, 0, name),
	FIELDS_END
};
static const char *const dim_more[] = { "values", "aliases", "labels", NULL };
static const struct section dims_section = {
	"dimensions", "dimension", MAX_DIMS, sizeof(struct plan_dimension), dim_fields,
	dim_more, K_DIM, dim_entry
};

/* when: {scope: national, recovery: [6h, 24h]} */
static void rule_when(struct loader *L, const struct ynode *w, struct plan_matrix_rule *r)
{
	struct ydoc *d = &L->d;
	const struct plan_matrix *mx = &L->p->matrix;
	size_t j;
	for (j = 0; j + 1 < w->nkid; j += 2) {
		const struct ynode *k = ydoc_kid(d, w, j);
		const struct plan_dimension *dim;
		struct yitems it;
		long nv, v;
		int di;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		di = pl_resolve(L, k, K_DIM, k->s);
		if (di < 0)
			continue;
		dim = &mx->dims[di];
		nv = y_items(d, ydoc_kid(d, w, j + 1), k->s, &it);
		for (v = 0; v < nv; v++) {
			const struct ynode *val = y_item(&it, (size_t)v);
			int x = dim_index(dim, val->s);
			const char *s;
			if (x >= 0) {
				r->allowed[di] |= 1u << x;
				continue;
			}
			s = y_suggest(val->s, (const char *const *)dim->values, dim->nvalues);
			if (s)
				ydoc_err(d, val, "undefined value '%s' of dimension '%s' (did you mean '%s'?)",
					 val->s, dim->id, s);
			else
				ydoc_err(d, val, "undefined value '%s' of dimension '%s'", val->s,
					 dim->id);
		}
	}
}

static void rule_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct plan_matrix_rule *r = e;
	const struct ynode *w = y_get(&L->d, m, "when");
	(void)i;
	r->level = -1;
	if (pl_ref(L, m, "level", "matrix rule", K_LEVEL, 1, &r->level) != Y_GOT)
		r->level = -1;
	if (!w || y_is_null(w) || w->type == Y_BAD)
		return; /* no `when`: matches everything */
	if (w->type != Y_MAP) {
		ydoc_err(&L->d, w, "expected a mapping of dimension: value(s) for 'when', found %s",
			 y_type_name(w));
		return;
	}
	rule_when(L, w, r);
}

static const struct field rule_fields[] = {
	FIELD(struct plan_matrix_rule, "why", F_TEXT, 0, why),
	FIELDS_END
};
static const char *const rule_more[] = { "when", "level", NULL };
static const struct section rules_section = {
	"rules", "matrix rule", MAX_LIST, sizeof(struct plan_matrix_rule), rule_fields,
	rule_more, K_NONE, rule_entry
};

void pl_load_matrix(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = { "dimensions", "rules", "default", NULL };
	struct ydoc *d = &L->d;
	struct plan_matrix *mx = &L->p->matrix;
	const struct ynode *m = y_get(d, root, "matrix"), *dims, *dv;
	struct plan_dimension *ds;
	const char *s;
	long n;
	mx->default_level = -1;
	if (!m || y_is_null(m) || m->type == Y_BAD)
		return;
	if (m->type != Y_MAP) {
		ydoc_err(d, m, "expected a mapping for 'matrix', found %s", y_type_name(m));
		return;
	}
	y_check_keys(d, m, "matrix", keys);
	dims = y_get(d, m, "dimensions");
	ds = pl_section(L, m, &dims_section, &n, NULL);
	if (n == 0 && dims && dims->type != Y_BAD)
		ydoc_err(d, dims, "a matrix needs at least one dimension");
	else if (n == 0 && !dims)
		ydoc_err(d, m, "missing key 'dimensions' in matrix");
	if (n <= 0)
		return;
	memcpy(mx->dims, ds, (size_t)n * sizeof *ds);
	mx->ndims = (size_t)n;
	free(ds);
	mx->rules = pl_section(L, m, &rules_section, &n, NULL);
	mx->nrules = n > 0 ? (size_t)n : 0;
	if (n == 0 && !y_get(d, m, "rules"))
		ydoc_err(d, m, "missing key 'rules' in matrix");
	dv = y_get(d, m, "default");
	if (dv && y_scalar(d, dv, "default", &s) == Y_GOT && strcmp(s, "none") != 0)
		mx->default_level = pl_resolve(L, dv, K_LEVEL, s);
}

void pl_load_crit_list(struct loader *L, const struct ynode *root, const char *key,
			   int **out, size_t *n)
{
	struct yitems it;
	long c = y_items(&L->d, y_get(&L->d, root, key), key, &it), i;
	if (c <= 0)
		return;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++) {
		const struct ynode *item = y_item(&it, (size_t)i);
		int k = pl_resolve(L, item, K_CRITERION, item->s);
		size_t j;
		if (k < 0)
			continue;
		for (j = 0; j < *n && (*out)[j] != k; j++)
			;
		if (j < *n)
			ydoc_err(&L->d, item, "criterion '%s' is listed twice in '%s'", item->s, key);
		else
			(*out)[(*n)++] = k;
	}
}


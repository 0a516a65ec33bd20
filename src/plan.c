/* plan: the small things about a loaded plan: lookups by id and by index,
 * conditions, matrix values, finding plan files, freeing. Loading is in
 * plan_load.c (over the tree of plan_yaml.c), plan show in plan_describe.c. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sitrep/i18n.h"
#include "sitrep/plan.h"

/* docs/plan-format.md ("Template fields") says what each is filled with. */
const char *const plan_template_fields[] = {
	"incident", "title", "plan", "level", "level_name", "warning", "warning_name",
	"scope", "expected", "measures", "readings", "commander", "tplus", "opened", "now",
	"changes", "responders", "notice", NULL
};

static const char *const cmp_names[] = { ">", ">=", "<", "<=", "==", "!=" };

const char *plan_cmp_name(enum plan_cmp op)
{
	if ((int)op < 0 || (size_t)op >= sizeof cmp_names / sizeof *cmp_names)
		return "?";
	return cmp_names[op];
}

int plan_cond_holds(const struct plan_cond *c, double v)
{
	switch (c->op) {
	case CMP_GT: return v > c->value;
	case CMP_GE: return v >= c->value;
	case CMP_LT: return v < c->value;
	case CMP_LE: return v <= c->value;
	case CMP_EQ: return v == c->value;
	case CMP_NE: return v != c->value;
	}
	return 0;
}

/* plan_X_index and plan_X_id for each section with ids. */
#define BY_ID(index_fn, id_fn, arr, n)                                   \
	int index_fn(const struct plan *p, const char *id)               \
	{                                                                \
		size_t i;                                                \
		if (!p || !id)                                           \
			return -1;                                       \
		for (i = 0; i < p->n; i++)  /* first byte, then all */ \
			if (p->arr[i].id && p->arr[i].id[0] == id[0] &&  \
			    !strcmp(p->arr[i].id, id))                   \
				return (int)i;                           \
		return -1;                                               \
	}                                                                \
	const char *id_fn(const struct plan *p, int i)                   \
	{                                                                \
		return p && i >= 0 && (size_t)i < p->n ? p->arr[i].id : NULL; \
	}
BY_ID(plan_metric_index, plan_metric_id, metrics, nmetrics)
BY_ID(plan_level_index, plan_level_id, levels, nlevels)
BY_ID(plan_warning_index, plan_warning_id, warnings, nwarnings)
BY_ID(plan_role_index, plan_role_id, roles, nroles)
BY_ID(plan_criterion_index, plan_criterion_id, criteria, ncriteria)
BY_ID(plan_obligation_index, plan_obligation_id, obligations, nobligations)
BY_ID(plan_resource_index, plan_resource_id, resources, nresources)
BY_ID(plan_notice_index, plan_notice_id, notices, nnotices)
#undef BY_ID

const char *plan_trigger_id(const struct plan *p, int i)
{
	return p && i >= 0 && (size_t)i < p->ntriggers ? p->triggers[i].id : NULL;
}

int plan_dim_value(const struct plan *p, size_t dim, const char *name)
{
	const struct plan_dimension *d;
	int64_t want, best_secs = 0;
	size_t i;
	int best = -1;
	if (!p || dim >= p->matrix.ndims || !name)
		return -1;
	d = &p->matrix.dims[dim];
	for (i = 0; i < d->nvalues; i++)
		if (!strcmp(d->values[i], name))
			return (int)i;
	for (i = 0; i < d->naliases; i++)
		if (!strcmp(d->alias_names[i], name))
			return d->alias_values[i];
	if (d->nvalues == 0 || dur_parse(name, &want) != 0)
		return -1;
	/* every value a duration: the smallest bucket that holds `want` */
	for (i = 0; i < d->nvalues; i++) {
		int64_t secs;
		if (dur_parse(d->values[i], &secs) != 0)
			return -1;
		if (secs >= want && (best < 0 || secs < best_secs)) {
			best = (int)i;
			best_secs = secs;
		}
	}
	if (best < 0) { /* longer than every bucket: the longest */
		for (i = 0; i < d->nvalues; i++) {
			int64_t secs = 0;
			(void)dur_parse(d->values[i], &secs);
			if (best < 0 || secs > best_secs) {
				best = (int)i;
				best_secs = secs;
			}
		}
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

static void strv_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_matrix(struct plan_matrix *mx)
{
	size_t i;
	for (i = 0; i < mx->ndims; i++) {
		free(mx->dims[i].id);
		free(mx->dims[i].name);
		strv_free(mx->dims[i].values, mx->dims[i].nvalues);
		strv_free(mx->dims[i].alias_names, mx->dims[i].naliases);
		if (mx->dims[i].labels)
			strv_free(mx->dims[i].labels, mx->dims[i].nvalues);
		free(mx->dims[i].alias_values);
	}
	for (i = 0; i < mx->nrules; i++)
		free(mx->rules[i].why);
	free(mx->rules);
}

/* What the rules read: metrics to obligations. */
static void free_rules(struct plan *p)
{
	size_t i;
	for (i = 0; i < p->nmetrics; i++) {
		free(p->metrics[i].id);
		free(p->metrics[i].name);
		free(p->metrics[i].unit);
		free(p->metrics[i].normal_text);
	}
	free(p->metrics);
	for (i = 0; i < p->nlevels; i++) {
		struct plan_level *l = &p->levels[i];
		free(l->id);
		free(l->name);
		free(l->colour);
		strv_free(l->conditions, l->nconditions);
		free(l->activated_by);
		free(l->description);
	}
	free(p->levels);
	for (i = 0; i < p->nwarnings; i++) {
		free(p->warnings[i].id);
		free(p->warnings[i].name);
		strv_free(p->warnings[i].notify, p->warnings[i].nnotify);
	}
	free(p->warnings);
	for (i = 0; i < p->ntriggers; i++) {
		free(p->triggers[i].id);
		free(p->triggers[i].title);
		free(p->triggers[i].cite);
	}
	free(p->triggers);
	free_matrix(&p->matrix);
	for (i = 0; i < p->ncriteria; i++) {
		free(p->criteria[i].id);
		free(p->criteria[i].title);
		free(p->criteria[i].conds);
		free(p->criteria[i].cite);
	}
	free(p->criteria);
	free(p->lift);
	free(p->termination);
	for (i = 0; i < p->nobligations; i++) {
		struct plan_obligation *o = &p->obligations[i];
		free(o->id);
		free(o->title);
		free(o->during);
		free(o->met_by);
		free(o->cite);
	}
	free(p->obligations);
}

/* Who: roles, the roster, notices. */
static void free_people(struct plan *p)
{
	size_t i;
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].id);
		free(p->roles[i].name);
		free(p->roles[i].description);
	}
	free(p->roles);
	for (i = 0; i < p->nroster; i++) {
		free(p->roster[i].user);
		free(p->roster[i].roles);
	}
	free(p->roster);
	strv_free(p->audience_ids, p->naudiences);
	strv_free(p->audience_names, p->naudiences);
	for (i = 0; i < p->nnotices; i++) {
		struct plan_notice *n = &p->notices[i];
		free(n->id);
		free(n->title);
		strv_free(n->to, n->nto);
		free(n->template_text);
		free(n->subject);
		free(n->channel);
		free(n->cite);
	}
	free(p->notices);
}

static void free_ledgers(struct plan *p)
{
	size_t i;
	for (i = 0; i < p->ngroups; i++) {
		struct plan_group *g = &p->groups[i];
		free(g->id);
		free(g->name);
		free(g->lead);
		strv_free(g->members, g->nmembers);
		free(g->duties);
	}
	free(p->groups);
	for (i = 0; i < p->nresources; i++) {
		struct plan_resource *r = &p->resources[i];
		free(r->id);
		free(r->item);
		free(r->location);
		free(r->owner);
		free(r->renewal);
	}
	free(p->resources);
	for (i = 0; i < p->nchannels; i++) {
		struct plan_channel *c = &p->channels[i];
		free(c->id);
		free(c->name);
		free(c->audience);
		free(c->owner);
	}
	free(p->channels);
	for (i = 0; i < p->nroutines; i++) {
		struct plan_routine *u = &p->routines[i];
		free(u->id);
		free(u->title);
		free(u->owner);
		free(u->records);
	}
	free(p->routines);
}

void plan_free(struct plan *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->id);
	free(p->title);
	free(p->original_title);
	free(p->source);
	free(p->description);
	free(p->yaml);
	free(p->lang);
	free_rules(p);
	free_people(p);
	free_ledgers(p);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Plan files                                                          */

static int has_yaml_ext(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

/* contacts.example.yaml, channels.example.yaml: not plans */
static int is_example(const char *name)
{
	size_t n = strlen(name);
	return n > 13 && !strcmp(name + n - 13, ".example.yaml");
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t plan_list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	*out = NULL;
	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct strbuf sb = STRBUF_INIT;
		struct stat st;
		if (de->d_name[0] == '.' || !has_yaml_ext(de->d_name) || is_example(de->d_name))
			continue;
		sb_init(&sb);
		sb_addf(&sb, "%s/%s", dir, de->d_name);
		if (stat(sb.buf, &st) || !S_ISREG(st.st_mode)) {
			sb_release(&sb);
			continue;
		}
		v = xgrow(v, sizeof *v, n + 1, &alloc);
		v[n++] = sb_detach(&sb);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof *v, str_cmp);
	*out = v;
	return n;
}

struct plan *plan_find(const char *dir, const char *name, const char *lang,
		       struct error_list *errs)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	char **files;
	size_t n, i;
	struct plan *found = NULL;
	if (!name || !*name) {
		errlist_add(errs, SITREP_EXIT_PLAN, NULL, 0, 0, _("no plan name given"));
		return NULL;
	}
	/* a path names the file itself */
	if (strchr(name, '/') || has_yaml_ext(name))
		return plan_load_file(name, lang, errs);
	sb_init(&sb);
	sb_addf(&sb, "%s/%s.yaml", dir, name);
	if (!stat(sb.buf, &st)) {
		found = plan_load_file(sb.buf, lang, errs);
		sb_release(&sb);
		return found;
	}
	sb_release(&sb);
	n = plan_list_dir(dir, &files);
	for (i = 0; i < n; i++) {
		struct error_list quiet;
		struct plan *p;
		errlist_init(&quiet);
		if (!found) {
			p = plan_load_file(files[i], lang, &quiet);
			if (p && p->id && !strcmp(p->id, name))
				found = p;
			else
				plan_free(p);
		}
		errlist_release(&quiet);
		free(files[i]);
	}
	free(files);
	if (!found)
		errlist_add(errs, SITREP_EXIT_PLAN, NULL, 0, 0, _("no plan '%s' in '%s'"), name, dir);
	return found;
}

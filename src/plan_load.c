/* plan_load: the tree (plan_yaml.c) -> struct plan.
 *
 * The sections are read in dependency order (roles and metrics before what
 * names them), collecting every error; ydoc_flush hands them back sorted by
 * position. Most sections are lists of mappings of the same shape: a table
 * of fields (struct field) says how each key is read into the struct, and
 * pl_section does the rest (unknown keys, ids and their duplicates); a
 * section's own callback reads what does not fit a table (references,
 * conditions, timing). This file holds that machinery and the simple
 * sections; plan_rules.c and plan_deadlines.c the rest. The format:
 * docs/plan-format.md. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sitrep/names.h"
#include "sitrep/plan.h"
#include "plan_int.h"

#define PLAN_FORMAT_VERSION 1
#define MAX_LIST 1000        /* entries in any one section */
#define MAX_KEYS 24          /* keys of one kind of entry */

static const char *const kind_names[K__COUNT] = {
	"metric", "level", "warning", "role", "criterion", "obligation", "trigger",
	"dimension", "resource", "notice", "group", "channel", "routine"
};

/* ------------------------------------------------------------------ */
/* Sections                                                            */

static void load_field(struct loader *L, const struct ynode *m, const char *what,
		       const struct field *f, char *e)
{
	struct ydoc *d = &L->d;
	void *at = e + f->off;
	int64_t *num = at;
	switch (f->type) {
	case F_ID:
		y_id(d, m, f->key, what, f->required, at);
		break;
	case F_STR:
		y_str(d, m, f->key, what, f->required, at);
		break;
	case F_TEXT:
		y_text(d, m, f->key, what, f->required, at);
		break;
	case F_TEXTS:
		y_texts(d, m, f->key, at, (size_t *)(void *)(e + f->noff));
		break;
	case F_DUR:
	case F_EVERY:
		if (y_dur(d, m, f->key, what, f->required, num) == Y_GOT && f->type == F_EVERY &&
		    *num <= 0)
			ydoc_err(d, y_get(d, m, f->key), "'%s' must be longer than 0", f->key);
		break;
	case F_COUNT:
		if (y_int(d, m, f->key, what, f->required, num) == Y_GOT && *num < 0)
			ydoc_err(d, y_get(d, m, f->key), "negative %s %lld", f->key, (long long)*num);
		break;
	}
}

static void check_entry_keys(struct loader *L, const struct ynode *m, const struct section *s)
{
	const char *keys[MAX_KEYS + 1];
	size_t n = 0, i;
	for (i = 0; s->fields[i].key && n < MAX_KEYS; i++)
		keys[n++] = s->fields[i].key;
	for (i = 0; s->more && s->more[i] && n < MAX_KEYS; i++)
		keys[n++] = s->more[i];
	keys[n] = NULL;
	y_check_keys(&L->d, m, s->what, keys);
}

/* Register the ids of one kind (borrowed), reporting duplicates. */
static void ids_set(struct loader *L, enum idkind k, const char **ids, size_t n,
		    const struct ynode *const *where)
{
	size_t i, j;
	free((void *)L->ids[k]);
	L->ids[k] = ids;
	L->nids[k] = n;
	for (i = 0; i < n; i++) {
		if (!ids[i])
			continue;
		for (j = 0; j < i; j++) {
			if (ids[j] && !strcmp(ids[i], ids[j])) {
				ydoc_err(&L->d, y_get(&L->d, where[i], "id"),
					 "duplicate %s id '%s' (first at line %d)", kind_names[k],
					 ids[i], y_get(&L->d, where[j], "id")->line);
				break;
			}
		}
	}
}

void *pl_section(struct loader *L, const struct ynode *m, const struct section *s,
			  long *n, const struct ynode ***nodes)
{
	const struct ynode **it;
	char *arr;
	long c = y_section(&L->d, m, s->key, s->what, s->max, &it), i;
	*n = c;
	if (nodes)
		*nodes = NULL;
	if (c <= 0)
		return NULL;
	arr = xcalloc((size_t)c, s->size);
	for (i = 0; i < c; i++) {
		const struct field *f;
		check_entry_keys(L, it[i], s);
		for (f = s->fields; f->key; f++)
			load_field(L, it[i], s->what, f, arr + (size_t)i * s->size);
	}
	if (s->kind != K_NONE) {
		const char **ids = xcalloc((size_t)c, sizeof *ids);
		for (i = 0; i < c; i++)
			memcpy(&ids[i], arr + (size_t)i * s->size + s->fields[0].off, sizeof *ids);
		ids_set(L, s->kind, ids, (size_t)c, it);
	}
	for (i = 0; s->entry && i < c; i++)
		s->entry(L, it[i], arr + (size_t)i * s->size, (size_t)i);
	if (nodes)
		*nodes = it;
	else
		free(it);
	return arr;
}

/* ------------------------------------------------------------------ */
/* References                                                          */

int pl_resolve(struct loader *L, const struct ynode *at, enum idkind k, const char *name)
{
	size_t i;
	const char *s;
	for (i = 0; i < L->nids[k]; i++)
		if (L->ids[k][i] && !strcmp(L->ids[k][i], name))
			return (int)i;
	s = y_suggest(name, L->ids[k], L->nids[k]);
	if (s)
		ydoc_err(&L->d, at, "undefined %s '%s' (did you mean '%s'?)", kind_names[k], name, s);
	else
		ydoc_err(&L->d, at, "undefined %s '%s'", kind_names[k], name);
	return -1;
}

int pl_ref(struct loader *L, const struct ynode *m, const char *key, const char *what,
		   enum idkind k, int required, int *out)
{
	const struct ynode *v = y_get(&L->d, m, key);
	const char *s;
	int r;
	if (!v)
		return y_missing(&L->d, m, key, what, required);
	r = y_scalar(&L->d, v, key, &s);
	if (r == Y_NONE)
		return y_missing(&L->d, m, key, what, required);
	if (r != Y_GOT)
		return r;
	*out = pl_resolve(L, v, k, s);
	return *out < 0 ? Y_ERR : Y_GOT;
}

void pl_refs(struct loader *L, const struct ynode *v, const char *key, enum idkind k,
		     int **out, size_t *n)
{
	struct yitems it;
	long c = y_items(&L->d, v, key, &it), i;
	if (c <= 0)
		return;
	*out = xcalloc((size_t)c, sizeof **out);
	for (i = 0; i < c; i++) {
		int r = pl_resolve(L, y_item(&it, (size_t)i), k, y_item(&it, (size_t)i)->s);
		if (r >= 0)
			(*out)[(*n)++] = r;
	}
}

/* ------------------------------------------------------------------ */
/* Top, roles, levels, warnings                                        */

static const char *const top_keys[] = {
	"sitrep_plan", "id", "title", "original_title", "source", "description",
	"metrics", "levels", "warnings", "triggers", "matrix", "criteria", "lift",
	"termination", "obligations", "notices", "roles", "roster", "groups", "resources",
	"channels", "routines", "audiences", NULL
};

static void load_top(struct loader *L, const struct ynode *root)
{
	struct plan *p = L->p;
	int64_t ver;
	const char *what = "the plan";
	y_check_keys(&L->d, root, what, top_keys);
	if (y_int(&L->d, root, "sitrep_plan", what, 1, &ver) == Y_GOT) {
		if (ver != PLAN_FORMAT_VERSION)
			ydoc_err(&L->d, y_get(&L->d, root, "sitrep_plan"),
				 "unsupported plan format %lld (this sitrep reads format %d)",
				 (long long)ver, PLAN_FORMAT_VERSION);
		p->version = (int)ver;
	}
	y_id(&L->d, root, "id", what, 1, &p->id);
	y_text(&L->d, root, "title", what, 1, &p->title);
	y_str(&L->d, root, "original_title", what, 0, &p->original_title);
	y_str(&L->d, root, "source", what, 0, &p->source);
	y_text(&L->d, root, "description", what, 0, &p->description);
}

static void role_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct plan_role *r = e;
	const char *names[ACT__COUNT + 1];
	const struct ynode *v = y_get(&L->d, m, "actions");
	struct yitems it;
	long n, j;
	(void)i;
	if (!v) {
		ydoc_err(&L->d, m, "missing key 'actions' in role");
		return;
	}
	for (j = 0; j < ACT__COUNT; j++)
		names[j] = action_info[j].name;
	names[ACT__COUNT] = "all";
	n = y_items(&L->d, v, "actions", &it);
	for (j = 0; j < n; j++) {
		const struct ynode *a = y_item(&it, (size_t)j);
		int act = action_lookup(a->s);
		const char *s;
		if (!strcmp(a->s, "all")) {
			r->actions = (1u << ACT__COUNT) - 1;
		} else if (act >= 0) {
			r->actions |= 1u << act;
		} else if ((s = y_suggest(a->s, names, ACT__COUNT + 1)) != NULL) {
			ydoc_err(&L->d, a, "unknown action '%s' (did you mean '%s'?)", a->s, s);
		} else {
			ydoc_err(&L->d, a, "unknown action '%s'", a->s);
		}
	}
}

static const struct field role_fields[] = {
	FIELD(struct plan_role, "id", F_ID, 1, id),
	FIELD(struct plan_role, "name", F_TEXT, 0, name),
	FIELD(struct plan_role, "description", F_TEXT, 0, description),
	FIELDS_END
};
static const char *const role_more[] = { "actions", NULL };
static const struct section roles_section = {
	"roles", "role", PLAN_MAX_ROLES, sizeof(struct plan_role), role_fields, role_more,
	K_ROLE, role_entry
};

static void level_entry(struct loader *L, const struct ynode *m, void *e, size_t i)
{
	struct plan_level *l = e;
	(void)i;
	pl_refs(L, y_get(&L->d, m, "activated_by"), "activated_by", K_ROLE, &l->activated_by,
		 &l->nactivated_by);
}

static const struct field level_fields[] = {
	FIELD(struct plan_level, "id", F_ID, 1, id),
	FIELD(struct plan_level, "name", F_TEXT, 0, name),
	FIELD(struct plan_level, "colour", F_STR, 0, colour),
	TEXTS(struct plan_level, "conditions", conditions, nconditions),
	FIELD(struct plan_level, "description", F_TEXT, 0, description),
	FIELDS_END
};
static const char *const level_more[] = { "activated_by", NULL };
static const struct section levels_section = {
	"levels", "level", PLAN_MAX_LEVELS, sizeof(struct plan_level), level_fields, level_more,
	K_LEVEL, level_entry
};

static const struct field warning_fields[] = {
	FIELD(struct plan_warning, "id", F_ID, 1, id),
	FIELD(struct plan_warning, "name", F_TEXT, 0, name),
	TEXTS(struct plan_warning, "notify", notify, nnotify),
	FIELD(struct plan_warning, "max_duration", F_DUR, 0, max_duration),
	FIELDS_END
};
static const struct section warnings_section = {
	"warnings", "warning", PLAN_MAX_WARNINGS, sizeof(struct plan_warning), warning_fields,
	NULL, K_WARNING, NULL
};

/* A section the plan cannot do without: "a plan needs at least one ..." */
static void need_one(struct loader *L, const struct ynode *root, const char *key,
		     const char *what, long n)
{
	const struct ynode *v = y_get(&L->d, root, key);
	if (n == 0 && !(v && v->type == Y_BAD))
		ydoc_err(&L->d, v ? v : root, "a plan needs at least one %s in '%s'", what, key);
}

/* ------------------------------------------------------------------ */
/* Roster and ledgers                                                  */

static void load_roster(struct loader *L, const struct ynode *root)
{
	struct ydoc *d = &L->d;
	struct plan *p = L->p;
	const struct ynode *m = y_opt_map(d, root, "roster", N_("user: role(s)"));
	size_t i;
	if (!m || !m->nkid)
		return;
	p->roster = xcalloc(m->nkid / 2, sizeof *p->roster);
	for (i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, m, i), *v = ydoc_kid(d, m, i + 1);
		struct plan_roster_entry *e;
		struct yitems it;
		long nr;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		if (!k->s[0] || k->s[strcspn(k->s, " \t\n\r\f\v:/")]) {
			ydoc_err(d, k, "invalid user name '%s'", k->s);
			continue;
		}
		nr = y_items(d, v, k->s, &it);
		if (nr == 0)
			ydoc_err(d, v, "user '%s' has no roles", k->s);
		if (nr <= 0)
			continue;
		e = &p->roster[p->nroster++];
		e->user = xstrdup(k->s);
		pl_refs(L, v, k->s, K_ROLE, &e->roles, &e->nroles);
	}
}

/* audiences: {superiors: {zh_CN: 上级主管部门, en: superiors}}: the names
 * of the contact groups notices send to, for people to read (a site's
 * contacts file says who is in them, not what they are called). */
static void load_audiences(struct loader *L, const struct ynode *root)
{
	struct ydoc *d = &L->d;
	struct plan *p = L->p;
	const struct ynode *m = y_opt_map(d, root, "audiences", N_("group: text"));
	if (!m || !m->nkid)
		return;
	p->audience_ids = xcalloc(m->nkid / 2, sizeof *p->audience_ids);
	p->audience_names = xcalloc(m->nkid / 2, sizeof *p->audience_names);
	for (size_t i = 0; i + 1 < m->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, m, i), *v = ydoc_kid(d, m, i + 1), *t = NULL;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		if (!y_valid_id(k->s)) {
			ydoc_err(d, k, "invalid audience id '%s'", k->s);
			continue;
		}
		if (y_text_pick(d, v, k->s, &t) != Y_GOT)
			continue;
		p->audience_ids[p->naudiences] = xstrdup(k->s);
		p->audience_names[p->naudiences++] = xstrdup(t->s);
	}
}

static const struct field group_fields[] = {
	FIELD(struct plan_group, "id", F_ID, 1, id),
	FIELD(struct plan_group, "name", F_TEXT, 0, name),
	FIELD(struct plan_group, "lead", F_TEXT, 0, lead),
	TEXTS(struct plan_group, "members", members, nmembers),
	FIELD(struct plan_group, "duties", F_TEXT, 0, duties),
	FIELDS_END
};
static const struct field resource_fields[] = {
	FIELD(struct plan_resource, "id", F_ID, 1, id),
	FIELD(struct plan_resource, "item", F_TEXT, 1, item),
	FIELD(struct plan_resource, "count", F_COUNT, 0, count),
	FIELD(struct plan_resource, "location", F_TEXT, 0, location),
	FIELD(struct plan_resource, "owner", F_TEXT, 0, owner),
	FIELD(struct plan_resource, "renewal", F_TEXT, 0, renewal),
	FIELDS_END
};
static const struct field channel_fields[] = {
	FIELD(struct plan_channel, "id", F_ID, 1, id),
	FIELD(struct plan_channel, "name", F_TEXT, 0, name),
	FIELD(struct plan_channel, "audience", F_TEXT, 0, audience),
	FIELD(struct plan_channel, "every", F_DUR, 0, every),
	FIELD(struct plan_channel, "owner", F_TEXT, 0, owner),
	FIELDS_END
};
static const struct field routine_fields[] = {
	FIELD(struct plan_routine, "id", F_ID, 1, id),
	FIELD(struct plan_routine, "title", F_TEXT, 1, title),
	FIELD(struct plan_routine, "every", F_EVERY, 1, every),
	FIELD(struct plan_routine, "owner", F_TEXT, 0, owner),
	FIELD(struct plan_routine, "records", F_TEXT, 0, records),
	FIELDS_END
};
static const struct section ledger_sections[] = {
	{ "groups", "group", MAX_LIST, sizeof(struct plan_group), group_fields, NULL,
	  K_GROUP, NULL },
	{ "resources", "resource", MAX_LIST, sizeof(struct plan_resource), resource_fields,
	  NULL, K_RESOURCE, NULL },
	{ "channels", "channel", MAX_LIST, sizeof(struct plan_channel), channel_fields, NULL,
	  K_CHANNEL, NULL },
	{ "routines", "routine", MAX_LIST, sizeof(struct plan_routine), routine_fields, NULL,
	  K_ROUTINE, NULL },
};

size_t pl_count(long n)
{
	return n > 0 ? (size_t)n : 0;
}

static void load_ledgers(struct loader *L, const struct ynode *root)
{
	struct plan *p = L->p;
	long n;
	p->groups = pl_section(L, root, &ledger_sections[0], &n, NULL);
	p->ngroups = pl_count(n);
	p->resources = pl_section(L, root, &ledger_sections[1], &n, NULL);
	p->nresources = pl_count(n);
	p->channels = pl_section(L, root, &ledger_sections[2], &n, NULL);
	p->nchannels = pl_count(n);
	p->routines = pl_section(L, root, &ledger_sections[3], &n, NULL);
	p->nroutines = pl_count(n);
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

/* The sections in dependency order: what is named before what names it. */
static void load_plan(struct loader *L, const struct ynode *r)
{
	struct plan *p = L->p;
	long n;
	load_top(L, r);
	p->roles = pl_section(L, r, &roles_section, &n, NULL);
	p->nroles = pl_count(n);
	need_one(L, r, "roles", "role", n);
	pl_load_metrics(L, r);
	p->levels = pl_section(L, r, &levels_section, &n, NULL);
	p->nlevels = pl_count(n);
	need_one(L, r, "levels", "level", n);
	p->warnings = pl_section(L, r, &warnings_section, &n, NULL);
	p->nwarnings = pl_count(n);
	load_ledgers(L, r);
	pl_load_criteria(L, r);
	pl_load_triggers(L, r);
	pl_load_matrix(L, r);
	pl_load_crit_list(L, r, "lift", &p->lift, &p->nlift);
	pl_load_crit_list(L, r, "termination", &p->termination, &p->ntermination);
	pl_load_deadlines(L, r);
	load_roster(L, r);
	load_audiences(L, r);
}

#define FROZEN_MAGIC "sitrep-plan-1\n"

/* The tree in L.d (parsed or thawed) made into a plan; NULL with errors. */
static struct plan *load_tree(struct loader *L, struct plan *p, int parsed_ok,
			      struct error_list *errs)
{
	int k;
	if (parsed_ok) {
		const struct ynode *r = ydoc_root(&L->d);
		if (!r || y_is_null(r))
			ydoc_err_at(&L->d, 1, 1, "empty plan (expected a mapping with 'sitrep_plan', "
				    "'id', 'title', 'levels' and 'roles')");
		else if (r->type == Y_MAP)
			load_plan(L, r);
		else if (r->type != Y_BAD)
			ydoc_err(&L->d, r, "expected a mapping at the top of the plan, found %s",
				 y_type_name(r));
	}
	for (k = 0; k < K__COUNT; k++)
		free((void *)L->ids[k]);
	if (ydoc_failed(&L->d)) {
		ydoc_flush(&L->d, errs);
		ydoc_release(&L->d);
		plan_free(p);
		return NULL;
	}
	p->path = xstrdup(L->d.path);
	p->lang = xstrdup(L->d.lang);
	p->yaml = xmalloc(L->d.len + 1);
	memcpy(p->yaml, L->d.buf, L->d.len);
	p->yaml[L->d.len] = '\0';
	p->yaml_len = L->d.len;
	return p;
}

struct plan *plan_load_buffer_frozen(const char *path, const char *yaml, size_t len,
				     const char *lang, struct error_list *errs,
				     struct strbuf *frozen)
{
	struct loader L;
	struct plan *p = xcalloc(1, sizeof *p);
	int ok;
	memset(&L, 0, sizeof L);
	ydoc_init(&L.d, path ? path : "<plan>", "plan", "plan file", lang);
	L.p = p;
	ok = ydoc_parse(&L.d, yaml, yaml ? len : 0) == 0;
	if (!load_tree(&L, p, ok, errs))
		return NULL;
	sha256_hex(p->yaml, p->yaml_len, p->hash);
	if (frozen) {
		unsigned char n[8];
		for (int i = 0; i < 8; i++)
			n[i] = (unsigned char)((uint64_t)p->yaml_len >> (8 * i));
		sb_add(frozen, FROZEN_MAGIC, sizeof FROZEN_MAGIC - 1);
		sb_add(frozen, p->hash, 64);
		sb_add(frozen, n, 8);
		sb_add(frozen, p->yaml, p->yaml_len);
		ydoc_freeze(&L.d, frozen);
	}
	ydoc_release(&L.d);
	return p;
}

struct plan *plan_load_buffer(const char *path, const char *yaml, size_t len,
			      const char *lang, struct error_list *errs)
{
	return plan_load_buffer_frozen(path, yaml, len, lang, errs, NULL);
}

struct plan *plan_load_frozen(const char *path, const void *blob, size_t len, const char *hash,
			      const char *lang, struct error_list *errs)
{
	(void)errs; /* a blob that does not load is not an error: the text decides */
	const unsigned char *b = blob;
	const size_t head = sizeof FROZEN_MAGIC - 1;
	struct loader L;
	struct plan *p;
	uint64_t ylen = 0;

	if (len < head + 64 + 8 || memcmp(b, FROZEN_MAGIC, head) != 0 ||
	    (hash && memcmp(b + head, hash, 64) != 0))
		return NULL;
	for (int i = 0; i < 8; i++)
		ylen |= (uint64_t)b[head + 64 + i] << (8 * i);
	if (ylen > len - head - 64 - 8 || ylen > PLAN_MAX_FILE)
		return NULL;
	p = xcalloc(1, sizeof *p);
	memset(&L, 0, sizeof L);
	ydoc_init(&L.d, path ? path : "<plan>", "plan", "plan file", lang);
	L.p = p;
	L.d.buf = (const char *)b + head + 64 + 8;
	L.d.len = (size_t)ylen;
	if (ydoc_thaw(&L.d, L.d.buf + ylen, len - head - 64 - 8 - (size_t)ylen) != 0) {
		plan_free(p);
		return NULL;
	}
	{
		/* a tree that loaded once and not now (another build's rules): the
		 * caller parses the text and reports what that finds */
		struct error_list scratch;
		errlist_init(&scratch);
		p = load_tree(&L, p, 1, &scratch);
		errlist_release(&scratch);
		if (!p)
			return NULL;
	}
	memcpy(p->hash, b + head, 64);
	p->hash[64] = '\0';
	ydoc_release(&L.d);
	return p;
}

struct plan *plan_load_file(const char *path, const char *lang, struct error_list *errs)
{
	struct strbuf sb = STRBUF_INIT;
	struct plan *p = NULL;
	sb_init(&sb);
	if (ydoc_read_file(path, "plan", &sb, errs) == 0)
		p = plan_load_buffer(path, sb.buf, sb.len, lang, errs);
	sb_release(&sb);
	return p;
}

/* site: the contacts and channels files (see site.h), read with the plan
 * loader's tree (plan_int.h): the same limits, the same refusal of what is
 * not UTF-8, the same messages ("unknown key ... (did you mean ...?)"),
 * every error at file:line:col, all of them collected. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sitrep/site.h"
#include "plan_int.h"

#define CONTACTS_FORMAT_VERSION 1
#define CHECK_EVERY (90 * 86400)     /* 000 §8.1: contacts checked quarterly */
#define MAX_CONTACTS 10000
#define CHANNEL_TIMEOUT 30           /* seconds */
#define CHANNEL_TIMEOUT_MAX 3600

/* ------------------------------------------------------------------ */
/* Where the files are                                                 */

/* $ENV when set; else $XDG_CONFIG_HOME/sitrep/NAME (~/.config when unset
 * or not absolute, as the XDG spec says) when it exists; else
 * /etc/sitrep/NAME when it exists; else NULL. */
static char *config_path(const char *env, const char *name)
{
	const char *e = getenv(env), *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	if (e && *e)
		return xstrdup(e);
	sb_init(&sb);
	if (xdg && xdg[0] == '/')
		sb_addf(&sb, "%s/sitrep/%s", xdg, name);
	else if (home && *home)
		sb_addf(&sb, "%s/.config/sitrep/%s", home, name);
	if (sb.len && stat(sb.buf, &st) == 0)
		return sb_detach(&sb);
	sb_reset(&sb);
	sb_addf(&sb, "/etc/sitrep/%s", name);
	if (stat(sb.buf, &st) == 0)
		return sb_detach(&sb);
	sb_release(&sb);
	return NULL;
}

char *site_contacts_path(void)
{
	return config_path("SITREP_CONTACTS", "contacts.yaml");
}

char *site_channels_path(void)
{
	return config_path("SITREP_CHANNELS", "channels.yaml");
}

/* Read a file into a buffer and hand it to a buffer loader. */
static int load_file(const char *path, const char *noun, void *out, struct error_list *errs,
		     int (*load)(const char *, const char *, size_t, void *, struct error_list *))
{
	struct strbuf sb = STRBUF_INIT;
	int r = SITREP_EXIT_PLAN;
	sb_init(&sb);
	if (ydoc_read_file(path, noun, &sb, errs) == 0)
		r = load(path, sb.buf, sb.len, out, errs);
	sb_release(&sb);
	return r;
}

/* ------------------------------------------------------------------ */
/* Contacts                                                            */

/* Digits and what dialers accept around them: "+86 (10) 6512-3456,8001". */
static int phone_ok(const char *s)
{
	int digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +-().,;#*", *s))
			return 0;
	}
	return digits > 0;
}

/* name@domain.tld, nothing blank */
static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    at[1] == '.' || s[strlen(s) - 1] == '.')
		return 0;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

/* im: {wecom: liwei, dingtalk: li-wei} -> "wecom:liwei", "dingtalk:li-wei" */
static void load_im(struct ydoc *d, const struct ynode *m, struct site_contact *c)
{
	const struct ynode *v = y_get(d, m, "im");
	size_t i;
	if (!v || y_is_null(v) || v->type == Y_BAD)
		return;
	if (v->type != Y_MAP) {
		ydoc_err(d, v, "expected a mapping of messenger: id for 'im' (e.g. {wecom: li.wei}), "
			 "found %s", y_type_name(v));
		return;
	}
	if (!v->nkid)
		return;
	c->im = xcalloc(v->nkid / 2, sizeof *c->im);
	for (i = 0; i + 1 < v->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, v, i), *id = ydoc_kid(d, v, i + 1);
		struct strbuf sb = STRBUF_INIT;
		const char *s;
		if (k->type != Y_SCALAR || k->dup)
			continue;
		if (!y_valid_id(k->s)) {
			ydoc_err(d, k, "invalid messenger '%s': use ASCII letters, digits, '_', '-' or '.'",
				 k->s);
			continue;
		}
		if (y_scalar(d, id, k->s, &s) != Y_GOT) {
			if (id->type == Y_SCALAR)
				ydoc_err(d, id, "missing value for '%s' in 'im'", k->s);
			continue;
		}
		sb_init(&sb);
		sb_addf(&sb, "%s:%s", k->s, s);
		c->im[c->nim++] = sb_detach(&sb);
	}
}

static void load_contact(struct ydoc *d, const struct ynode *m, struct site_contact *c)
{
	static const char *const keys[] = { "id", "name", "phone", "email", "im", "roles",
					    "groups", "confirmed", NULL };
	char *date = NULL;
	int r;
	y_check_keys(d, m, "contact", keys);
	c->line = m->line;
	y_id(d, m, "id", "contact", 1, &c->id);
	y_str(d, m, "name", "contact", 1, &c->name);
	if (y_str(d, m, "phone", "contact", 0, &c->phone) == Y_GOT && !phone_ok(c->phone))
		ydoc_err(d, y_get(d, m, "phone"),
			 "invalid phone '%s': use digits, spaces and + - ( ) . , ; # *", c->phone);
	if (y_str(d, m, "email", "contact", 0, &c->email) == Y_GOT && !email_ok(c->email))
		ydoc_err(d, y_get(d, m, "email"), "invalid email '%s' (expected name@domain)",
			 c->email);
	load_im(d, m, c);
	y_idlist(d, m, "roles", "role", &c->roles, &c->nroles);
	y_idlist(d, m, "groups", "group", &c->groups, &c->ngroups);
	if (y_str(d, m, "confirmed", "contact", 0, &date) != Y_GOT)
		return;
	r = date_parse_utc(date, &c->confirmed);
	if (r == -1)
		ydoc_err(d, y_get(d, m, "confirmed"),
			 "expected a date like 2026-03-31 for 'confirmed', found '%s'", date);
	else if (r == -2)
		ydoc_err(d, y_get(d, m, "confirmed"), "no such date '%s' for 'confirmed'", date);
	free(date);
}

struct idref { const char *id; size_t i; };

static int idref_cmp(const void *a, const void *b)
{
	const struct idref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* Ids are unique; sorting keeps this fast for a long list. */
static void check_contact_ids(struct ydoc *d, const struct site_contacts *c,
			      const struct ynode *const *nodes)
{
	struct idref *v;
	size_t i, n = 0, first;
	if (!c->n)
		return;
	v = xcalloc(c->n, sizeof *v);
	for (i = 0; i < c->n; i++)
		if (c->v[i].id) {
			v[n].id = c->v[i].id;
			v[n++].i = i;
		}
	qsort(v, n, sizeof *v, idref_cmp);
	for (i = 1, first = 0; i < n; i++) {
		if (strcmp(v[first].id, v[i].id) != 0)
			first = i; /* sorted by id, then by position: the first of a run is the earliest */
		else
			ydoc_err(d, y_get(d, nodes[v[i].i], "id"),
				 "duplicate contact id '%s' (first at line %d)", v[i].id,
				 y_get(d, nodes[v[first].i], "id")->line);
	}
	free(v);
}

static void load_contacts(struct ydoc *d, const struct ynode *root, struct site_contacts *out)
{
	static const char *const keys[] = { "sitrep_contacts", "check_every", "contacts", NULL };
	const char *what = "the contacts file";
	const struct ynode **it;
	int64_t ver;
	long n, i;
	y_check_keys(d, root, what, keys);
	if (y_int(d, root, "sitrep_contacts", what, 1, &ver) == Y_GOT &&
	    ver != CONTACTS_FORMAT_VERSION)
		ydoc_err(d, y_get(d, root, "sitrep_contacts"),
			 "unsupported contacts format %lld (this sitrep reads format %d)",
			 (long long)ver, CONTACTS_FORMAT_VERSION);
	if (y_dur(d, root, "check_every", what, 0, &out->check_every) == Y_GOT &&
	    out->check_every <= 0)
		ydoc_err(d, y_get(d, root, "check_every"), "'check_every' must be longer than 0");
	if (!y_get(d, root, "contacts"))
		ydoc_err(d, root, "missing key 'contacts' in %s", what);
	n = y_section(d, root, "contacts", "contact", MAX_CONTACTS, &it);
	if (n <= 0)
		return;
	out->v = xcalloc((size_t)n, sizeof *out->v);
	out->n = (size_t)n;
	for (i = 0; i < n; i++)
		load_contact(d, it[i], &out->v[i]);
	check_contact_ids(d, out, it);
	free(it);
}

static int contacts_from(const char *path, const char *buf, size_t len, void *out,
			 struct error_list *errs)
{
	return site_contacts_load_buffer(path, buf, len, out, errs);
}

int site_contacts_load(const char *path, struct site_contacts *out, struct error_list *errs)
{
	memset(out, 0, sizeof *out);
	out->check_every = CHECK_EVERY;
	if (!path)
		return 0;
	return load_file(path, "contacts file", out, errs, contacts_from);
}

int site_contacts_load_buffer(const char *path, const char *buf, size_t len,
			      struct site_contacts *out, struct error_list *errs)
{
	struct ydoc d;
	memset(out, 0, sizeof *out);
	out->check_every = CHECK_EVERY;
	ydoc_init(&d, path ? path : "<contacts>", "contacts file", "contacts file", NULL);
	if (ydoc_parse(&d, buf, len) == 0) {
		const struct ynode *r = ydoc_root(&d);
		if (!r || y_is_null(r))
			ydoc_err_at(&d, 1, 1, "empty contacts file (expected a mapping with "
				    "'sitrep_contacts' and 'contacts')");
		else if (r->type == Y_MAP)
			load_contacts(&d, r, out);
		else if (r->type != Y_BAD)
			ydoc_err(&d, r, "expected a mapping at the top of the contacts file, found %s",
				 y_type_name(r));
	}
	if (ydoc_failed(&d)) {
		ydoc_flush(&d, errs);
		ydoc_release(&d);
		site_contacts_release(out);
		return SITREP_EXIT_PLAN;
	}
	ydoc_release(&d);
	out->path = xstrdup(path);
	return 0;
}

void site_contacts_release(struct site_contacts *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		struct site_contact *x = &c->v[i];
		free(x->id);
		free(x->name);
		free(x->phone);
		free(x->email);
		y_strv_free(x->im, x->nim);
		y_strv_free(x->roles, x->nroles);
		y_strv_free(x->groups, x->ngroups);
	}
	free(c->v);
	free(c->path);
	memset(c, 0, sizeof *c);
	c->check_every = CHECK_EVERY;
}

const struct site_contact *site_contact_find(const struct site_contacts *c, const char *who)
{
	size_t i;
	if (!c || !who)
		return NULL;
	for (i = 0; i < c->n; i++)
		if (c->v[i].id && !strcmp(c->v[i].id, who))
			return &c->v[i];
	for (i = 0; i < c->n; i++)
		if (c->v[i].name && !strcmp(c->v[i].name, who))
			return &c->v[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Channels                                                            */

/* command: [PROGRAM, ARG...], run without a shell. */
static void load_command(struct ydoc *d, const struct ynode *v, struct site_channel *c)
{
	const struct ynode *cmd = y_get(d, v, "command");
	size_t i;
	if (!cmd) {
		ydoc_err(d, v, "missing key 'command' in channel '%s'", c->id);
		return;
	}
	if (cmd->type == Y_BAD)
		return;
	if (cmd->type != Y_SEQ) {
		ydoc_err(d, cmd, "expected a list [PROGRAM, ARG...] for 'command' (it runs without "
			 "a shell), found %s", y_type_name(cmd));
		return;
	}
	if (!cmd->nkid) {
		ydoc_err(d, cmd, "'command' needs at least the program to run");
		return;
	}
	for (i = 0; i < cmd->nkid; i++) {
		const struct ynode *a = ydoc_kid(d, cmd, i);
		if (a->type == Y_BAD)
			return;
		if (a->type != Y_SCALAR || y_is_null(a)) {
			ydoc_err(d, a, "expected a string in 'command', found %s", y_type_name(a));
			return;
		}
	}
	c->argv = xcalloc(cmd->nkid + 1, sizeof *c->argv); /* NULL-terminated: posix_spawnp */
	for (i = 0; i < cmd->nkid; i++)
		c->argv[c->argc++] = xstrdup(ydoc_kid(d, cmd, i)->s);
	if (!c->argv[0][0])
		ydoc_err(d, ydoc_kid(d, cmd, 0), "empty program name in 'command'");
	else if (c->argv[0][0] != '/' && strchr(c->argv[0], '/'))
		ydoc_err(d, ydoc_kid(d, cmd, 0), "program '%s' must be an absolute path or a bare "
			 "name looked up in PATH", c->argv[0]);
}

static void load_channel(struct ydoc *d, const struct ynode *k, const struct ynode *v,
			 struct site_channel *c)
{
	static const char *const keys[] = { "command", "timeout", NULL };
	char lim[32];
	c->id = xstrdup(k->s);
	c->line = k->line;
	c->timeout = CHANNEL_TIMEOUT;
	if (!y_valid_id(k->s))
		ydoc_err(d, k, "invalid channel name '%s': use ASCII letters, digits, '_', '-' or '.'",
			 k->s);
	if (v->type == Y_BAD)
		return;
	if (v->type != Y_MAP) {
		ydoc_err(d, v, "expected a mapping with 'command' (and 'timeout') for channel '%s', "
			 "found %s", k->s, y_type_name(v));
		return;
	}
	y_check_keys(d, v, "channel", keys);
	load_command(d, v, c);
	if (y_dur(d, v, "timeout", "channel", 0, &c->timeout) != Y_GOT)
		return;
	if (c->timeout <= 0)
		ydoc_err(d, y_get(d, v, "timeout"), "'timeout' must be longer than 0");
	else if (c->timeout > CHANNEL_TIMEOUT_MAX)
		ydoc_err(d, y_get(d, v, "timeout"), "timeout '%s' is longer than the limit of %s",
			 y_get(d, v, "timeout")->s, dur_format(CHANNEL_TIMEOUT_MAX, lim, sizeof lim));
}

static void load_channels(struct ydoc *d, const struct ynode *root, struct site_channels *out)
{
	size_t i;
	if (!root->nkid)
		return;
	out->v = xcalloc(root->nkid / 2, sizeof *out->v);
	for (i = 0; i + 1 < root->nkid; i += 2) {
		const struct ynode *k = ydoc_kid(d, root, i);
		if (k->type != Y_SCALAR || k->dup)
			continue;
		load_channel(d, k, ydoc_kid(d, root, i + 1), &out->v[out->n++]);
	}
}

static int channels_from(const char *path, const char *buf, size_t len, void *out,
			 struct error_list *errs)
{
	return site_channels_load_buffer(path, buf, len, out, errs);
}

int site_channels_load(const char *path, struct site_channels *out, struct error_list *errs)
{
	memset(out, 0, sizeof *out);
	if (!path)
		return 0;
	return load_file(path, "channels file", out, errs, channels_from);
}

int site_channels_load_buffer(const char *path, const char *buf, size_t len,
			      struct site_channels *out, struct error_list *errs)
{
	struct ydoc d;
	memset(out, 0, sizeof *out);
	ydoc_init(&d, path ? path : "<channels>", "channels file", "channels file", NULL);
	if (ydoc_parse(&d, buf, len) == 0) {
		const struct ynode *r = ydoc_root(&d);
		/* a file of comments only is a site with no channels (yet) */
		if (r && r->type == Y_MAP)
			load_channels(&d, r, out);
		else if (r && !y_is_null(r) && r->type != Y_BAD)
			ydoc_err(&d, r, "expected a mapping of channel name to {command, timeout} at "
				 "the top of the channels file, found %s", y_type_name(r));
	}
	if (ydoc_failed(&d)) {
		ydoc_flush(&d, errs);
		ydoc_release(&d);
		site_channels_release(out);
		return SITREP_EXIT_PLAN;
	}
	ydoc_release(&d);
	out->path = xstrdup(path);
	return 0;
}

void site_channels_release(struct site_channels *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].id);
		y_strv_free(c->v[i].argv, c->v[i].argc);
	}
	free(c->v);
	free(c->path);
	memset(c, 0, sizeof *c);
}

const struct site_channel *site_channel_find(const struct site_channels *c, const char *id)
{
	size_t i;
	if (!c || !id)
		return NULL;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].id, id))
			return &c->v[i];
	return NULL;
}

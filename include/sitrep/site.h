/* site: the site's own configuration, kept beside (not inside) the plans,
 * because it changes more often than plans do: the contacts file (people,
 * their numbers, the roles and groups they usually fill, when each was last
 * confirmed) and the channels file (how a notice is sent: a program and its
 * arguments, a timeout). Loaded with the plan loader's strictness: every
 * error names file:line:col. Formats: docs/plan-format.md ("Contacts"),
 * docs/channels.md. */
#ifndef SITREP_SITE_H
#define SITREP_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/util.h"

struct site_contact {
	char *id;            /* "li.wei": what assign/owner/--person name (a name works too) */
	char *name;          /* any language: "李伟" */
	char *phone;         /* may be NULL */
	char *email;         /* may be NULL */
	char **im;           /* messenger ids as "kind:id" ("wecom:liwei"), n_im of them */
	size_t nim;
	char **roles;        /* plan role ids they usually fill */
	size_t nroles;
	char **groups;       /* contact groups ("hq", "duty") a notice may be sent to */
	size_t ngroups;
	int64_t confirmed;   /* when the entry was last checked (UTC midnight), 0 never */
	int line;            /* where it is in the file (messages) */
};

struct site_contacts {
	char *path;          /* the file, NULL when there is none */
	int64_t check_every; /* how often each contact must be confirmed (default 90d, 000 §8.1) */
	struct site_contact *v;
	size_t n;
};
/* $SITREP_CONTACTS, else $XDG_CONFIG_HOME/sitrep/contacts.yaml (~/.config/...),
 * else /etc/sitrep/contacts.yaml; the first that is set (the environment)
 * or exists (the two files). NULL when none: contacts are optional. Owned by
 * the caller. */
char *site_contacts_path(void);
/* Load; path NULL: an empty list (no file). Returns 0, or SITREP_EXIT_PLAN
 * with every error appended to errs (path:line:col). */
int site_contacts_load(const char *path, struct site_contacts *out, struct error_list *errs);
/* Same from memory, byte for byte (len bytes); path is used in messages
 * and out->path. On an error *out is left empty. */
int site_contacts_load_buffer(const char *path, const char *buf, size_t len,
			      struct site_contacts *out, struct error_list *errs);
void site_contacts_release(struct site_contacts *c);
/* The contact with this id, or whose name is exactly this; NULL when none. */
const struct site_contact *site_contact_find(const struct site_contacts *c, const char *who);

struct site_channel {
	char *id;            /* the channel's name in the file */
	char **argv;         /* the program and its arguments (no shell), argc of them and a NULL */
	size_t argc;
	int64_t timeout;     /* seconds; the program is killed after it (default 30s) */
	int line;
};
struct site_channels {
	char *path;          /* NULL when there is no file */
	struct site_channel *v;
	size_t n;
};
/* $SITREP_CHANNELS, else $XDG_CONFIG_HOME/sitrep/channels.yaml, else
 * /etc/sitrep/channels.yaml (as for contacts). */
char *site_channels_path(void);
/* Load; path NULL: no channels. Returns 0, or SITREP_EXIT_PLAN with every
 * error appended to errs (path:line:col); on an error *out is left empty. */
int site_channels_load(const char *path, struct site_channels *out, struct error_list *errs);
int site_channels_load_buffer(const char *path, const char *buf, size_t len,
			      struct site_channels *out, struct error_list *errs);
void site_channels_release(struct site_channels *c);
const struct site_channel *site_channel_find(const struct site_channels *c, const char *id);

#endif

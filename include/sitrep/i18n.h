/* i18n: the user's language (GNU gettext, the convention of neomutt and
 * Midnight Commander). One macro header: strings shown to people go
 * through _() where they are shown; strings in static tables are marked
 * N_() and translated where they are shown; plurals through ngettext.
 * The catalogue is po/zh_CN.po (domain "sitrep").
 *
 * Only what is shown changes with the language: ids, JSON keys, exit codes
 * and the journal never do. */
#ifndef SITREP_I18N_H
#define SITREP_I18N_H

#include <libintl.h>
#include <stddef.h>

#define SITREP_TEXTDOMAIN "sitrep"
#define _(s) gettext(s)
#define N_(s) (s)
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))
/* A msgid with a context, for the same English word meaning two things
 * ("open": a deadline still open; Enter opens the incident): marked
 * NC_(ctx, s) in a table (xgettext --keyword=NC_:1c,2), translated with
 * i18n_pgettext(ctx, s), which returns s itself when the catalogue has no
 * translation in that context. */
#define NC_(ctx, s) (s)
const char *i18n_pgettext(const char *ctx, const char *msgid);

/* A duration in the user's words: "1h50m39s", "1小时50分39秒" (each unit
 * a msgid); "0s" for none. For text people read and notices sent to
 * them; a plan's own durations stay as the YAML writes them (dur_format). */
const char *i18n_duration(long long secs, char *buf, size_t size);

/* A thing of a plan (a deadline, a role, a resource ...) as words people
 * read: in English its id, an English word and what commands take
 * ("verify_report"); in another language the plan's name for it in that
 * language, then the id ("值班经理5分钟内完成信息核实（verify_report）",
 * written into buf). The id alone when there is no other name; "?" for
 * no id. */
struct strbuf;
const char *i18n_named(const char *id, const char *name, struct strbuf *buf);

/* Set the process up for the user's language, once, before anything is
 * shown: LC_CTYPE and LC_MESSAGES from the environment (LANGUAGE, LC_ALL,
 * LC_MESSAGES, LANG, as gettext reads them); a character type that is not
 * UTF-8 (LANG=C over SSH) is replaced by C.UTF-8 so that UTF-8 text is still
 * measured and shown correctly; LC_NUMERIC stays "C" (numbers in the
 * journal and in JSON always use a decimal point). The catalogue is looked
 * for in $SITREP_LOCALEDIR, else beside the binary (an uninstalled build:
 * build/locale), else the installed LOCALEDIR. Safe to call again. */
void i18n_init(void);

/* The language plan texts are chosen in: "zh_CN", "en", ... (the first of
 * LANGUAGE when the message locale is not C/POSIX, else the message
 * locale's language_TERRITORY; "en" under C/POSIX). Borrowed, static. */
const char *i18n_lang(void);
/* Override the language (tests; NULL goes back to the environment's). */
void i18n_set_lang(const char *lang);

#endif

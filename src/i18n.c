/* i18n: locale set-up and the language of plan texts (see i18n.h). */
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sitrep/i18n.h"
#include "sitrep/util.h"

#ifndef SITREP_LOCALEDIR
#define SITREP_LOCALEDIR "/usr/local/share/locale"
#endif

static char lang_env[64];      /* from the environment, at i18n_init */
static char lang_forced[64];   /* i18n_set_lang */
static int inited;

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder holding the running binary's catalogue when it runs from the
 * build tree: DIR_OF_BINARY/locale (build/locale). */
static int build_tree_localedir(char *out, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	/* build/sitrep and build/asan/sitrep both use build/locale */
	for (int up = 0; up < 2; up++) {
		int w = snprintf(out, size, "%s/locale", exe);
		if (w > 0 && (size_t)w < size && is_dir(out))
			return 1;
		slash = strrchr(exe, '/');
		if (!slash)
			break;
		*slash = '\0';
	}
	return 0;
}

/* "zh_CN.UTF-8@euro" -> "zh_CN" */
static void lang_of(const char *locale, char *out, size_t size)
{
	size_t n = strcspn(locale, ".@:");
	if (n >= size)
		n = size - 1;
	memcpy(out, locale, n);
	out[n] = '\0';
}

static int is_c_locale(const char *l)
{
	return !l || !*l || strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0;
}

void i18n_init(void)
{
	const char *dir = getenv("SITREP_LOCALEDIR");
	char built[PATH_MAX];
	const char *msgs, *language;

	if (!setlocale(LC_CTYPE, ""))
		(void)setlocale(LC_CTYPE, "C");
	/* UTF-8 text must be measured and shown as UTF-8 even under LANG=C
	 * (common over SSH): a character type that is not UTF-8 is replaced. */
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 && !setlocale(LC_CTYPE, "C.UTF-8"))
		(void)setlocale(LC_CTYPE, "C.utf8");
	msgs = setlocale(LC_MESSAGES, "");
	if (!msgs)
		msgs = setlocale(LC_MESSAGES, NULL);
	(void)setlocale(LC_NUMERIC, "C");

	if (!dir || !*dir)
		dir = build_tree_localedir(built, sizeof built) ? built : SITREP_LOCALEDIR;
	(void)bindtextdomain(SITREP_TEXTDOMAIN, dir);
	(void)bind_textdomain_codeset(SITREP_TEXTDOMAIN, "UTF-8");
	(void)textdomain(SITREP_TEXTDOMAIN);

	/* gettext's own order: LANGUAGE (ignored under the C locale), then the
	 * message locale. A locale that is not installed leaves "C" here. */
	language = getenv("LANGUAGE");
	if (is_c_locale(msgs))
		snprintf(lang_env, sizeof lang_env, "en");
	else if (language && *language)
		lang_of(language, lang_env, sizeof lang_env);
	else
		lang_of(msgs, lang_env, sizeof lang_env);
	if (!lang_env[0] || strncmp(lang_env, "C", 2) == 0)
		snprintf(lang_env, sizeof lang_env, "en");
	inited = 1;
}

const char *i18n_lang(void)
{
	if (lang_forced[0])
		return lang_forced;
	if (!inited)
		return "en";
	return lang_env;
}

void i18n_set_lang(const char *lang)
{
	if (!lang)
		lang_forced[0] = '\0';
	else
		snprintf(lang_forced, sizeof lang_forced, "%s", lang);
}

const char *i18n_pgettext(const char *ctx, const char *msgid)
{
	char key[512];
	const char *t;
	int n = snprintf(key, sizeof key, "%s\004%s", ctx, msgid);
	if (n < 0 || (size_t)n >= sizeof key)
		return msgid;
	t = dcgettext(NULL, key, LC_MESSAGES);
	return t == key ? msgid : t;
}

const char *i18n_duration(long long secs, char *buf, size_t size)
{
	/* TRANSLATORS: the units of a duration, written one after the other
	 * without spaces: 1d2h3m4s */
	static const char *const unit[4] = { N_("%lldd"), N_("%lldh"), N_("%lldm"), N_("%llds") };
	const char *tr[4];
	for (int i = 0; i < 4; i++)
		tr[i] = _(unit[i]);
	return dur_format_units(secs, tr, buf, size);
}

const char *i18n_named(const char *id, const char *name, struct strbuf *buf)
{
	if (!id)
		return "?";
	if (!name || !*name || !strcmp(name, id) || !strncmp(i18n_lang(), "en", 2))
		return id;
	sb_reset(buf);
	sb_addf(buf, _("%s (%s)"), name, id);
	return buf->buf;
}

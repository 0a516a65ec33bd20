/* Badges and the small words every view shows the same way: the level
 * and warning badges (never alike: a level is solid, a warning is its
 * colour on the normal background), phases, local times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

/* Warning ids are colours; their words are translated. */
static const char *const colour_words[] = {
	N_("blue"), N_("yellow"), N_("orange"), N_("red"), N_("green"),
};

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

void tui_badge_level(const char *level, const char *colour, struct tui_badge *b)
{
	int col = tui_colour_lookup(colour);
	snprintf(b->text, sizeof b->text, _("LEVEL %s"), level ? level : "?");
	b->style = col >= 0 ? ST_LEVEL + col : ST_BADGE;
}

void tui_badge_warning(const char *warning, struct tui_badge *b)
{
	char word[48];
	const char *w = warning ? warning : "?";
	int col = tui_colour_lookup(warning);
	for (size_t i = 0; i < sizeof colour_words / sizeof colour_words[0]; i++)
		if (warning && !strcmp(warning, colour_words[i]))
			w = _(colour_words[i]);
	snprintf(word, sizeof word, "%s", w);
	upcase(word);
	snprintf(b->text, sizeof b->text, _("%s WARNING"), word);
	b->style = col >= 0 ? ST_WARN + col : ST_BADGE;
}

void tui_badge_main(enum sitrep_phase ph, const char *level, const char *level_colour,
		    const char *warning, const char *peak, struct tui_badge *b)
{
	switch (ph) {
	case PHASE_TERMINATED:
		if (peak)
			snprintf(b->text, sizeof b->text, _("CLOSED (peak %s)"), peak);
		else
			snprintf(b->text, sizeof b->text, "%s", _("CLOSED"));
		b->style = ST_BADGE;
		return;
	case PHASE_RESPONSE:
		tui_badge_level(level, level_colour, b);
		return;
	case PHASE_WARNING:
		tui_badge_warning(warning, b);
		return;
	default:
		snprintf(b->text, sizeof b->text, "%s", _("MONITORING"));
		b->style = ST_BADGE;
		return;
	}
}

const char *tui_phase_text(enum sitrep_phase ph)
{
	return phase_text(ph);
}

char *tui_when(int64_t t, int64_t now, char *buf, size_t size)
{
	char full[40], today[40];
	if (!t) {
		snprintf(buf, size, "-");
		return buf;
	}
	time_format_local(t, full, sizeof full);
	time_format_local(now, today, sizeof today);
	if (strlen(full) >= 19 && !strncmp(full, today, 10))
		snprintf(buf, size, "%s", full + 11);          /* hh:mm:ss */
	else if (strlen(full) >= 16)
		snprintf(buf, size, "%.5s %.5s", full + 5, full + 11); /* MM-DD hh:mm */
	else
		snprintf(buf, size, "%s", full);
	return buf;
}

int tui_readings_said(char *text, const char **names, double *values, int correction, char *msg,
		      size_t size)
{
	const char *bad = NULL;
	int n = tui_readings(text, names, values, TUI_READINGS_MAX, &bad);
	if (n == TUI_READINGS_MANY)
		snprintf(msg, size, _("at most %d readings at a time"), TUI_READINGS_MAX);
	else if (n == TUI_READINGS_NAN && correction)
		snprintf(msg, size, _("'%s' is not a number"), bad);
	else if (n == TUI_READINGS_NAN)
		snprintf(msg, size, _("'%s' is not a number: type name value, e.g. "
				      "complaints_pct 135"), bad);
	else if (n == TUI_READINGS_UNPAIRED && correction)
		snprintf(msg, size, "%s", _("type name=value pairs, or nothing to void the reading"));
	else if (n == TUI_READINGS_UNPAIRED || (n == 0 && !correction))
		snprintf(msg, size, "%s", _("type a name and a value, e.g. complaints_pct 135"));
	else
		return n;
	return -1;
}

int tui_readings(char *text, const char **names, double *values, size_t max, const char **bad)
{
	static const char seps[] = " =\t,";
	size_t n = 0;
	for (char *name = strtok(text, seps); name; name = strtok(NULL, seps)) {
		char *value = strtok(NULL, seps);
		if (!value)
			return TUI_READINGS_UNPAIRED;
		if (n == max)
			return TUI_READINGS_MANY;
		if (app_parse_reading(value, &values[n]) != 0) {
			*bad = value;
			return TUI_READINGS_NAN;
		}
		names[n++] = name;
	}
	return (int)n;
}

int tui_readings_problem(const char *text, int correction, char *msg, size_t size)
{
	char *words = xstrdup(text);
	const char *names[TUI_READINGS_MAX];
	double values[TUI_READINGS_MAX];
	int n = tui_readings_said(words, names, values, correction, msg, size);
	free(words);
	return n < 0 ? -1 : 0;
}

int tui_due_said(const char *text, int64_t now, int64_t *due_in, int64_t *due, char *msg,
		 size_t size)
{
	int64_t v;
	if (!text || !*text)
		return 0;
	if (dur_parse(text, &v) == 0) {
		*due_in = v;
		return 0;
	}
	if (time_parse(text, now, &v) == 0) {
		*due = v;
		return 0;
	}
	snprintf(msg, size, _("'%s' is neither a duration (30m, 2h, 3d) nor a time "
			      "(2026-11-20T10:00+08:00)"), text);
	return -1;
}

/* View logic of the console that needs no terminal: clocks and
 * countdowns (one duration style: hh:mm:ss, Nd hh:mm:ss), sparklines,
 * column layout. Text width and clipping are sitrep/text.h's. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sitrep/i18n.h"
#include "sitrep/tui.h"

int tui_size_ok(int cols, int rows, char *msg, size_t size)
{
	if (cols >= TUI_MIN_COLS && rows >= TUI_MIN_ROWS)
		return 1;
	if (msg && size)
		snprintf(msg, size, _("needs %dx%d, have %dx%d"), TUI_MIN_COLS, TUI_MIN_ROWS,
			 cols, rows);
	return 0;
}

char *tui_clock(int64_t secs, char *buf, size_t size)
{
	return dur_clock(secs, buf, size);
}

char *tui_elapsed(int64_t since, int64_t now, char *buf, size_t size)
{
	char c[40];
	int64_t d = now - since;
	if (d < 0)
		snprintf(buf, size, "T-%s", tui_clock(-d, c, sizeof c));
	else
		snprintf(buf, size, "T+%s", tui_clock(d, c, sizeof c));
	return buf;
}

enum tui_due tui_countdown(int64_t due, int64_t now, int64_t soon, char *buf, size_t size)
{
	char c[40];
	if (now > due) {
		snprintf(buf, size, _("LATE %s"), tui_clock(now - due, c, sizeof c));
		return TUI_DUE_OVERDUE;
	}
	snprintf(buf, size, _("in %s"), tui_clock(due - now, c, sizeof c));
	return due - now <= soon ? TUI_DUE_SOON : TUI_DUE_OK;
}

void tui_sparkline(const double *v, size_t n, int width, struct strbuf *out)
{
	static const char *const bars[8] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	if (width <= 0 || n == 0)
		return;
	size_t first = n > (size_t)width ? n - (size_t)width : 0;
	double lo = v[first], hi = v[first];
	for (size_t i = first; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	for (size_t i = first; i < n; i++) {
		int k = 3;
		if (hi > lo) {
			k = (int)((v[i] - lo) / (hi - lo) * 7.0 + 0.5);
			if (k < 0)
				k = 0;
			if (k > 7)
				k = 7;
		}
		sb_adds(out, bars[k]);
	}
}

int tui_layout(const int *min, const int *grow, int n, int gap, int total, int *out)
{
	int need = n > 1 ? gap * (n - 1) : 0, weights = 0, last = -1;
	for (int i = 0; i < n; i++) {
		out[i] = min[i];
		need += min[i];
		if (grow[i] > 0) {
			weights += grow[i];
			last = i;
		}
	}
	if (need > total)
		return -1;
	int spare = total - need, given = 0;
	if (weights == 0)
		return 0;
	for (int i = 0; i < n; i++) {
		if (grow[i] <= 0)
			continue;
		int add = i == last ? spare - given : spare * grow[i] / weights;
		out[i] += add;
		given += add;
	}
	return 0;
}

void tui_check_label(int on, const char *label, const char *key, struct strbuf *out)
{
	sb_addf(out, "[%c] %s", on ? 'x' : ' ', label ? label : "");
	if (key && *key)
		sb_addf(out, " (%s)", key);
}

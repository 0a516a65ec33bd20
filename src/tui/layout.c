/* View logic of the console that needs no terminal: text width and clipping,
 * clocks and countdowns, sparklines, column layout. No curses here, so the
 * unit tests link it without a terminal. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sitrep/tui.h"

int tui_size_ok(int cols, int rows, char *msg, size_t size)
{
	if (cols >= TUI_MIN_COLS && rows >= TUI_MIN_ROWS)
		return 1;
	if (msg && size)
		snprintf(msg, size, "needs %dx%d, have %dx%d", TUI_MIN_COLS, TUI_MIN_ROWS,
			 cols, rows);
	return 0;
}

/* One displayable unit of the input: its bytes (or an escape) and width. */
struct unit {
	char text[8];
	int len;
	int width;
	size_t consumed;
};

/* Decode the next unit at s (s non-empty). Control characters (C0, DEL, C1)
 * become \xNN escapes; invalid bytes and unprintable characters become '?'. */
static void next_unit(const char *s, size_t avail, struct unit *u)
{
	unsigned char c = (unsigned char)*s;
	if (c < 0x20 || c == 0x7f) {
		u->len = snprintf(u->text, sizeof u->text, "\\x%02x", c);
		u->width = 4;
		u->consumed = 1;
		return;
	}
	if (c < 0x80) {
		u->text[0] = (char)c;
		u->len = 1;
		u->width = 1;
		u->consumed = 1;
		return;
	}
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, avail, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0 || n > 4) {
		u->text[0] = '?';
		u->len = 1;
		u->width = 1;
		u->consumed = 1;
		return;
	}
	if (wc >= 0x80 && wc < 0xa0) { /* C1 control */
		u->len = snprintf(u->text, sizeof u->text, "\\x%02x", (unsigned)wc);
		u->width = 4;
		u->consumed = n;
		return;
	}
	int w = wcwidth(wc);
	if (w < 0) {
		u->text[0] = '?';
		u->len = 1;
		u->width = 1;
		u->consumed = n;
		return;
	}
	memcpy(u->text, s, n);
	u->len = (int)n;
	u->width = w;
	u->consumed = n;
}

int tui_width(const char *s)
{
	int w = 0;
	size_t left = s ? strlen(s) : 0;
	struct unit u;
	while (left) {
		next_unit(s, left, &u);
		w += u.width;
		s += u.consumed;
		left -= u.consumed;
	}
	return w;
}

int tui_clip(struct strbuf *out, const char *s, int cols)
{
	if (!s || cols <= 0)
		return 0;
	int total = tui_width(s);
	int limit = total <= cols ? cols : cols - 1; /* room for the ellipsis */
	int used = 0;
	size_t left = strlen(s);
	struct unit u;
	while (left) {
		next_unit(s, left, &u);
		if (used + u.width > limit)
			break;
		sb_add(out, u.text, (size_t)u.len);
		used += u.width;
		s += u.consumed;
		left -= u.consumed;
	}
	if (total > cols) {
		sb_adds(out, "\xe2\x80\xa6"); /* … */
		used++;
	}
	return used;
}

size_t tui_prefix_fit(const char *s, int cols)
{
	size_t left = s ? strlen(s) : 0, bytes = 0;
	int used = 0;
	struct unit u;
	while (left) {
		next_unit(s + bytes, left, &u);
		if (used + u.width > cols && bytes > 0)
			break;
		used += u.width;
		bytes += u.consumed;
		left -= u.consumed;
		if (used >= cols)
			break;
	}
	return bytes;
}

void tui_fit(struct strbuf *out, const char *s, int cols)
{
	int used = tui_clip(out, s, cols);
	while (used < cols) {
		sb_addc(out, ' ');
		used++;
	}
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

char *tui_age(int64_t secs, char *buf, size_t size)
{
	if (secs < 0)
		secs = 0;
	if (secs < 60)
		snprintf(buf, size, "%" PRId64 "s", secs);
	else if (secs < 3600)
		snprintf(buf, size, "%" PRId64 "m", secs / 60);
	else if (secs < 86400)
		snprintf(buf, size, "%" PRId64 "h%02" PRId64 "m", secs / 3600, (secs % 3600) / 60);
	else
		snprintf(buf, size, "%" PRId64 "d%02" PRId64 "h", secs / 86400, (secs % 86400) / 3600);
	return buf;
}

enum tui_due tui_countdown(int64_t due, int64_t now, int64_t soon, char *buf, size_t size)
{
	char c[40];
	if (now > due) {
		snprintf(buf, size, "LATE %s", tui_clock(now - due, c, sizeof c));
		return TUI_DUE_OVERDUE;
	}
	snprintf(buf, size, "in %s", tui_clock(due - now, c, sizeof c));
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

int tui_match(const char *hay, const char *needle)
{
	if (!needle || !*needle)
		return 1;
	if (!hay)
		return 0;
	size_t nl = strlen(needle);
	for (const char *h = hay; *h; h++) {
		size_t i = 0;
		while (i < nl && h[i] &&
		       tolower((unsigned char)h[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == nl)
			return 1;
	}
	return 0;
}

void tui_check_label(int on, const char *label, const char *key, struct strbuf *out)
{
	sb_addf(out, "[%c] %s", on ? 'x' : ' ', label ? label : "");
	if (key && *key)
		sb_addf(out, " (%s)", key);
}

/* text: one display width (wcwidth) and one escaping policy for every place
 * that shows user text (see include/sitrep/text.h for the policy). */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "sitrep/text.h"

int tx_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	int len, i;

	if (!n)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	*cp = s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) { len = 2; c = s[0] & 0x1f; }
	else if (s[0] >= 0xe0 && s[0] <= 0xef) { len = 3; c = s[0] & 0x0f; }
	else if (s[0] >= 0xf0 && s[0] <= 0xf4) { len = 4; c = s[0] & 0x07; }
	else return 0;
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* shortest form only, no surrogates, nothing past U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

int tx_valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		int len = tx_decode(s + i, n - i, &cp);
		if (!len || cp == 0)
			return 0;
		i += (size_t)len;
	}
	return 1;
}

int tx_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return 1;
	/* bidi embeddings, overrides and isolates can reorder what follows on
	 * the line (a file name shown backwards): never raw */
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/* One shown unit: the text written and its columns. */
struct unit {
	char text[12];
	int len;           /* bytes of text */
	int width;         /* columns */
	size_t consumed;   /* bytes of input */
};

static void next_unit(const char *s, size_t avail, unsigned flags, struct unit *u)
{
	uint32_t cp;
	int n = tx_decode(s, avail, &cp);
	int w;

	if (!n) {
		u->len = snprintf(u->text, sizeof u->text, "\\x%02x", (unsigned char)*s);
		u->width = u->len;
		u->consumed = 1;
		return;
	}
	u->consumed = (size_t)n;
	if (cp == '\n' && (flags & TX_KEEP_NL)) {
		u->text[0] = '\n';
		u->len = 1;
		u->width = 0;
		return;
	}
	if (cp < 0x80 && !tx_is_unsafe(cp)) {
		u->text[0] = (char)cp;
		u->len = 1;
		u->width = 1;
		return;
	}
	w = tx_is_unsafe(cp) ? -1 : wcwidth((wchar_t)cp);
	if (w < 0) {
		if (cp < 0x80)
			u->len = snprintf(u->text, sizeof u->text, "\\x%02x", (unsigned)cp);
		else if (cp <= 0xffff)
			u->len = snprintf(u->text, sizeof u->text, "\\u%04x", (unsigned)cp);
		else
			u->len = snprintf(u->text, sizeof u->text, "\\U%08x", (unsigned)cp);
		u->width = u->len;
		return;
	}
	memcpy(u->text, s, (size_t)n);
	u->len = n;
	u->width = w;
}

void tx_escape(struct strbuf *out, const char *s, unsigned flags)
{
	size_t left = s ? strlen(s) : 0;
	struct unit u;
	while (left) {
		next_unit(s, left, flags, &u);
		sb_add(out, u.text, (size_t)u.len);
		s += u.consumed;
		left -= u.consumed;
	}
}

int tx_width(const char *s)
{
	size_t left = s ? strlen(s) : 0;
	int w = 0;
	struct unit u;
	while (left) {
		next_unit(s, left, 0, &u);
		w += u.width;
		s += u.consumed;
		left -= u.consumed;
	}
	return w;
}

int tx_clip(struct strbuf *out, const char *s, int cols)
{
	int total, limit, used = 0;
	size_t left;
	struct unit u;

	if (!s || cols <= 0)
		return 0;
	total = tx_width(s);
	limit = total <= cols ? cols : cols - 1; /* room for the ellipsis */
	left = strlen(s);
	while (left) {
		next_unit(s, left, 0, &u);
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

void tx_fit(struct strbuf *out, const char *s, int cols)
{
	int used = tx_clip(out, s, cols);
	for (; used < cols; used++)
		sb_addc(out, ' ');
}

void tx_fit_right(struct strbuf *out, const char *s, int cols)
{
	int w = tx_width(s);
	for (; w < cols; w++)
		sb_addc(out, ' ');
	tx_clip(out, s, cols);
}

size_t tx_prefix_fit(const char *s, int cols)
{
	size_t left = s ? strlen(s) : 0, bytes = 0;
	int used = 0;
	struct unit u;
	while (left) {
		next_unit(s + bytes, left, 0, &u);
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

/* Can a line break before the character at s? (after a space, or between
 * wide characters, which CJK text separates with nothing) */
static int wide_at(const char *s, size_t n)
{
	uint32_t cp;
	int len = tx_decode(s, n, &cp);
	return len > 1 && !tx_is_unsafe(cp) && wcwidth((wchar_t)cp) == 2;
}

int tx_wrap(const char *s, int cols, void (*line)(void *ctx, const char *s, size_t len),
	    void *ctx)
{
	int nlines = 0;
	size_t left = s ? strlen(s) : 0;

	if (cols < 1)
		cols = 1;
	while (left) {
		size_t nl = strcspn(s, "\n"), fit, cut;
		if (nl > left)
			nl = left;
		fit = nl;
		if (nl) {
			/* the longest prefix of this paragraph line that fits */
			size_t i = 0;
			int used = 0;
			struct unit u;
			while (i < nl) {
				next_unit(s + i, nl - i, 0, &u);
				if (used + u.width > cols && i > 0)
					break;
				used += u.width;
				i += u.consumed;
			}
			fit = i;
		}
		cut = fit;
		if (fit < nl) {
			/* break at the last space, or between wide characters */
			size_t b = fit;
			while (b > 0 && s[b] != ' ' && !(wide_at(s + b, nl - b) && b > 0))
				b--;
			if (b > 0)
				cut = b;
		}
		if (line)
			line(ctx, s, cut);
		nlines++;
		s += cut;
		left -= cut;
		/* a break at a space eats the spaces; a newline ends the line */
		while (left && *s == ' ' && cut < nl) {
			s++;
			left--;
		}
		if (left && *s == '\n' && cut >= nl) {
			s++;
			left--;
			if (!left) {
				if (line)
					line(ctx, s, 0);
				nlines++;
			}
		}
	}
	return nlines;
}

int tx_match(const char *hay, const char *needle)
{
	size_t nl;
	if (!needle || !*needle)
		return 1;
	if (!hay)
		return 0;
	nl = strlen(needle);
	for (const char *h = hay; *h; h++) {
		size_t i;
		for (i = 0; i < nl && h[i]; i++) {
			unsigned char a = (unsigned char)h[i], b = (unsigned char)needle[i];
			if (a >= 'A' && a <= 'Z')
				a = (unsigned char)(a - 'A' + 'a');
			if (b >= 'A' && b <= 'Z')
				b = (unsigned char)(b - 'A' + 'a');
			if (a != b)
				break;
		}
		if (i == nl)
			return 1;
	}
	return 0;
}

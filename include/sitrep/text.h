/* text: the one text layer. Every place that measures user text, or writes
 * it to a terminal, goes through here: one display-width function (glibc's
 * wcwidth, which ncursesw itself uses) and one escaping policy.
 *
 * The escaping policy (docs/guarantees.md): user text never reaches a
 * terminal raw. Shown escaped, as ASCII:
 *   C0 controls and DEL            \xNN   (TX_KEEP_NL keeps '\n'; '\t' is \x09)
 *   C1 controls U+0080..U+009F     \u0085
 *   bidi overrides and isolates    \u202e  (U+202A..U+202E, U+2066..U+2069,
 *                                           U+200E, U+200F, U+061C)
 *   bytes that are not UTF-8       \xNN
 * An escape is as wide as its ASCII text. Everything else is shown as is,
 * measured with wcwidth (CJK 2 columns; a zero-width mark 0).
 *
 * Needs LC_CTYPE to be a UTF-8 locale (i18n_init makes sure of it). */
#ifndef SITREP_TEXT_H
#define SITREP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "sitrep/util.h"

enum tx_flags {
	TX_KEEP_NL = 1   /* keep '\n' (multi-line text); otherwise it is escaped */
};

/* Decode one UTF-8 character from s[0..n): its length (1..4) and *cp, or 0
 * when s does not start with a valid, shortest-form sequence (*cp = the
 * byte). NUL decodes as a 1-byte character U+0000. */
int tx_decode(const char *s, size_t n, uint32_t *cp);
/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int tx_valid_utf8(const char *s, size_t n);
/* 1 when cp is shown escaped (controls, bidi overrides). */
int tx_is_unsafe(uint32_t cp);

/* Append s, escaped by the policy above. */
void tx_escape(struct strbuf *out, const char *s, unsigned flags);
/* Display width of s as tx_escape shows it (without TX_KEEP_NL). */
int tx_width(const char *s);
/* Append s escaped and clipped to at most cols columns, never splitting a
 * character or an escape; a clipped string ends in "…". Returns the columns
 * used. */
int tx_clip(struct strbuf *out, const char *s, int cols);
/* tx_clip, then spaces up to exactly cols columns. */
void tx_fit(struct strbuf *out, const char *s, int cols);
/* Right-aligned in cols columns (clipped when longer). */
void tx_fit_right(struct strbuf *out, const char *s, int cols);
/* Bytes of the longest prefix of s shown in at most cols columns (escaped
 * as above), never splitting a character; at least one character when s is
 * not empty, so that wrapping always advances. */
size_t tx_prefix_fit(const char *s, int cols);
/* Word-wrap s into lines of at most cols columns: breaks at spaces (and
 * between CJK characters, which need none), mid-word only for a word longer
 * than a line. Calls line(ctx, text, len) for each line (borrowed, not
 * NUL-terminated, unescaped: pass it to tx_clip). Returns the line count.
 * '\n' in s ends a line. */
int tx_wrap(const char *s, int cols, void (*line)(void *ctx, const char *s, size_t len),
	    void *ctx);

/* Case-insensitive substring test for filters and search: ASCII letters
 * fold, every other character (Chinese included) must match exactly. An
 * empty needle matches. */
int tx_match(const char *hay, const char *needle);

#endif

/* util: strings, buffers, durations, times and the error type shared by every module.
 * No library beyond libc and libsodium (for SHA-256). */
#ifndef SITREP_UTIL_H
#define SITREP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes of the command line (DESIGN.md). X-macro: name, value, meaning
 * (an English msgid: N_ marks it for xgettext, whoever expands it
 * translates it where it is shown). */
#ifndef N_
#define N_(s) (s)
#endif
#define SITREP_EXIT_CODES(X)                                       \
	X(EXIT_OK,        0, N_("done"))                           \
	X(EXIT_REFUSED,   1, N_("refused by the plan's rules"))    \
	X(EXIT_USAGE,     2, N_("usage error"))                    \
	X(EXIT_PLAN,      3, N_("plan error"))                     \
	X(EXIT_STORAGE,   4, N_("storage error"))                  \
	X(EXIT_INTEGRITY, 5, N_("journal integrity failure"))      \
	X(EXIT_NOTICE,    6, N_("a notice could not be delivered"))

enum sitrep_exit {
#define X(name, val, text) SITREP_##name = val,
	SITREP_EXIT_CODES(X)
#undef X
};

/* A growable NUL-terminated byte buffer (after git's strbuf).
 * buf is never NULL after sb_init; sb_detach hands the storage to the
 * caller, who frees it with free(). Allocation failure aborts: sitrep
 * cannot journal anything sensible without memory. */
struct strbuf {
	char *buf;      /* NUL-terminated contents */
	size_t len;     /* bytes used, excluding the NUL */
	size_t alloc;   /* bytes allocated */
};
#define STRBUF_INIT { NULL, 0, 0 }
void sb_init(struct strbuf *sb);
void sb_release(struct strbuf *sb);          /* frees; sb is reusable after sb_init */
void sb_reset(struct strbuf *sb);            /* len = 0, keeps the storage */
char *sb_detach(struct strbuf *sb);          /* you now own the storage */
void sb_add(struct strbuf *sb, const void *data, size_t len);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

/* An arena: many small allocations freed together (a view and every string
 * in it). arena_release frees everything the arena handed out. */
struct arena_block;
struct arena {
	struct arena_block *head;  /* owned chain of blocks */
};
#define ARENA_INIT { NULL }
void *arena_alloc(struct arena *a, size_t n);          /* zeroed, aligned for any type */
char *arena_strdup(struct arena *a, const char *s);    /* NULL stays NULL */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

/* Memory helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);                /* xstrdup(NULL) == NULL */
char *xstrndup(const char *s, size_t n);
/* Grow *arr (of *alloc elements of size `size`) to hold at least `need`. */
void *xgrow(void *arr, size_t size, size_t need, size_t *alloc);

/* Durations are int64 seconds. "30s" "5m" "2h" "3d" (and combinations such
 * as "1h30m"). Returns 0 and sets *out, or -1 on a malformed or negative
 * duration. */
/* The longest duration sitrep takes: a hundred years (longer is a typo). */
#define DUR_MAX (INT64_C(100) * 365 * 86400)
int dur_parse(const char *s, int64_t *out);
/* Format a duration compactly ("2h", "1h30m", "45s"); buf of >= 32 bytes. */
char *dur_format(int64_t secs, char *buf, size_t size);
/* The same with each unit's format given (days, hours, minutes, seconds:
 * "%lldd" ...; a translated set for text people read, i18n_duration). */
char *dur_format_units(int64_t secs, const char *const units[4], char *buf, size_t size);
/* "hh:mm:ss" (or "Nd hh:mm:ss") for countdowns; negative values get a '-'. */
char *dur_clock(int64_t secs, char *buf, size_t size);
/* A number exactly as printf's "%.15g" writes it (how readings are shown),
 * without printf for the decimals a metric feed carries (99.95, 1200,
 * 0.125): a value that is n / 10^d for an integer n of at most 15 digits.
 * Returns the length written into out. */
#define NUM_G15_MAX 32
size_t num_g15(double v, char out[NUM_G15_MAX]);

/* Times are int64 seconds since the epoch, UTC.
 * time_parse accepts ISO 8601 with Z or +hh:mm / -hh:mm offset, seconds
 * optional ("2026-11-20T09:12:00+08:00", "2026-11-20T01:12Z"), a local time
 * without offset (interpreted in the TZ of the process), and "now" (= now).
 * Returns 0 or -1. */
int time_parse(const char *s, int64_t now, int64_t *out);
/* A calendar date "2026-03-31" and nothing more, as UTC midnight. 0; -1
 * when it is not written like a date; -2 when there is no such day (February
 * 30th) or it is before 1970. */
int date_parse_utc(const char *s, int64_t *out);
/* The earliest time an incident may open: 2000-01-01T00:00:00Z. */
#define SITREP_EPOCH_MIN INT64_C(946684800)
/* "2026-11-20T01:12:00Z" */
char *time_format_utc(int64_t t, char *buf, size_t size);
/* Local time "2026-11-20 09:12:00" (process TZ) */
char *time_format_local(int64_t t, char *buf, size_t size);


/* SHA-256 of data as lowercase hex (libsodium); out gets 64 chars + NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

/* Edit distance, for "did you mean" suggestions. */
int str_distance(const char *a, const char *b);

/* The one error type of every module's public functions (sqlite's and
 * git's habit): a status code, a location (path and 1-based line/column, 0
 * when unknown), the rule that refused (engine refusals: "escalate.max"),
 * and a message (lower case, no full stop, names in quotes). Printed as
 * "path:line:col: message". Lifecycle: err_init (or SITREP_ERROR_INIT),
 * err_release. */
struct sitrep_error {
	int code;            /* an enum sitrep_exit value, 0 = no error */
	char *path;          /* owned; may be NULL */
	int line;            /* 1-based, 0 = none */
	int col;             /* 1-based, 0 = none */
	char *rule;          /* owned; the refusal rule, or NULL */
	char *msg;           /* owned; NULL when code is 0 */
};
#define SITREP_ERROR_INIT { 0, NULL, 0, 0, NULL, NULL }
void err_init(struct sitrep_error *e);
/* Set a single error (replacing what it held); path may be NULL. e may be
 * NULL (the error is then dropped). Returns code. */
int err_set(struct sitrep_error *e, int code, const char *path, int line, int col,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* err_set with the rule's name (NULL none) and a va_list, for wrappers. */
int err_vset(struct sitrep_error *e, int code, const char *path, int line, int col,
	     const char *rule, const char *fmt, va_list ap);
/* A refusal: code SITREP_EXIT_REFUSED, the rule's name and a message. */
int err_refuse(struct sitrep_error *e, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Copy src into dst (replacing what dst held). */
void err_copy(struct sitrep_error *dst, const struct sitrep_error *src);
void err_release(struct sitrep_error *e);   /* frees path, rule and msg, zeroes e */
/* "path:line:col: message" (or less when unknown) into out. */
void err_format(const struct sitrep_error *e, struct strbuf *out);

/* A list of errors, kept in the order they were found. */
struct error_list {
	struct sitrep_error *v;  /* owned array */
	size_t n;
	size_t alloc;
};
void errlist_init(struct error_list *el);
void errlist_release(struct error_list *el);
void errlist_add(struct error_list *el, int code, const char *path,
		 int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* "path:line:col: message" lines, one per error, to the buffer. */
void errlist_format(const struct error_list *el, struct strbuf *out);
/* The same lines joined into one message (no trailing newline), for an error
 * that wraps them ("the plan snapshot does not load: ..."). */
void errlist_join(const struct error_list *el, struct strbuf *out);

#endif

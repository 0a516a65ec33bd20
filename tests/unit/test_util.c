/* Units for util.c: strbuf, durations, times, widths, escaping, errors. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sitrep/text.h"
#include "sitrep/util.h"

static void test_strbuf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *p;
	int i;
	(void)state;
	sb_init(&sb);
	assert_string_equal(sb.buf, "");
	for (i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_memory_equal(sb.buf, "0,1,2,", 6);
	sb_reset(&sb);
	sb_adds(&sb, "x");
	p = sb_detach(&sb);
	assert_string_equal(p, "x");
	assert_string_equal(sb.buf, "");
	free(p);
	sb_release(&sb);
}

static void test_durations(void **state)
{
	int64_t d;
	char buf[32];
	(void)state;
	assert_int_equal(dur_parse("30s", &d), 0); assert_int_equal(d, 30);
	assert_int_equal(dur_parse("5m", &d), 0); assert_int_equal(d, 300);
	assert_int_equal(dur_parse("2h", &d), 0); assert_int_equal(d, 7200);
	assert_int_equal(dur_parse("3d", &d), 0); assert_int_equal(d, 259200);
	assert_int_equal(dur_parse("1h30m", &d), 0); assert_int_equal(d, 5400);
	assert_int_equal(dur_parse("-5m", &d), -1);
	assert_int_equal(dur_parse("5", &d), -1);
	assert_int_equal(dur_parse("", &d), -1);
	assert_int_equal(dur_parse("5x", &d), -1);
	assert_int_equal(dur_parse("99999999999999999999s", &d), -1);
	assert_string_equal(dur_format(5400, buf, sizeof buf), "1h30m");
	assert_string_equal(dur_format(0, buf, sizeof buf), "0s");
	assert_string_equal(dur_clock(3725, buf, sizeof buf), "01:02:05");
	assert_string_equal(dur_clock(-65, buf, sizeof buf), "-00:01:05");
	assert_string_equal(dur_clock(90061, buf, sizeof buf), "1d 01:01:01");
	assert_string_equal(dur_clock(INT64_MIN, buf, sizeof buf), "-106751991167300d 15:30:08");
}

static void test_times(void **state)
{
	int64_t t;
	char buf[64];
	(void)state;
	assert_int_equal(time_parse("2026-11-20T09:12:00+08:00", 0, &t), 0);
	assert_string_equal(time_format_utc(t, buf, sizeof buf), "2026-11-20T01:12:00Z");
	assert_int_equal(time_parse("2026-11-20T01:12Z", 0, &t), 0);
	assert_string_equal(time_format_utc(t, buf, sizeof buf), "2026-11-20T01:12:00Z");
	assert_int_equal(time_parse("1970-01-01T00:00:00Z", 0, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(time_parse("now", 42, &t), 0);
	assert_int_equal(t, 42);
	assert_int_equal(time_parse("2026-13-01T00:00Z", 0, &t), -1);
	/* no rolling over into the next month */
	assert_int_equal(time_parse("2026-02-30T00:00Z", 0, &t), -1);
	assert_int_equal(time_parse("2025-02-29T00:00Z", 0, &t), -1);
	assert_int_equal(time_parse("2026-04-31T00:00Z", 0, &t), -1);
	assert_int_equal(time_parse("2024-02-29T00:00Z", 0, &t), 0);
	assert_int_equal(time_parse("2000-02-29T00:00Z", 0, &t), 0);
	assert_int_equal(time_parse("2100-02-29T00:00Z", 0, &t), -1);
	assert_int_equal(time_parse("yesterday", 0, &t), -1);
	assert_int_equal(time_parse("2026-11-20T01:12:00Zjunk", 0, &t), -1);
}

/* A calendar date alone (contacts' "confirmed"): the same calendar as
 * time_parse, no time of day, UTC midnight. */
static void test_dates(void **state)
{
	int64_t t = 7;
	(void)state;
	assert_int_equal(date_parse_utc("2026-10-08", &t), 0);
	assert_int_equal(t, 1791417600);
	assert_int_equal(date_parse_utc("2024-02-29", &t), 0);
	assert_int_equal(t, 1709164800);
	t = 7;
	assert_int_equal(date_parse_utc("2025-02-29", &t), -2);
	assert_int_equal(date_parse_utc("2026-04-31", &t), -2);
	assert_int_equal(date_parse_utc("2026-13-01", &t), -2);
	assert_int_equal(date_parse_utc("1969-12-31", &t), -2);
	assert_int_equal(t, 7); /* untouched when refused */
	assert_int_equal(date_parse_utc("2026-10-08T00:00Z", &t), -1);
	assert_int_equal(date_parse_utc("2026-1-08", &t), -1);
	assert_int_equal(date_parse_utc("2026", &t), -1);
	assert_int_equal(date_parse_utc("", &t), -1);
}

/* num_g15 writes what snprintf's "%.15g" writes, for every kind of value:
 * the decimals of a feed (its fast path), and all that is not (printf's). */
static void g15_same(double v)
{
	char want[64], got[NUM_G15_MAX];
	size_t n;
	snprintf(want, sizeof want, "%.15g", v);
	n = num_g15(v, got);
	if (strcmp(want, got) != 0 || n != strlen(want))
		fail_msg("num_g15(%.17g): '%s' (%zu), printf '%s'", v, got, n, want);
}

static void test_numbers(void **state)
{
	static const double odd[] = {
		0.0, -0.0, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 1e-4, 1e-5, 0.00012, -0.00012,
		99.95, 99.9500001, 0.1 + 0.2, 1.0 / 3, 2.0 / 3, 1e14, 999999999999999.0,
		1e15, 1e16, 123456789012345.6, 12345678901234.56, -123456.789, 4.35,
		0.125, 5e-324, 1.7976931348623157e308, 9007199254740993.0, 1e6 + 0.5,
	};
	unsigned seed = 12345;
	(void)state;
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		g15_same(odd[i]);
	for (int k = -20000; k <= 20000; k++) {
		g15_same(k);                 /* integers */
		g15_same(k / 100.0);         /* a percentage's two decimals */
		g15_same(k / 1000.0 + 99.0); /* three, past an integer part */
		g15_same(k * 1e-6);          /* six, and tiny ones printf writes 1e-05 */
	}
	for (int k = 0; k < 200000; k++) { /* anything at all */
		union { unsigned long long u; double d; } x;
		seed = seed * 1103515245u + 12345u;
		x.u = (unsigned long long)seed << 32;
		seed = seed * 1103515245u + 12345u;
		x.u |= seed;
		g15_same(x.d);
		g15_same((double)(long long)(x.u % 100000000000ull) / 1e4);
	}
}

/* The one text layer (text.h): one width, one escaping policy. */
static void test_widths(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	assert_int_equal(tx_width("abc"), 3);
	assert_int_equal(tx_width("客服热线"), 8);
	/* one answer for a C1 control: shown as \u0085, as wide as that */
	assert_int_equal(tx_width("x\xc2\x85y"), 8);
	sb_init(&sb);
	tx_fit(&sb, "客服热线", 5);
	assert_string_equal(sb.buf, "客服…"); /* never splits a wide character */
	sb_reset(&sb);
	tx_fit(&sb, "ab", 4);
	assert_string_equal(sb.buf, "ab  ");
	sb_reset(&sb);
	tx_fit_right(&sb, "热", 4);
	assert_string_equal(sb.buf, "  热");
	assert_int_equal(tx_prefix_fit("客服热线", 5), 6);
	assert_int_equal(tx_prefix_fit("客", 1), 3); /* at least one character */
	sb_release(&sb);
}

static void test_escaping(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb);
	tx_escape(&sb, "a\x1b[2Jb\n", 0);
	assert_string_equal(sb.buf, "a\\x1b[2Jb\\x0a");
	sb_reset(&sb);
	tx_escape(&sb, "a\x1b]0;x\x07" "b\n", TX_KEEP_NL);
	assert_string_equal(sb.buf, "a\\x1b]0;x\\x07b\n");
	sb_reset(&sb);
	tx_escape(&sb, "file\xe2\x80\xaetxt.exe", 0); /* U+202E: never raw */
	assert_string_equal(sb.buf, "file\\u202etxt.exe");
	sb_reset(&sb);
	tx_escape(&sb, "\xff热", 0);
	assert_string_equal(sb.buf, "\\xff热");
	assert_true(tx_valid_utf8("热线", strlen("热线")));
	assert_false(tx_valid_utf8("a\0b", 3));
	assert_false(tx_valid_utf8("\xc0\x80", 2)); /* not the shortest form */
	assert_true(tx_match("Hotline 热线 down", "hotLINE"));
	assert_true(tx_match("会议纪要", "会议"));
	assert_false(tx_match("会议纪要", "热线"));
	sb_release(&sb);
}

struct lines { char buf[8][64]; int n; };
static void wrap_line(void *ctx, const char *s, size_t len)
{
	struct lines *l = ctx;
	if (l->n < 8)
		snprintf(l->buf[l->n++], sizeof(l->buf[0]), "%.*s", (int)len, s);
}

static void test_wrapping(void **state)
{
	struct lines l;
	(void)state;
	memset(&l, 0, sizeof(l));
	/* at word boundaries, never mid-word ("compla/ints_peak") */
	assert_int_equal(tx_wrap("refused: unmet complaints_peak now", 20, wrap_line, &l), 2);
	assert_string_equal(l.buf[0], "refused: unmet");
	assert_string_equal(l.buf[1], "complaints_peak now");
	memset(&l, 0, sizeof(l));
	/* CJK text breaks between characters */
	assert_int_equal(tx_wrap("值班经理五分钟内核实", 8, wrap_line, &l), 3);
	assert_string_equal(l.buf[0], "值班经理");
}

static void test_errors_and_misc(void **state)
{
	struct error_list el;
	struct strbuf sb = STRBUF_INIT;
	struct sitrep_error e = SITREP_ERROR_INIT;
	char h[65];
	(void)state;
	errlist_init(&el);
	errlist_add(&el, SITREP_EXIT_PLAN, "p.yaml", 3, 7, "unknown key '%s'", "levle");
	errlist_add(&el, SITREP_EXIT_PLAN, "p.yaml", 0, 0, "empty file");
	sb_init(&sb);
	errlist_format(&el, &sb);
	assert_string_equal(sb.buf, "p.yaml:3:7: unknown key 'levle'\np.yaml: empty file\n");
	errlist_release(&el);
	err_set(&e, SITREP_EXIT_STORAGE, NULL, 0, 0, "database '%s' is locked", "x.db");
	sb_reset(&sb);
	err_format(&e, &sb);
	assert_string_equal(sb.buf, "database 'x.db' is locked");
	err_release(&e);
	sb_release(&sb);
	assert_int_equal(str_distance("levle", "level"), 2);
	assert_int_equal(str_distance("", "abc"), 3);
	sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_wrapping),
		cmocka_unit_test(test_errors_and_misc),
	};
	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}

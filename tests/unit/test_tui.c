/* Units for the console's view logic that needs no terminal (layout.c):
 * widths of CJK strings, clipping and padding, escaping of control
 * characters, clocks and countdowns, sparklines, column layout, check boxes,
 * and the help text generated from the key table. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sitrep/tui.h"

static int setup(void **state)
{
	(void)state;
	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8"))
		return -1;
	return 0;
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(tui_width(""), 0);
	assert_int_equal(tui_width("abc"), 3);
	/* 客服热线中断: six CJK characters, two columns each. */
	assert_int_equal(tui_width("\xe5\xae\xa2\xe6\x9c\x8d\xe7\x83\xad\xe7\xba\xbf\xe4\xb8\xad\xe6\x96\xad"), 12);
	assert_int_equal(tui_width("a\xe4\xb8\xad" "b"), 4);
	/* A control character is shown escaped: \x1b takes four columns. */
	assert_int_equal(tui_width("\x1b"), 4);
	/* An invalid byte shows as one '?'. */
	assert_int_equal(tui_width("\xff"), 1);
}

static void test_fit_pads_and_clips(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb);
	tui_fit(&sb, "abc", 6);
	assert_string_equal(sb.buf, "abc   ");
	sb_reset(&sb);
	tui_fit(&sb, "abcdefgh", 5);
	assert_string_equal(sb.buf, "abcd\xe2\x80\xa6");
	assert_int_equal(tui_width(sb.buf), 5);
	sb_release(&sb);
}

static void test_fit_cjk_never_splits(void **state)
{
	const char *title = "\xe5\xae\xa2\xe6\x9c\x8d\xe7\x83\xad\xe7\xba\xbf\xe4\xb8\xad\xe6\x96\xad";
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb);
	/* Every width from 1 to 14 comes out exactly that wide. */
	for (int cols = 1; cols <= 14; cols++) {
		sb_reset(&sb);
		tui_fit(&sb, title, cols);
		assert_int_equal(tui_width(sb.buf), cols);
	}
	/* 6 columns: two characters (4), the ellipsis (1), one space. */
	sb_reset(&sb);
	tui_fit(&sb, title, 6);
	assert_string_equal(sb.buf, "\xe5\xae\xa2\xe6\x9c\x8d\xe2\x80\xa6 ");
	/* Wide enough: the whole title, then padding. */
	sb_reset(&sb);
	tui_fit(&sb, title, 14);
	assert_memory_equal(sb.buf, title, strlen(title));
	assert_string_equal(sb.buf + strlen(title), "  ");
	sb_release(&sb);
}

static void test_escapes_control_characters(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb);
	int used = tui_clip(&sb, "a\x1b[2Jb\n", 40);
	assert_string_equal(sb.buf, "a\\x1b[2Jb\\x0a");
	assert_int_equal(used, tui_width("a\x1b[2Jb\n"));
	for (size_t i = 0; i < sb.len; i++)
		assert_true((unsigned char)sb.buf[i] >= 0x20 && sb.buf[i] != 0x7f);
	/* C1 controls (U+0080..U+009F, encoded in UTF-8) are escaped too. */
	sb_reset(&sb);
	tui_clip(&sb, "x\xc2\x9b" "y", 40);
	assert_string_equal(sb.buf, "x\\x9by");
	sb_release(&sb);
}

static void test_prefix_fit(void **state)
{
	const char *title = "\xe5\xae\xa2\xe6\x9c\x8d\xe7\x83\xad"; /* 客服热, 6 columns */
	(void)state;
	assert_int_equal(tui_prefix_fit("abcdef", 4), 4);
	assert_int_equal(tui_prefix_fit("abc", 10), 3);
	/* 5 columns hold two CJK characters (6 bytes), not half of the third. */
	assert_int_equal(tui_prefix_fit(title, 5), 6);
	assert_int_equal(tui_prefix_fit(title, 6), 9);
	/* Always some progress, even when one character is wider than cols. */
	assert_int_equal(tui_prefix_fit(title, 1), 3);
	assert_int_equal(tui_prefix_fit("", 5), 0);
}

static void test_clocks(void **state)
{
	char buf[64];
	(void)state;
	assert_string_equal(tui_clock(0, buf, sizeof buf), "00:00:00");
	assert_string_equal(tui_clock(3723, buf, sizeof buf), "01:02:03");
	assert_string_equal(tui_clock(90061, buf, sizeof buf), "1d 01:01:01");
	assert_string_equal(tui_clock(-61, buf, sizeof buf), "-00:01:01");
	assert_string_equal(tui_elapsed(1000, 1000 + 3600 + 5, buf, sizeof buf), "T+01:00:05");
	assert_string_equal(tui_elapsed(1000, 990, buf, sizeof buf), "T-00:00:10");
	assert_string_equal(tui_age(45, buf, sizeof buf), "45s");
	assert_string_equal(tui_age(12 * 60 + 5, buf, sizeof buf), "12m");
	assert_string_equal(tui_age(3 * 3600 + 5 * 60, buf, sizeof buf), "3h05m");
	assert_string_equal(tui_age(2 * 86400 + 4 * 3600, buf, sizeof buf), "2d04h");
}

static void test_countdown(void **state)
{
	char buf[64];
	(void)state;
	int64_t due = 100000;
	assert_int_equal(tui_countdown(due, due - 3600, 900, buf, sizeof buf), TUI_DUE_OK);
	assert_string_equal(buf, "in 01:00:00");
	assert_int_equal(tui_countdown(due, due - 899, 900, buf, sizeof buf), TUI_DUE_SOON);
	assert_string_equal(buf, "in 00:14:59");
	assert_int_equal(tui_countdown(due, due, 900, buf, sizeof buf), TUI_DUE_SOON);
	assert_string_equal(buf, "in 00:00:00");
	/* Past due: how late it is. */
	assert_int_equal(tui_countdown(due, due + 61, 900, buf, sizeof buf), TUI_DUE_OVERDUE);
	assert_string_equal(buf, "LATE 00:01:01");
}

static void test_sparkline(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	sb_init(&sb);
	const double rising[] = { 100, 110, 120, 130, 140, 150, 160, 170 };
	tui_sparkline(rising, 8, 8, &sb);
	assert_string_equal(sb.buf, "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
				    "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88");
	assert_int_equal(tui_width(sb.buf), 8);
	/* Only the last `width` values, scaled among themselves. */
	sb_reset(&sb);
	tui_sparkline(rising, 8, 2, &sb);
	assert_string_equal(sb.buf, "\xe2\x96\x81\xe2\x96\x88");
	/* All equal: a flat middle bar. */
	sb_reset(&sb);
	const double flat[] = { 5, 5, 5 };
	tui_sparkline(flat, 3, 10, &sb);
	assert_string_equal(sb.buf, "\xe2\x96\x84\xe2\x96\x84\xe2\x96\x84");
	sb_reset(&sb);
	tui_sparkline(flat, 0, 10, &sb);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

static void test_layout(void **state)
{
	(void)state;
	const int min[4] = { 4, 10, 8, 6 };
	const int grow[4] = { 0, 3, 1, 0 };
	int w[4];
	/* 80 columns, 3 gaps: 28 minimum + 3 = 31, 49 spare shared 3:1. */
	assert_int_equal(tui_layout(min, grow, 4, 1, 80, w), 0);
	assert_int_equal(w[0], 4);
	assert_int_equal(w[3], 6);
	assert_int_equal(w[0] + w[1] + w[2] + w[3] + 3, 80);
	assert_true(w[1] > w[2]);
	assert_int_equal(w[1], 10 + 49 * 3 / 4);
	/* Too narrow for the minimums. */
	assert_int_equal(tui_layout(min, grow, 4, 1, 30, w), -1);
	assert_int_equal(w[1], 10);
}

static void test_size(void **state)
{
	char msg[128];
	(void)state;
	assert_int_equal(tui_size_ok(80, 24, msg, sizeof msg), 1);
	assert_int_equal(tui_size_ok(200, 60, msg, sizeof msg), 1);
	assert_int_equal(tui_size_ok(50, 12, msg, sizeof msg), 0);
	assert_string_equal(msg, "needs 80x24, have 50x12");
	assert_int_equal(tui_size_ok(80, 23, msg, sizeof msg), 0);
}

static void test_match(void **state)
{
	(void)state;
	assert_true(tui_match("hotline-outage", "LINE"));
	assert_true(tui_match("anything", ""));
	assert_false(tui_match("power-outage", "hotline"));
	assert_false(tui_match(NULL, "x"));
}

static void test_check_label(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	tui_check_label(0, "drill", "Tab", &sb);
	assert_string_equal(sb.buf, "[ ] drill (Tab)");
	sb_reset(&sb);
	tui_check_label(1, "drill", "Tab", &sb);
	assert_string_equal(sb.buf, "[x] drill (Tab)");
	sb_reset(&sb);
	tui_check_label(7, "drill", NULL, &sb);
	assert_string_equal(sb.buf, "[x] drill");
	sb_release(&sb);
}

/* The line of the help text that starts (after blanks) with key, within the
 * section headed `section`; NULL when none. */
static const char *help_line(const char *help, const char *section, const char *key)
{
	const char *s = strstr(help, section);
	if (!s)
		return NULL;
	s = strchr(s, '\n');
	while (s && s[1] == ' ') {
		const char *l = s + 1;
		while (*l == ' ')
			l++;
		if (!strncmp(l, key, strlen(key)) && l[strlen(key)] == ' ')
			return l;
		s = strchr(l, '\n');
	}
	return NULL;
}

static void test_help_lists_review_note(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	tui_help_text(&sb);
	const char *l = help_line(sb.buf, "Review screen\n", "N");
	assert_non_null(l);
	assert_non_null(strstr(l, "note"));
	assert_non_null(strstr(l, "section"));
	assert_true(strstr(l, "section") < strchr(l, '\n'));
	/* N is the review screen's only: not on the dashboard */
	assert_null(help_line(sb.buf, "Incident dashboard\n", "N"));
	l = help_line(sb.buf, "Incident list\n", "n");
	assert_non_null(l);
	assert_non_null(strstr(l, "drill"));
	assert_true(strstr(l, "drill") < strchr(l, '\n'));
	sb_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_fit_pads_and_clips),
		cmocka_unit_test(test_fit_cjk_never_splits),
		cmocka_unit_test(test_escapes_control_characters),
		cmocka_unit_test(test_prefix_fit),
		cmocka_unit_test(test_clocks),
		cmocka_unit_test(test_countdown),
		cmocka_unit_test(test_sparkline),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_check_label),
		cmocka_unit_test(test_help_lists_review_note),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

/* json: the payload reader. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "sitrep/json.h"

static void parse_ok(const char *text, struct json_value *v)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	int rc = json_parse(text, strlen(text), v, &err);
	if (rc != 0)
		fail_msg("'%s' did not parse: %s", text, err.msg ? err.msg : "?");
	err_release(&err);
}

static void parse_bad(const char *text, int line, int col)
{
	struct sitrep_error err = SITREP_ERROR_INIT;
	struct json_value v;
	assert_int_equal(json_parse(text, strlen(text), &v, &err), -1);
	assert_non_null(err.msg);
	assert_int_equal(err.code, SITREP_EXIT_USAGE);
	if (line)
		assert_int_equal(err.line, line);
	if (col)
		assert_int_equal(err.col, col);
	assert_int_equal(v.type, JSON_NULL);
	err_release(&err);
}

static void test_object(void **state)
{
	struct json_value v;
	const struct json_value *arr;
	(void)state;
	parse_ok(" {\"a\": 1.5, \"b\": [true, false, null, -2e3], \"c\": \"x\", \"d\": {}} ", &v);
	assert_int_equal(v.type, JSON_OBJECT);
	assert_int_equal(v.n, 4);
	assert_true(json_get_num(&v, "a", 0) == 1.5);
	assert_string_equal(json_get_str(&v, "c"), "x");
	assert_null(json_get_str(&v, "a"));       /* wrong type */
	assert_null(json_get(&v, "zz"));
	assert_true(json_get_num(&v, "zz", 7) == 7);
	arr = json_get(&v, "b");
	assert_non_null(arr);
	assert_int_equal(arr->type, JSON_ARRAY);
	assert_int_equal(arr->n, 4);
	assert_int_equal(arr->items[0].type, JSON_BOOL);
	assert_int_equal(arr->items[0].boolean, 1);
	assert_int_equal(arr->items[1].boolean, 0);
	assert_int_equal(arr->items[2].type, JSON_NULL);
	assert_true(arr->items[3].number == -2000);
	assert_int_equal(json_get(&v, "d")->type, JSON_OBJECT);
	assert_int_equal(json_get_bool(&v, "a", 9), 9);
	json_free(&v);
	assert_int_equal(v.type, JSON_NULL);
}

static void test_strings(void **state)
{
	struct json_value v;
	(void)state;
	parse_ok("\"tab\\t nl\\n q\\\" bs\\\\ sl\\/ \\u00e9 \\u6838 \\ud83d\\ude00\"", &v);
	assert_int_equal(v.type, JSON_STRING);
	assert_string_equal(v.str, "tab\t nl\n q\" bs\\ sl/ \xc3\xa9 \xe6\xa0\xb8 \xf0\x9f\x98\x80");
	json_free(&v);
	/* raw UTF-8 passes through */
	parse_ok("\"核心交换机\"", &v);
	assert_string_equal(v.str, "核心交换机");
	json_free(&v);
	/* \u0000 keeps its length */
	parse_ok("\"a\\u0000b\"", &v);
	assert_int_equal(v.len, 3);
	json_free(&v);
}

static void test_round_trip_writer(void **state)
{
	/* what sb_add_json_str writes, json_parse reads back */
	const char *samples[] = { "plain", "quote \" and \\ backslash", "ctl \x01\x1f\x7f end",
				  "新 line\nand\ttab", "" };
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		struct json_value v;
		sb_init(&sb);
		sb_add_json_str(&sb, samples[i]);
		parse_ok(sb.buf, &v);
		assert_string_equal(v.str, samples[i]);
		json_free(&v);
		sb_release(&sb);
	}
}

static void test_errors(void **state)
{
	(void)state;
	parse_bad("", 1, 1);
	parse_bad("{", 1, 2);
	parse_bad("{\"a\" 1}", 1, 6);
	parse_bad("{\"a\":1,}", 1, 8);
	parse_bad("[1 2]", 1, 4);
	parse_bad("\"abc", 0, 0);
	parse_bad("\"\\ud800\"", 0, 0);          /* lone high surrogate */
	parse_bad("\"\\udc00\"", 0, 0);          /* lone low surrogate */
	parse_bad("\"\\ud800\\u0041\"", 0, 0);   /* high + not low */
	parse_bad("\"\\x\"", 0, 0);
	parse_bad("\"\\u12g4\"", 0, 0);
	parse_bad("\"a\nb\"", 0, 0);             /* raw control character */
	parse_bad("01", 0, 0);
	parse_bad("1.", 0, 0);
	parse_bad("-", 0, 0);
	parse_bad("1e", 0, 0);
	parse_bad("1e999", 0, 0);
	parse_bad("tru", 0, 0);
	parse_bad("{} x", 1, 4);
	parse_bad("[1,\n 2,\n x]", 3, 2);
}

static void test_depth(void **state)
{
	char deep[JSON_MAX_DEPTH * 2 + 8];
	struct json_value v;
	size_t n = 0;
	(void)state;
	/* at the limit: fine */
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		deep[n++] = ']';
	deep[n] = '\0';
	parse_ok(deep, &v);
	json_free(&v);
	/* one past it: refused, not a stack overflow */
	memmove(deep + 1, deep, n + 1);
	deep[0] = '[';
	strcat(deep, "]");
	parse_bad(deep, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_round_trip_writer),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_depth),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}

/* Units for site.c: the shipped examples load; every fixture under
 * tests/fixtures/contacts/ and tests/fixtures/channels/ gives exactly its
 * .err; dates are real dates; commands run without a shell; the files are
 * found where site.h says. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sitrep/plan.h"
#include "sitrep/site.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	if (!f)
		return NULL;
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	return sb_detach(&sb);
}

static void print_errors(const struct error_list *el)
{
	struct strbuf sb = STRBUF_INIT;
	sb_init(&sb);
	errlist_format(el, &sb);
	print_error("%s", sb.buf);
	sb_release(&sb);
}

/* Load a file as contacts or channels; the errors in el. */
static int load_any(int contacts, const char *path, struct error_list *el)
{
	int r;
	if (contacts) {
		struct site_contacts c;
		r = site_contacts_load(path, &c, el);
		site_contacts_release(&c);
	} else {
		struct site_channels c;
		r = site_channels_load(path, &c, el);
		site_channels_release(&c);
	}
	return r;
}

/* Every NAME.yaml of dir gives exactly the lines of NAME.err. */
static void check_fixtures(const char *dir, int contacts, size_t at_least)
{
	char **files;
	size_t n = plan_list_dir(dir, &files), i;
	assert_true(n >= at_least);
	for (i = 0; i < n; i++) {
		struct error_list el;
		struct strbuf got = STRBUF_INIT, errpath = STRBUF_INIT;
		char *want;
		errlist_init(&el);
		sb_init(&got);
		sb_init(&errpath);
		sb_add(&errpath, files[i], strlen(files[i]) - 5);
		sb_adds(&errpath, ".err");
		want = slurp(errpath.buf);
		if (!want)
			print_error("missing %s\n", errpath.buf);
		assert_non_null(want);
		assert_int_equal(load_any(contacts, files[i], &el), SITREP_EXIT_PLAN);
		assert_true(el.n > 0);
		errlist_format(&el, &got);
		if (strcmp(got.buf, want) != 0)
			print_error("%s:\n--- want\n%s--- got\n%s", files[i], want, got.buf);
		assert_string_equal(got.buf, want);
		free(want);
		sb_release(&got);
		sb_release(&errpath);
		errlist_release(&el);
		free(files[i]);
	}
	free(files);
}

static void test_contact_fixtures(void **state)
{
	(void)state;
	check_fixtures("tests/fixtures/contacts", 1, 5);
}

static void test_channel_fixtures(void **state)
{
	(void)state;
	check_fixtures("tests/fixtures/channels", 0, 4);
}

/* ------------------------------------------------------------------ */
/* Contacts                                                            */

static void test_contacts_example(void **state)
{
	struct site_contacts c;
	struct error_list el;
	const struct site_contact *x;
	size_t i;
	(void)state;
	errlist_init(&el);
	if (site_contacts_load("plans/contacts.example.yaml", &c, &el) != 0)
		print_errors(&el);
	assert_int_equal(el.n, 0);
	assert_string_equal(c.path, "plans/contacts.example.yaml");
	assert_int_equal(c.check_every, 90 * 86400);
	assert_true(c.n >= 6);
	/* one for each of the hotline plan's command roles */
	x = site_contact_find(&c, "zhang.min");
	assert_non_null(x);
	assert_string_equal(x->name, "张敏");
	assert_string_equal(x->phone, "+86 138 0000 0201");
	assert_string_equal(x->email, "zhang.min@example.com");
	assert_int_equal(x->nim, 2);
	assert_string_equal(x->im[0], "wecom:zhangmin");
	assert_string_equal(x->im[1], "dingtalk:zhang-min");
	assert_int_equal(x->nroles, 1);
	assert_string_equal(x->roles[0], "duty_manager");
	assert_string_equal(x->groups[0], "duty");
	assert_int_equal(x->confirmed, 1791417600); /* 2026-10-08T00:00:00Z */
	assert_true(x->line > 1);
	/* by name too */
	assert_ptr_equal(site_contact_find(&c, "张敏"), x);
	assert_null(site_contact_find(&c, "nobody"));
	assert_null(site_contact_find(&c, NULL));
	{
		static const char *const groups[] = { "hq", "duty", "tech", "comfort", "logistics" };
		static const char *const roles[] = { "commander", "duty_manager", "tech_lead",
						     "comms", "legal", "logistics" };
		size_t g, j, k;
		for (g = 0; g < 5; g++) {
			int seen = 0;
			for (i = 0; i < c.n; i++)
				for (j = 0; j < c.v[i].ngroups; j++)
					seen |= !strcmp(c.v[i].groups[j], groups[g]);
			assert_true(seen);
		}
		for (k = 0; k < 6; k++) {
			int seen = 0;
			for (i = 0; i < c.n; i++)
				for (j = 0; j < c.v[i].nroles; j++)
					seen |= !strcmp(c.v[i].roles[j], roles[k]);
			assert_true(seen);
		}
	}
	site_contacts_release(&c);
	assert_int_equal(c.n, 0);
	assert_null(c.path);
	errlist_release(&el);
}

static int load_contacts_text(const char *text, struct site_contacts *c, struct error_list *el)
{
	errlist_init(el);
	return site_contacts_load_buffer("c.yaml", text, strlen(text), c, el);
}

static void assert_contacts_error(const char *text, int line, int col, const char *msg)
{
	struct site_contacts c;
	struct error_list el;
	assert_int_equal(load_contacts_text(text, &c, &el), SITREP_EXIT_PLAN);
	if (el.n != 1 || strcmp(el.v[0].msg, msg) != 0)
		print_errors(&el);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, msg);
	assert_int_equal(el.v[0].line, line);
	assert_int_equal(el.v[0].col, col);
	/* an error leaves nothing behind */
	assert_int_equal(c.n, 0);
	assert_null(c.v);
	errlist_release(&el);
	site_contacts_release(&c);
}

static void test_contacts(void **state)
{
	struct site_contacts c;
	struct error_list el;
	(void)state;
	assert_int_equal(load_contacts_text("sitrep_contacts: 1\ncheck_every: 30d\ncontacts: []\n",
					    &c, &el), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.check_every, 30 * 86400);
	assert_string_equal(c.path, "c.yaml");
	site_contacts_release(&c);
	errlist_release(&el);

	/* leap days are real; everything optional but id and name */
	assert_int_equal(load_contacts_text("sitrep_contacts: 1\ncontacts:\n"
					    "  - {id: a, name: A, confirmed: 2024-02-29}\n"
					    "  - {id: b, name: \"B\", roles: x, groups: [], im: {}}\n",
					    &c, &el), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[0].confirmed, 1709164800);
	assert_int_equal(c.v[0].line, 3);
	assert_null(c.v[1].phone);
	assert_int_equal(c.v[1].confirmed, 0);
	assert_int_equal(c.v[1].nroles, 1);
	assert_int_equal(c.v[1].ngroups, 0);
	assert_int_equal(c.v[1].nim, 0);
	site_contacts_release(&c);
	errlist_release(&el);

	assert_contacts_error("sitrep_contacts: 1\ncontacts:\n  - {id: a}\n", 3, 5,
			      "missing key 'name' in contact");
	assert_contacts_error("sitrep_contacts: 1\ncontacts:\n  - {id: a, name: A, confirmed: 2100-02-29}\n",
			      3, 33, "no such date '2100-02-29' for 'confirmed'");
	assert_contacts_error("sitrep_contacts: 1\ncontacts:\n  - {id: a, name: A, im: {wecom: }}\n",
			      3, 34, "missing value for 'wecom' in 'im'");
	assert_contacts_error("sitrep_contacts: 1\ncontacts:\n  - {id: a, name: A, email: a@b}\n",
			      3, 29, "invalid email 'a@b' (expected name@domain)");
	assert_contacts_error("sitrep_contacts: 1\ncontacts:\n  - {id: a, name: A, grups: [hq]}\n",
			      3, 22, "unknown key 'grups' in contact (did you mean 'groups'?)");
	assert_contacts_error("contacts: []\n", 1, 1, "missing key 'sitrep_contacts' in the contacts file");
	assert_contacts_error("sitrep_contacts: 1\n", 1, 1, "missing key 'contacts' in the contacts file");
	assert_contacts_error("sitrep_contacts: 1\ncontacts: []\n---\nx: 1\n", 3, 1,
			      "a contacts file holds one YAML document, found a second one");
	assert_contacts_error("sitrep_contacts: 1\ncontacts: [*a]\n", 2, 12,
			      "aliases are not allowed in a contacts file ('*a')");
}

/* No file: an empty list, not an error; a file that cannot be read is one. */
static void test_contacts_files(void **state)
{
	struct site_contacts c;
	struct error_list el;
	(void)state;
	errlist_init(&el);
	assert_int_equal(site_contacts_load(NULL, &c, &el), 0);
	assert_int_equal(c.n, 0);
	assert_null(c.path);
	assert_int_equal(c.check_every, 90 * 86400);
	site_contacts_release(&c);
	assert_int_equal(site_contacts_load("tests/fixtures/no-such-contacts.yaml", &c, &el),
			 SITREP_EXIT_PLAN);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].path, "tests/fixtures/no-such-contacts.yaml");
	assert_non_null(strstr(el.v[0].msg, "cannot open"));
	site_contacts_release(&c);
	errlist_release(&el);
}

/* ------------------------------------------------------------------ */
/* Channels                                                            */

static void test_channels_example(void **state)
{
	struct site_channels c;
	struct error_list el;
	const struct site_channel *x;
	(void)state;
	errlist_init(&el);
	if (site_channels_load("plans/channels.example.yaml", &c, &el) != 0)
		print_errors(&el);
	assert_int_equal(el.n, 0);
	assert_int_equal(c.n, 3);
	x = site_channel_find(&c, "mail");
	assert_non_null(x);
	assert_int_equal(x->argc, 1);
	assert_string_equal(x->argv[0], "/usr/local/libexec/sitrep/mail");
	assert_int_equal(x->timeout, 30);
	x = site_channel_find(&c, "sms");
	assert_non_null(x);
	assert_int_equal(x->timeout, 20);
	x = site_channel_find(&c, "wecom");
	assert_non_null(x);
	assert_string_equal(x->argv[0], "/usr/local/libexec/sitrep/wecom-webhook");
	assert_int_equal(x->timeout, 15);
	assert_null(site_channel_find(&c, "fax"));
	assert_null(site_channel_find(&c, NULL));
	site_channels_release(&c);
	errlist_release(&el);
}

static int load_channels_text(const char *text, struct site_channels *c, struct error_list *el)
{
	errlist_init(el);
	return site_channels_load_buffer("ch.yaml", text, strlen(text), c, el);
}

static void assert_channels_error(const char *text, int line, int col, const char *msg)
{
	struct site_channels c;
	struct error_list el;
	assert_int_equal(load_channels_text(text, &c, &el), SITREP_EXIT_PLAN);
	if (el.n != 1 || strcmp(el.v[0].msg, msg) != 0)
		print_errors(&el);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, msg);
	assert_int_equal(el.v[0].line, line);
	assert_int_equal(el.v[0].col, col);
	assert_int_equal(c.n, 0);
	errlist_release(&el);
	site_channels_release(&c);
}

static void test_channels(void **state)
{
	struct site_channels c;
	struct error_list el;
	(void)state;
	/* defaults; arguments are strings whatever they look like */
	assert_int_equal(load_channels_text("pager:\n  command: [page, 30, true, \"\"]\n"
					    "slow: {command: [/bin/slow], timeout: 1h}\n", &c, &el), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].id, "pager");
	assert_int_equal(c.v[0].line, 1);
	assert_int_equal(c.v[0].timeout, 30);
	assert_int_equal(c.v[0].argc, 4);
	assert_string_equal(c.v[0].argv[1], "30");
	assert_string_equal(c.v[0].argv[2], "true");
	assert_string_equal(c.v[0].argv[3], "");
	assert_int_equal(c.v[1].timeout, 3600);
	assert_int_equal(c.v[1].line, 3);
	site_channels_release(&c);
	errlist_release(&el);

	/* comments only: no channels yet, not an error */
	assert_int_equal(load_channels_text("# email:\n#   command: [sendmail, -t]\n", &c, &el), 0);
	assert_int_equal(c.n, 0);
	site_channels_release(&c);
	errlist_release(&el);

	assert_channels_error("sms: {command: [send], timeout: 3601s}\n", 1, 33,
			      "timeout '3601s' is longer than the limit of 1h");
	assert_channels_error("sms: {command: [\"\"]}\n", 1, 17, "empty program name in 'command'");
	assert_channels_error("sms: {command: [./send]}\n", 1, 17,
			      "program './send' must be an absolute path or a bare name looked up in PATH");
	assert_channels_error("sms: {command: [send, ~]}\n", 1, 23,
			      "expected a string in 'command', found nothing");
	assert_channels_error("sms: {command: ~}\n", 1, 16,
			      "expected a list [PROGRAM, ARG...] for 'command' (it runs without a shell), "
			      "found nothing");
	assert_channels_error("sms: {command: [send], timout: 1m}\n", 1, 24,
			      "unknown key 'timout' in channel (did you mean 'timeout'?)");
	assert_channels_error("sms: {command: [send]}\nsms: {command: [send2]}\n", 2, 1,
			      "duplicate key 'sms' (first at line 1)");
	assert_channels_error("sms:\n", 1, 5,
			      "expected a mapping with 'command' (and 'timeout') for channel 'sms', "
			      "found nothing");
}

/* NUL bytes and UTF-16: refused as for plans, naming the file. */
static void test_not_utf8(void **state)
{
	static const char nul[] = "sms:\n  command: [send\0]\n";
	static const char u16[] = "s\0m\0s\0:\0";
	struct site_channels ch;
	struct site_contacts co;
	struct error_list el;
	(void)state;
	errlist_init(&el);
	assert_int_equal(site_channels_load_buffer("ch.yaml", nul, sizeof nul - 1, &ch, &el),
			 SITREP_EXIT_PLAN);
	assert_int_equal(el.n, 1);
	assert_int_equal(el.v[0].line, 2);
	assert_int_equal(el.v[0].col, 17);
	assert_string_equal(el.v[0].msg, "the channels file holds a NUL byte; save it as UTF-8 text");
	errlist_release(&el);
	assert_int_equal(site_contacts_load_buffer("co.yaml", u16, sizeof u16 - 1, &co, &el),
			 SITREP_EXIT_PLAN);
	assert_int_equal(el.n, 1);
	assert_string_equal(el.v[0].msg, "the contacts file is UTF-16; save it as UTF-8");
	errlist_release(&el);
	site_channels_release(&ch);
	site_contacts_release(&co);
}

/* ------------------------------------------------------------------ */
/* Where the files are                                                 */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_paths(void **state)
{
	char tmpl[] = "/tmp/sitrep-site-XXXXXX";
	char *dir = mkdtemp(tmpl), *p;
	struct strbuf sb = STRBUF_INIT, home = STRBUF_INIT;
	struct stat st;
	(void)state;
	assert_non_null(dir);
	sb_init(&sb);
	sb_init(&home);
	/* the environment wins, whether the file exists or not */
	setenv("SITREP_CONTACTS", "/nowhere/contacts.yaml", 1);
	setenv("SITREP_CHANNELS", "/nowhere/channels.yaml", 1);
	p = site_contacts_path();
	assert_string_equal(p, "/nowhere/contacts.yaml");
	free(p);
	p = site_channels_path();
	assert_string_equal(p, "/nowhere/channels.yaml");
	free(p);
	unsetenv("SITREP_CONTACTS");
	setenv("SITREP_CHANNELS", "", 1); /* set but empty: as if unset */

	/* $XDG_CONFIG_HOME/sitrep/NAME when it exists */
	setenv("XDG_CONFIG_HOME", dir, 1);
	sb_addf(&sb, "%s/sitrep", dir);
	assert_int_equal(mkdir(sb.buf, 0700), 0);
	sb_adds(&sb, "/contacts.yaml");
	write_file(sb.buf, "sitrep_contacts: 1\ncontacts: []\n");
	p = site_contacts_path();
	assert_string_equal(p, sb.buf);
	free(p);
	/* no channels file there (and none in /etc on a test machine) */
	p = site_channels_path();
	if (stat("/etc/sitrep/channels.yaml", &st) == 0)
		assert_string_equal(p, "/etc/sitrep/channels.yaml");
	else
		assert_null(p);
	free(p);

	/* a relative XDG_CONFIG_HOME is ignored: ~/.config */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	sb_addf(&home, "%s/home", dir);
	assert_int_equal(mkdir(home.buf, 0700), 0);
	setenv("HOME", home.buf, 1);
	sb_adds(&home, "/.config");
	assert_int_equal(mkdir(home.buf, 0700), 0);
	sb_adds(&home, "/sitrep");
	assert_int_equal(mkdir(home.buf, 0700), 0);
	sb_adds(&home, "/channels.yaml");
	write_file(home.buf, "sms: {command: [send]}\n");
	p = site_channels_path();
	assert_string_equal(p, home.buf);
	free(p);

	unlink(home.buf);
	unlink(sb.buf);
	sb_reset(&sb);
	sb_addf(&sb, "%s/home/.config/sitrep", dir);
	rmdir(sb.buf);
	sb_reset(&sb);
	sb_addf(&sb, "%s/home/.config", dir);
	rmdir(sb.buf);
	sb_reset(&sb);
	sb_addf(&sb, "%s/home", dir);
	rmdir(sb.buf);
	sb_reset(&sb);
	sb_addf(&sb, "%s/sitrep", dir);
	rmdir(sb.buf);
	assert_int_equal(rmdir(dir), 0);
	unsetenv("SITREP_CHANNELS");
	unsetenv("XDG_CONFIG_HOME");
	sb_release(&sb);
	sb_release(&home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contact_fixtures),
		cmocka_unit_test(test_channel_fixtures),
		cmocka_unit_test(test_contacts_example),
		cmocka_unit_test(test_contacts),
		cmocka_unit_test(test_contacts_files),
		cmocka_unit_test(test_channels_example),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

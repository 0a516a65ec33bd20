/* sitrep: the foundation's entry point. Until the journal, the engine and
 * the console land, sitrep validates and shows plans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>

#include "sitrep/plan.h"
#include "sitrep/util.h"

static int usage(FILE *f, int code)
{
	fputs("usage: sitrep [--plans DIR] plan check FILE...\n"
	      "       sitrep [--plans DIR] plan show NAME\n"
	      "       sitrep [--plans DIR]            list the plans\n", f);
	return code;
}

static int check(int argc, char **argv)
{
	int i, rc = SITREP_EXIT_OK;
	if (argc < 1)
		return usage(stderr, SITREP_EXIT_USAGE);
	for (i = 0; i < argc; i++) {
		struct error_list errs;
		struct plan *p;
		errlist_init(&errs);
		p = plan_load_file(argv[i], &errs);
		if (p) {
			printf("%s: ok (%s)\n", argv[i], p->id);
			plan_free(p);
		} else {
			struct strbuf sb = STRBUF_INIT;
			sb_init(&sb);
			errlist_format(&errs, &sb);
			fputs(sb.buf, stderr);
			sb_release(&sb);
			rc = SITREP_EXIT_PLAN;
		}
		errlist_release(&errs);
	}
	return rc;
}

static int show(const char *dir, const char *name)
{
	struct error_list errs;
	struct strbuf sb = STRBUF_INIT;
	struct plan *p;
	errlist_init(&errs);
	sb_init(&sb);
	p = plan_find(dir, name, &errs);
	if (!p) {
		errlist_format(&errs, &sb);
		fputs(sb.buf, stderr);
		sb_release(&sb);
		errlist_release(&errs);
		return SITREP_EXIT_PLAN;
	}
	plan_describe(p, &sb);
	fputs(sb.buf, stdout);
	sb_release(&sb);
	plan_free(p);
	errlist_release(&errs);
	return SITREP_EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *dir = getenv("SITREP_PLANS");
	int i = 1;
	setlocale(LC_ALL, "");
	if (!dir)
		dir = "plans";
	if (i + 1 < argc && !strcmp(argv[i], "--plans")) {
		dir = argv[i + 1];
		i += 2;
	}
	if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")))
		return usage(stdout, SITREP_EXIT_OK);
	if (i + 1 < argc && !strcmp(argv[i], "plan") && !strcmp(argv[i + 1], "check"))
		return check(argc - i - 2, argv + i + 2);
	if (i + 2 < argc && !strcmp(argv[i], "plan") && !strcmp(argv[i + 1], "show"))
		return show(dir, argv[i + 2]);
	if (i == argc) {
		char **files;
		size_t n = plan_list_dir(dir, &files), k;
		printf("plans in %s:\n", dir);
		for (k = 0; k < n; k++) {
			printf("  %s\n", files[k]);
			free(files[k]);
		}
		free(files);
		return SITREP_EXIT_OK;
	}
	return usage(stderr, SITREP_EXIT_USAGE);
}

# sitrep - terminal incident-command console
# make [all|run|test|bench|install|uninstall|clean]   (V=1 for verbose)

PKG_CONFIG ?= pkg-config
prefix ?= /usr/local
bindir ?= $(prefix)/bin
datadir ?= $(prefix)/share
mandir ?= $(datadir)/man
CC ?= cc
CFLAGS ?= -O2 -g
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

PKGS = ncursesw yaml-0.1 sqlite3 libsodium jansson libpq
TEST_PKGS = cmocka
# Recursive (=) so pkg-config runs only once the deps step has made sure the
# packages are there.
# Feature macros are set once here for every file (pkg-config's own -D flags
# would clash with them): POSIX 2008 + XSI, and ncursesw's wide API.
PKG_CFLAGS = $(filter-out -D%,$(shell $(PKG_CONFIG) --cflags $(PKGS)))
FEATURES = -D_XOPEN_SOURCE=700 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE_EXTENDED -DNCURSES_WIDECHAR=1
# libpq is not linked: src/journal_pg.c loads it (dlopen) when a URL is
# first opened, so that a command on an SQLite journal does not pay for its
# thirty libraries at start-up.
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(filter-out libpq,$(PKGS))) -ldl -pthread
TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS))
TEST_LIBS = $(shell $(PKG_CONFIG) --libs $(TEST_PKGS))

WARN = -std=c11 -Wall -Wextra -Wpedantic
localedir ?= $(datadir)/locale
ALL_CFLAGS = $(WARN) $(FEATURES) -pthread -Iinclude -DSITREP_DATADIR='"$(datadir)/sitrep"' \
	-DSITREP_LOCALEDIR='"$(localedir)"' $(PKG_CFLAGS) $(CFLAGS)

ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-6s %s\n'
endif

SRC := $(sort $(wildcard src/*.c) $(wildcard src/tui/*.c))
LIB_SRC := $(filter-out src/main.c,$(SRC))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_NAMES := $(patsubst tests/unit/%.c,%,$(UNIT_SRC))

# Two builds of everything: build/ (plain) and build/asan/ (sanitizers).
OBJ := $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC))
ASAN_OBJ := $(patsubst src/%.c,build/asan/obj/%.o,$(LIB_SRC))

# The languages the console speaks besides English (po/LANG.po). Set before
# any rule names the catalogues: make expands a rule's prerequisites as it
# reads it.
LANGS = zh_CN

DEPS_STAMP = build/.deps-ok
TEST_DEPS_STAMP = build/.deps-test-ok

.PHONY: all run test unit e2e bench bench-journal install uninstall clean deps check-rooms fuzz memcheck pot po-check
all: build/sitrep

deps: $(DEPS_STAMP)
$(DEPS_STAMP): scripts/deps.sh
	$(Q)sh scripts/deps.sh
	@mkdir -p build && touch $@
$(TEST_DEPS_STAMP): scripts/deps.sh
	$(Q)sh scripts/deps.sh --test
	@mkdir -p build && touch $@

# The plain build is hardened (the sanitizer build checks the same code).
HARDEN = -D_FORTIFY_SOURCE=2 -fstack-protector-strong

build/obj/%.o: src/%.c | $(DEPS_STAMP)
	$(say) CC $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(HARDEN) -MMD -MP -c -o $@ $<

build/asan/obj/%.o: src/%.c | $(DEPS_STAMP)
	$(say) CC-SAN $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

build/libsitrep.a: $(OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

build/asan/libsitrep.a: $(ASAN_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

build/sitrep: build/obj/main.o build/libsitrep.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/asan/sitrep: build/asan/obj/main.o build/asan/libsitrep.a
	$(say) LINK $@
	$(Q)$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS) $(LDFLAGS)

build/obj/main.o: src/main.c | $(DEPS_STAMP)
	$(say) CC $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(HARDEN) -MMD -MP -c -o $@ $<

build/asan/obj/main.o: src/main.c | $(DEPS_STAMP)
	$(say) CC-SAN $<
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

# Unit tests (cmocka), built with the sanitizers.
build/asan/tests/%: tests/unit/%.c build/asan/libsitrep.a | $(TEST_DEPS_STAMP)
	$(say) TEST $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) $(SAN_FLAGS) -o $@ $< build/asan/libsitrep.a $(PKG_LIBS) $(TEST_LIBS) $(LDFLAGS)

# Plain build of a unit test (handy for debugging: make build/tests/test_plan).
build/tests/%: tests/unit/%.c build/libsitrep.a | $(TEST_DEPS_STAMP)
	$(say) TEST $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -o $@ $< build/libsitrep.a $(PKG_LIBS) $(TEST_LIBS) $(LDFLAGS)

# Fuzz targets (clang's libFuzzer, tests/fuzz/README.md):
#   make fuzz [FUZZ_SECONDS=seconds per target]
# plan, contacts, channels: the YAML readers; time: the time and duration
# parsers; payload: the JSON sitrep reads back (journal and replay); csv:
# the readings import; scenario: the scenario parser and runner.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
FUZZ_LIB_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_TARGETS = plan contacts channels time payload csv scenario
# everything but the console and main: the app-level targets drive app
FUZZ_LIB_SRC = $(filter-out src/main.c src/cli.c src/tui/%,$(SRC))
FUZZ_OBJ = $(patsubst src/%.c,build/fuzz/obj/%.o,$(FUZZ_LIB_SRC))
FUZZ_LIBS = $(PKG_LIBS) -lm

build/fuzz/obj/%.o: src/%.c | $(DEPS_STAMP)
	$(say) FUZZCC $<
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(WARN) $(FEATURES) -Iinclude $(PKG_CFLAGS) $(FUZZ_LIB_FLAGS) \
		-DSITREP_DATADIR='"$(datadir)/sitrep"' -DSITREP_LOCALEDIR='"$(localedir)"' -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ) | $(DEPS_STAMP)
	$(say) FUZZ $@
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(WARN) $(FEATURES) -Iinclude $(PKG_CFLAGS) $(FUZZ_FLAGS) -o $@ $< \
		$(FUZZ_OBJ) $(FUZZ_LIBS) $(LDFLAGS)

fuzz: $(addprefix build/fuzz/fuzz_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p build/fuzz/corpus-$$t build/fuzz/artifacts-$$t && \
		dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
		case $$t in plan|contacts|channels) dict=-dict=tests/fuzz/yaml.dict ;; esac; \
		echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		build/fuzz/fuzz_$$t build/fuzz/corpus-$$t tests/fuzz/corpus/$$t \
			$$dict -max_len=8192 -timeout=20 -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=build/fuzz/artifacts-$$t/ 2>build/fuzz/$$t.log || \
			{ tail -n 40 build/fuzz/$$t.log; exit 1; }; \
		grep -h "Done [0-9]* runs" build/fuzz/$$t.log | sed "s/^/fuzz: $$t: /"; \
	done

run: build/sitrep $(foreach l,$(LANGS),build/locale/$(l)/LC_MESSAGES/sitrep.mo)
	./build/sitrep --plans plans

# Translations (GNU gettext): po/sitrep.pot from the sources (make pot),
# po/zh_CN.po complete, compiled into build/locale where an uninstalled
# build finds it (i18n.c), installed under $(localedir).
POT_SRC = $(sort $(wildcard src/*.c src/tui/*.c src/*.h src/tui/*.h include/sitrep/*.h))
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --add-comments=TRANSLATORS \
	--keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=refuse:3 --keyword=invalid:3 --keyword=NC_:1c,2 --keyword=ydoc_err:3 --keyword=ydoc_err_at:4 \
	--flag=refuse:3:c-format --flag=invalid:3:c-format --flag=ydoc_err:3:c-format --flag=ydoc_err_at:4:c-format --flag=_:1:pass-c-format \
	--package-name=sitrep --msgid-bugs-address=sitrep --sort-by-file

pot:
	$(say) POT po/sitrep.pot
	$(Q)xgettext $(XGETTEXT_FLAGS) -o po/sitrep.pot $(POT_SRC)
	$(Q)for l in $(LANGS); do msgmerge -q --update --backup=none --no-fuzzy-matching po/$$l.po po/sitrep.pot; done

print-xgettext-flags:
	@echo $(XGETTEXT_FLAGS)
print-pot-src:
	@echo $(POT_SRC)

build/locale/%/LC_MESSAGES/sitrep.mo: po/%.po | $(DEPS_STAMP)
	$(say) MSGFMT $@
	@mkdir -p $(dir $@)
	$(Q)msgfmt --check -o $@ $<

# Every message translated, nothing fuzzy, the catalogue in step with the
# sources (make pot regenerates it).
po-check: $(foreach l,$(LANGS),build/locale/$(l)/LC_MESSAGES/sitrep.mo)
	@sh scripts/po-check.sh $(LANGS)

# The library rooms: each third-party header in exactly one place.
check-rooms:
	@sh scripts/check-rooms.sh

unit: $(addprefix build/asan/tests/,$(UNIT_NAMES))
	@sh tests/run-units.sh $(addprefix build/asan/tests/,$(UNIT_NAMES))

e2e: build/asan/sitrep build/sitrep $(foreach l,$(LANGS),build/locale/$(l)/LC_MESSAGES/sitrep.mo)
	@sh tests/e2e/run.sh build/asan/sitrep

test: $(TEST_DEPS_STAMP) build/sitrep build/asan/sitrep check-rooms po-check
	@sh tests/with-pg.sh $(MAKE) --no-print-directory unit e2e

# The journal alone against plain SQLite on the same schema, on an
# incident of BENCH_N entries (tests/bench/journal_bench.c).
BENCH_N ?= 1000000
JOURNAL_SRC := $(filter src/journal%.c,$(LIB_SRC)) src/util.c src/text.c
build/journal_bench: tests/bench/journal_bench.c $(JOURNAL_SRC) src/journal_int.h | $(DEPS_STAMP)
	$(say) LINK $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ tests/bench/journal_bench.c $(JOURNAL_SRC) $(PKG_LIBS) $(LDFLAGS)

bench-journal: build/journal_bench
	@./build/journal_bench $(BENCH_N)

# valgrind on the unit tests (plain build) and a command-line session:
# any error or leak fails.
memcheck: $(addprefix build/tests/,$(UNIT_NAMES)) build/sitrep
	@sh tests/memcheck.sh $(addprefix build/tests/,$(UNIT_NAMES))

build/bench/bench_run: tests/bench/bench_run.c | $(DEPS_STAMP)
	$(say) LINK $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(WARN) $(FEATURES) $(CFLAGS) -o $@ $<

build/bench/console_bench: tests/bench/console_bench.c build/libsitrep.a | $(DEPS_STAMP)
	$(say) LINK $@
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< build/libsitrep.a $(PKG_LIBS) $(LDFLAGS)

# Every figure of docs/performance.md with its baseline (tests/bench/run.sh;
# BENCH_N entries, BENCH_RUNS runs), then the journal alone against SQLite.
bench: build/sitrep build/bench/bench_run build/bench/console_bench $(TEST_DEPS_STAMP)
	@sh tests/bench/run.sh build/sitrep build/bench
	@$(MAKE) --no-print-directory bench-journal

install: build/sitrep $(foreach l,$(LANGS),build/locale/$(l)/LC_MESSAGES/sitrep.mo)
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(datadir)/sitrep/plans/scenarios $(DESTDIR)$(mandir)/man1
	install -m 755 build/sitrep $(DESTDIR)$(bindir)/sitrep
	install -m 644 plans/*.yaml $(DESTDIR)$(datadir)/sitrep/plans/
	install -m 644 plans/scenarios/*.scn $(DESTDIR)$(datadir)/sitrep/plans/scenarios/
	install -m 644 docs/sitrep.1 $(DESTDIR)$(mandir)/man1/sitrep.1
	install -d $(DESTDIR)$(mandir)/zh_CN/man1 $(DESTDIR)$(datadir)/bash-completion/completions
	install -m 644 docs/sitrep.zh_CN.1 $(DESTDIR)$(mandir)/zh_CN/man1/sitrep.1
	install -m 644 scripts/sitrep.bash-completion $(DESTDIR)$(datadir)/bash-completion/completions/sitrep
	for l in $(LANGS); do \
		install -d $(DESTDIR)$(localedir)/$$l/LC_MESSAGES && \
		install -m 644 build/locale/$$l/LC_MESSAGES/sitrep.mo $(DESTDIR)$(localedir)/$$l/LC_MESSAGES/sitrep.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(bindir)/sitrep $(DESTDIR)$(mandir)/man1/sitrep.1
	rm -f $(DESTDIR)$(mandir)/zh_CN/man1/sitrep.1 $(DESTDIR)$(datadir)/bash-completion/completions/sitrep
	for l in $(LANGS); do rm -f $(DESTDIR)$(localedir)/$$l/LC_MESSAGES/sitrep.mo; done
	rm -rf $(DESTDIR)$(datadir)/sitrep

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d) build/obj/main.d build/asan/obj/main.d

# bkgen: one plain Makefile. `make` builds ./bkgen, `make test` runs every
# test, `make test-asan` runs the unit and end-to-end tests again under
# ASan+UBSan (also with CC=clang), `make demo` runs a real check,
# `make install PREFIX=... DESTDIR=...` installs.

CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
VERSION := 0.1.0

PKGS := libgit2 yaml-0.1 libpcre2-8 jansson libcurl
# Deferred: evaluated after `deps` has installed the packages.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))

NODE := deps/node_modules
TSLIB := $(NODE)/tree-sitter/vendor/tree-sitter/lib
GRAMMARS := c:tree-sitter-c/src javascript:tree-sitter-javascript/src \
	python:tree-sitter-python/src go:tree-sitter-go/src \
	rust:tree-sitter-rust/src csharp:tree-sitter-c-sharp/src \
	typescript:tree-sitter-typescript/typescript/src \
	tsx:tree-sitter-typescript/tsx/src
GRAMMAR_NAMES := $(foreach g,$(GRAMMARS),$(firstword $(subst :, ,$(g))))
grammar_dir = $(NODE)/$(word 2,$(subst :, ,$(filter $(1):%,$(GRAMMARS))))

OPT ?= -O2 -g
SAN ?=
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(SAN) $(WARN) -MMD -MP \
	-I. -Ianalyzers -I$(TSLIB)/include $(PKG_CFLAGS) \
	-DBK_VERSION='"$(VERSION)"' -DBK_DATADIR='"$(PREFIX)/share/bkgen"' \
	-DBK_PLUGINDIR='"$(PREFIX)/lib/bkgen/plugins"'
LDLIBS_ALL = $(PKG_LIBS) -lpthread

BASE_SRCS := $(sort $(wildcard analyzers/base/*.c))
LINT_SRCS := $(sort $(wildcard analyzers/lint/*.c))
TEMPLATE_SRCS := $(sort $(wildcard analyzers/template/*.c))
PROBE_SRCS := $(sort $(wildcard analyzers/probe/*.c))
EXPLAIN_SRCS := $(sort $(wildcard analyzers/explain/*.c))
CORE_SRCS := $(BASE_SRCS) $(LINT_SRCS) $(TEMPLATE_SRCS) $(PROBE_SRCS) $(EXPLAIN_SRCS)
CLI_SRCS := cli/main.c cli/opt.c cli/setup.c cli/message.c cli/output.c cli/output-text.c \
	cli/output-json.c cli/cmd-check.c cli/cmd-rules.c cli/cmd-help.c cli/cmd-version.c \
	cli/cmd-new.c cli/cmd-complete.c cli/cmd-probe.c cli/cmd-hook.c cli/cmd-explain.c
RULE_FILES := $(sort $(wildcard rules/*.yml))
TEST_SRCS := $(sort $(wildcard tests/unit/*/*.c))

CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/builtin-rules.o
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/%.o)
TS_OBJS := $(BUILD)/ts/runtime.o \
	$(foreach n,$(GRAMMAR_NAMES),$(BUILD)/ts/$(n)-parser.o $(BUILD)/ts/$(n)-scanner.o)
LIB := $(BUILD)/libbkgen.a
# Everything of the CLI but main(), so unit tests can link the writers.
CLI_LIB := $(BUILD)/libbkgen-cli.a
DEPS_OK := $(BUILD)/.deps-ok
# Database plugins: shared objects loaded with dlopen by `bkgen explain`.
# The postgres plugin is the only code that includes libpq.
PLUGIN_DIR := $(BUILD)/plugins
PLUGINS := $(PLUGIN_DIR)/bkgen-db-postgres.so
PQ_CFLAGS = $(shell pkg-config --cflags libpq)
PQ_LIBS = $(shell pkg-config --libs libpq)

.PHONY: all deps lint test test-unit test-e2e test-templates test-asan demo install clean bench \
	completions man
all: bkgen

deps: $(DEPS_OK)
$(DEPS_OK): tools/deps.sh deps/debian-packages.txt deps/package-lock.json
	@mkdir -p $(BUILD)
	tools/deps.sh
	@touch $@

bkgen: $(BUILD)/bkgen $(PLUGINS)
	cp $< $@
	@mkdir -p plugins && cp $(PLUGINS) plugins/

$(BUILD)/bkgen: $(BUILD)/cli/main.o $(CLI_LIB) $(LIB) | $(PLUGINS)
	$(CC) $(SAN) -o $@ $(BUILD)/cli/main.o $(CLI_LIB) $(LIB) $(LDLIBS_ALL) -ldl

# Only the entry point is exported; util.c comes along, hidden.
$(PLUGIN_DIR)/bkgen-db-%.so: analyzers/plugins/%.c analyzers/base/util.c analyzers/explain/dbplugin.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(PQ_CFLAGS) -fPIC -fvisibility=hidden -shared -o $@ $< analyzers/base/util.c $(PQ_LIBS)

$(CLI_LIB): $(filter-out $(BUILD)/cli/main.o,$(CLI_OBJS))
	@rm -f $@
	ar rcs $@ $^

$(LIB): $(CORE_OBJS) $(TS_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/gen/builtin-rules.c: tools/embed.sh $(RULE_FILES)
	@mkdir -p $(dir $@)
	tools/embed.sh $(RULE_FILES) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/builtin-rules.o: $(BUILD)/gen/builtin-rules.c
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# Third-party C sources: built with their own flags, warnings are theirs.
TS_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(OPT) $(SAN) -w
$(BUILD)/ts/runtime.o: | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(TS_CFLAGS) -I$(TSLIB)/include -I$(TSLIB)/src -c $(TSLIB)/src/lib.c -o $@

$(BUILD)/ts/%-parser.o: | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(TS_CFLAGS) -I$(call grammar_dir,$*) -c $(call grammar_dir,$*)/parser.c -o $@

# A grammar without an external scanner gets an empty object.
$(BUILD)/ts/%-scanner.o: | $(DEPS_OK)
	@mkdir -p $(dir $@)
	@if [ -f $(call grammar_dir,$*)/scanner.c ]; then \
		echo "$(CC) -c $(call grammar_dir,$*)/scanner.c"; \
		$(CC) $(TS_CFLAGS) -I$(call grammar_dir,$*) -c $(call grammar_dir,$*)/scanner.c -o $@; \
	else echo '' | $(CC) -x c -c - -o $@; fi

# ---- tests ----
# A plugin built for the wrong ABI, for tests/unit/db/load.c.
$(BUILD)/plugins-test/bkgen-db-badabi.so: tests/unit/db/fixtures/badabi-plugin.c analyzers/explain/dbplugin.h | $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -shared -o $@ $<

$(BUILD)/unit-tests: $(TEST_OBJS) $(CLI_LIB) $(LIB) | $(PLUGINS) $(BUILD)/plugins-test/bkgen-db-badabi.so
	$(CC) $(SAN) -o $@ $(TEST_OBJS) $(CLI_LIB) $(LIB) $(LDLIBS_ALL) -ldl -lcriterion

test: test-unit test-e2e test-templates

test-unit: $(BUILD)/unit-tests $(BUILD)/bkgen
	BKGEN_SRCDIR=$(CURDIR) $(BUILD)/unit-tests --jobs 2

test-e2e: $(BUILD)/bkgen
	tests/e2e/lint.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/run.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/docs.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/new.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/git.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/probe.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/explain.sh
	tests/e2e/pgtmp.sh
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/e2e/bad-input.sh

# Every template rendered by `bkgen new`, then built and tested where it lands.
test-templates: $(BUILD)/bkgen
	BKGEN=$(CURDIR)/$(BUILD)/bkgen tests/templates/run.sh

# One build directory per compiler: `make test-asan CC=clang` as well (clang's
# UBSan also reports arithmetic on null pointers, which GCC's does not).
test-asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	$(MAKE) BUILD=build/asan-$(notdir $(firstword $(CC))) OPT='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' test-unit test-e2e

# The layering of analyzers/, owners of foreign headers, banned functions
# (analyzers/base/banned.h), mandoc -T lint of the man pages.
lint: | $(DEPS_OK)
	tools/lint.sh

demo: bkgen
	tools/demo.sh

bench: bkgen
	bench/check

# Generated from the binary's own tables and rules/*.yml, committed, and
# compared with a fresh generation by tests/e2e/docs.sh.
completions: $(BUILD)/bkgen
	python3 tools/gen-completions.py $(BUILD)/bkgen completions

# The pages whose lists of plan rules and probe checks come from the tables.
MAN_LISTED := man/bkgen-explain.1 man/bkgen-probe.1

man: $(BUILD)/bkgen
	python3 tools/gen-rules-man.py $(BUILD)/bkgen > man/bkgen-rules.7.tmp
	mv man/bkgen-rules.7.tmp man/bkgen-rules.7
	for m in $(MAN_LISTED); do \
		python3 tools/gen-man-lists.py $(BUILD)/bkgen $$m > $$m.tmp && mv $$m.tmp $$m || exit 1; done

MAN_PAGES := $(wildcard man/*.[1-9])
COMPLETIONS := $(wildcard completions/*)

# Templates are installed as git lists them (tracked or not ignored), so
# build outputs of a template built in place stay behind.
install: bkgen
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bkgen/rules
	install -m 755 bkgen $(DESTDIR)$(PREFIX)/bin/bkgen
	install -d $(DESTDIR)$(PREFIX)/lib/bkgen/plugins
	install -m 755 $(PLUGINS) $(DESTDIR)$(PREFIX)/lib/bkgen/plugins/
	install -m 644 $(RULE_FILES) $(DESTDIR)$(PREFIX)/share/bkgen/rules/
	{ git ls-files --cached --others --exclude-standard -- templates 2>/dev/null || \
		find templates -type f ! -path '*/build/*' ! -name '*.o' ! -name '*.d' 2>/dev/null; } | \
	while IFS= read -r f; do [ -f "$$f" ] && [ ! -L "$$f" ] || continue; \
		m=644; [ -x "$$f" ] && m=755; \
		install -D -m $$m "$$f" "$(DESTDIR)$(PREFIX)/share/bkgen/$$f" || exit 1; done
	for m in $(MAN_PAGES); do \
		s=$${m##*.}; install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
		install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; done
	for c in $(COMPLETIONS); do case $$c in \
		*.bash) install -D -m 644 $$c $(DESTDIR)$(PREFIX)/share/bash-completion/completions/bkgen;; \
		*/_bkgen) install -D -m 644 $$c $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_bkgen;; \
		*.fish) install -D -m 644 $$c $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/bkgen.fish;; \
		esac; done

clean:
	rm -rf $(BUILD) bkgen plugins

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

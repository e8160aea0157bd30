# corral build. Every .c under a module folder goes into that module's
# archive, except *-main.c files, which are program entry points. Programs
# link the archives in the dependency order of DESIGN.md.

.DEFAULT_GOAL := all
VERSION  = 0.1.0
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= gcc

ifeq ($(SANITIZE),1)
BUILD   ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD   ?= build
SANFLAGS =
endif

PKGS     = ncursesw libnl-3.0 libnl-route-3.0 libselinux libxml-2.0 vterm jansson libcrypt
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_CFLAGS := $(shell pkg-config --cflags criterion 2>/dev/null)
CRIT_LIBS   := $(shell pkg-config --libs criterion 2>/dev/null)

CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -DCORRAL_VERSION=\"$(VERSION)\" -Wall -Wextra -Werror -Wshadow -Wformat=2 \
           -Wno-unused-parameter -I. $(PKG_CFLAGS) $(SANFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS) -Wl,--as-needed
LDLIBS  += $(PKG_LIBS) -lutil

# Quiet rules unless V=1, so that warnings stand out.
ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-5s %s\n'
endif

MODULES  = tui console engine config lib
ARCHIVES = $(foreach m,$(MODULES),$(BUILD)/lib$(m).a)

define module_objs
$(patsubst %.c,$(BUILD)/%.o,$(filter-out %-main.c,$(wildcard $(1)/*.c)))
endef

$(foreach m,$(MODULES),$(eval $(BUILD)/lib$(m).a: $(call module_objs,$(m))))

# corral runs the engine verbs with libc and jansson alone; it hands the
# TUI and the verbs that need ncurses, libvterm, libxml2 or libcrypt over to
# corral-tui. The archives are static and linked --as-needed, so a library
# drops out of corral's NEEDED once nothing corral links refers to it.
PROGRAMS = $(BUILD)/corral $(BUILD)/corral-tui $(BUILD)/corrald $(BUILD)/corral-monitor
MAIN_corral         = tui/corral-main.c
MAIN_corral-tui     = tui/corral-tui-main.c
MAIN_corrald        = engine/corrald-main.c
MAIN_corral-monitor = engine/monitor-main.c

UNIT_SRCS  = $(wildcard tests/unit/test-*.c)
UNIT_BINS  = $(patsubst %.c,$(BUILD)/%,$(UNIT_SRCS))

.PHONY: all deps check run install uninstall man clean format lint unit fuzz fuzz-build
all: $(PROGRAMS)

deps:
	@sh mk/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/lib%.a:
	@mkdir -p $(dir $@)
	@rm -f $@
	$(say) AR $@
	$(Q)$(AR) rcs $@ $^

$(BUILD)/lib%.a: | $(BUILD)/.dir
$(BUILD)/.dir:
	@mkdir -p $(BUILD) && touch $@

define program_rule
$(BUILD)/$(1): $(BUILD)/$(patsubst %.c,%.o,$(MAIN_$(1))) $(ARCHIVES)
	$$(say) LD $$@
	$$(Q)$$(CC) $$(LDFLAGS) $$(LDFLAGS_$(1)) -o $$@ $$^ $$(or $$(LDLIBS_$(1)),$$(LDLIBS))
endef

# corral-monitor lives as long as its container, one per container: linked
# statically it maps only the code it runs (VmRSS about 1.5 MB rather than
# 2.9 MB of mostly untouched shared-library pages) and skips the dynamic
# loader at every start. The price: a fix in libnl, jansson, libselinux or
# glibc reaches it with a rebuild. glibc's warnings about NSS functions are
# silenced: only libnl's and libselinux's unused paths refer to them, never
# the monitor (which reads the container's own /etc/passwd itself). The
# sanitizers need the dynamic runtime.
ifneq ($(SANITIZE),1)
LDFLAGS_corral-monitor = -static-pie -Wl,--no-warnings
LDLIBS_corral-monitor  = $(shell pkg-config --static --libs libnl-route-3.0 libnl-3.0 libselinux jansson 2>/dev/null) -lutil
endif
$(foreach p,corral corral-tui corrald corral-monitor,$(eval $(call program_rule,$(p))))

$(BUILD)/tests/unit/%: tests/unit/%.c $(ARCHIVES)
	@mkdir -p $(dir $@)
	$(say) TEST $@
	$(Q)$(CC) $(CFLAGS) $(CRIT_CFLAGS) -o $@ $< $(ARCHIVES) $(LDFLAGS) $(LDLIBS) $(CRIT_LIBS)

unit: $(UNIT_BINS)

check: deps
	$(MAKE) all unit fuzz-build
	@BUILD=$(BUILD) FUZZ_SECONDS=30 FUZZ_SPECS="$(FUZZ_SPECS)" sh tests/run.sh

run: deps all
	@sh mk/run.sh $(BUILD)

BINDIR     = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec/corral
DATADIR    = $(PREFIX)/share/corral
DOCDIR     = $(PREFIX)/share/doc/corral
MANDIR     = $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
UNITDIR    ?= $(PREFIX)/lib/systemd/system
MANPAGES   = $(BUILD)/man/corral.1 $(BUILD)/man/corrald.8 $(BUILD)/man/corral-domain.5

# The pages' verb and ignored-XML sections come from the program itself.
$(BUILD)/man/%: man/%.in $(BUILD)/corral $(BUILD)/corral-tui mk/man.sh
	@mkdir -p $(dir $@)
	$(say) MAN $@
	$(Q)sh mk/man.sh $(BUILD)/corral $< $@ $(VERSION) $(DOCDIR) $(DATADIR)

$(BUILD)/corrald.service: dist/corrald.service.in
	$(Q)sed 's|@BINDIR@|$(BINDIR)|g' $< >$@

man: $(MANPAGES)

install: all $(MANPAGES) $(BUILD)/corrald.service
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)/examples \
	        $(DESTDIR)$(DOCDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	        $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BUILD)/corral $(BUILD)/corrald $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BUILD)/corral-monitor $(BUILD)/corral-tui $(DESTDIR)$(LIBEXECDIR)/
	install -m 0644 config/examples/*.xml $(DESTDIR)$(DATADIR)/examples/
	install -m 0644 etc/corrald.conf.example etc/corral.conf.example $(DESTDIR)$(DOCDIR)/
	install -m 0644 $(BUILD)/man/corral.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(BUILD)/man/corral-domain.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(BUILD)/man/corrald.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 completion/corral.bash $(DESTDIR)$(BASHCOMPDIR)/corral
	install -m 0644 $(BUILD)/corrald.service $(DESTDIR)$(UNITDIR)/

# Removes exactly what install put there, then the directories of corral's
# own that are left empty; shared directories (bin, man1 …) stay.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/corral $(DESTDIR)$(BINDIR)/corrald \
	      $(DESTDIR)$(LIBEXECDIR)/corral-monitor $(DESTDIR)$(LIBEXECDIR)/corral-tui \
	      $(addprefix $(DESTDIR)$(DATADIR)/examples/,$(notdir $(wildcard config/examples/*.xml))) \
	      $(DESTDIR)$(DOCDIR)/corrald.conf.example $(DESTDIR)$(DOCDIR)/corral.conf.example \
	      $(DESTDIR)$(MANDIR)/man1/corral.1 $(DESTDIR)$(MANDIR)/man5/corral-domain.5 \
	      $(DESTDIR)$(MANDIR)/man8/corrald.8 $(DESTDIR)$(BASHCOMPDIR)/corral \
	      $(DESTDIR)$(UNITDIR)/corrald.service
	-rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)/examples $(DESTDIR)$(DATADIR) \
	       $(DESTDIR)$(DOCDIR) 2>/dev/null

# Fuzz targets need clang's libFuzzer. `make fuzz` builds them and runs each
# for FUZZ_SECONDS (default 60) from its seeds: the regression inputs under
# tests/fuzz/corpus-NAME/ (kept in git; a crash found becomes one) and the
# sample inputs named below; what a run learns goes to build-fuzz/work-NAME,
# a crash to build-fuzz/crash-NAME-*. `make check` runs each for 30 s.
# Each target links lib/, config/ and the engine files its parser lives in.
FUZZ_SECONDS ?= 60
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz-%.c,%,$(FUZZ_SRCS))
FUZZ_BINS = $(patsubst tests/fuzz/%.c,build-fuzz/%,$(FUZZ_SRCS))
FUZZ_LIBSRC = $(wildcard lib/*.c config/*.c)
FUZZ_ENGINE_fuzz-jsonl = engine/jsonl.c engine/proto.c
FUZZ_ENGINE_fuzz-confr = engine/confr.c
FUZZ_ENGINE_fuzz-cgstats = engine/cgroup-stats.c engine/cgroup.c engine/cgroup-v1.c \
	engine/cgroup-v2.c engine/cgroup-limits.c
CONFORMANCE ?= ../shared/conformance/libvirt-lxc
FUZZ_SEEDS_domain = $(wildcard $(CONFORMANCE)) config/examples tests/fixtures/xml
FUZZ_SEEDS_network = tests/fixtures/net
FUZZ_SEEDS_cgstats = tests/fixtures/cgroup
# NAME:SEED:SEED… for tests/fuzz/run.sh, one word per target.
empty :=
space := $(empty) $(empty)
FUZZ_SPECS = $(foreach n,$(FUZZ_NAMES),$(n):$(subst $(space),:,$(strip $(FUZZ_SEEDS_$(n)))))
FUZZ_PKGS = libxml-2.0 jansson
fuzz-build: $(FUZZ_BINS)
fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh $(FUZZ_SPECS)
.SECONDEXPANSION:
build-fuzz/%: tests/fuzz/%.c $(FUZZ_LIBSRC) $$(FUZZ_ENGINE_$$*)
	@mkdir -p build-fuzz
	$(say) FUZZ $@
	$(Q)clang -std=c11 -D_GNU_SOURCE -DCORRAL_VERSION=\"$(VERSION)\" -g -O1 -I. \
	    $(shell pkg-config --cflags $(FUZZ_PKGS)) -fsanitize=fuzzer,address,undefined \
	    -o $@ $^ $(shell pkg-config --libs $(FUZZ_PKGS))

format:
	clang-format -i $(wildcard */*.c */*.h tests/*/*.c)

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
	    --suppress=missingIncludeSystem -I. $(MODULES)

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Benchmarks against the peers (issue 9): installs the missing peers, runs
# every comparison in turn, writes bench/RESULTS.md, exits 0 whatever the
# figures. QUICK=1 runs a reduced set in under 2 minutes, into
# bench/RESULTS-quick.md (untracked), leaving the full table alone. Needs root.
BENCH_PY := $(firstword $(wildcard /usr/bin/python3) python3)
.PHONY: bench
bench: $(PROGRAMS)
	$(BENCH_PY) bench/bench.py --build $(abspath $(BUILD)) $(if $(filter 1,$(QUICK)),--quick --out bench/RESULTS-quick.md)

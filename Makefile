# kontor: make, make check, make check-asan, make bench, make install
include config.mk

PKGS = libxml-2.0 sqlite3 libzip yajl
KONTOR_CPPFLAGS = -D_GNU_SOURCE -DKONTOR_VERSION='"$(VERSION)"' \
	-DKONTOR_DATADIR='"$(DATADIR)"' \
	-Ipipeline/lib -Iformats -Ipipeline/stages \
	$(shell $(PKG_CONFIG) --cflags $(PKGS))
KONTOR_CFLAGS = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers -MMD -MP
KONTOR_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS))
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check)
CHECK_LIBS = $(shell $(PKG_CONFIG) --libs check)

ifeq ($(DEVELOPER),1)
KONTOR_CFLAGS += -Werror
endif
ifeq ($(SAN),1)
KONTOR_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

ALL_CFLAGS = $(KONTOR_CPPFLAGS) $(KONTOR_CFLAGS) $(CFLAGS)

LIB_SRC = $(sort $(wildcard pipeline/lib/*.c) $(wildcard formats/*.c) \
	$(wildcard pipeline/stages/*.c))
PROG_SRC = $(sort $(wildcard pipeline/kontor*.c))
TEST_SRC = $(sort $(wildcard tests/check_*.c))
BENCH_SRC = $(sort $(wildcard bench/*.c))

LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o)
PROGS = $(PROG_SRC:pipeline/%.c=$(BUILD)/bin/%)
TESTS = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_PROGS = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
LIBKONTOR = $(BUILD)/libkontor.a

all: $(LIBKONTOR) $(PROGS)

# The values compiled into the programs: when one changes, as with
# make install PREFIX=DIR after make, every object is compiled again, so
# that the installed programs look for their data where it is installed.
# The file changes only when they do.
BUILT_FOR = $(BUILD)/built-for
BUILT_FOR_TEXT = version $(VERSION) datadir $(DATADIR)
$(BUILT_FOR): FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = '$(BUILT_FOR_TEXT)' ] || \
	    echo '$(BUILT_FOR_TEXT)' >$@

$(BUILD)/%.o: %.c $(BUILT_FOR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBKONTOR): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(BUILD)/bin/%: $(BUILD)/pipeline/%.o $(LIBKONTOR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBKONTOR) $(KONTOR_LIBS)

$(BUILD)/tests/%.o: tests/%.c $(BUILT_FOR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBKONTOR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBKONTOR) $(KONTOR_LIBS) \
	    $(CHECK_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIBKONTOR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBKONTOR) $(KONTOR_LIBS)

# Unit tests first, then the end-to-end cases against the built programs,
# then the bench on 2,000 orders so that it keeps working (no time is
# asserted).
check: $(PROGS) $(TESTS) $(BENCH_PROGS)
	@tests/lint pipeline formats tests bench
	@tests/run-unit $(TESTS)
	@KONTOR_BIN=$(CURDIR)/$(BUILD)/bin tests/e2e/run
	@BENCH_N=2000 BENCH_SMOKE=1 BENCH_OUT=$(CURDIR)/$(BUILD)/bench.tsv \
	    KONTOR_BIN=$(CURDIR)/$(BUILD)/bin \
	    BENCH_BIN=$(CURDIR)/$(BUILD)/bench bench/run >/dev/null
	@awk -F '\t' 'NF != 8 { bad = 1 } END { exit bad || NR != 24 }' \
	    $(BUILD)/bench.tsv || { echo "bench: the table lacks rows"; \
	    exit 1; }
	@echo "bench: 2,000 orders, every stage and pipe ran"

check-asan:
	$(MAKE) BUILD=build-asan SAN=1 CFLAGS='-O1 -g' check

# The nightly job on a copy of the bundled sample tenant (in ./demo).
demo: $(PROGS)
	@test -d demo || cp -R fixtures/tenant-demo demo
	@$(BUILD)/bin/kontor run --tenant demo

demo-clean:
	rm -rf demo

bench: $(PROGS) $(BENCH_PROGS)
	@KONTOR_BIN=$(CURDIR)/$(BUILD)/bin BENCH_BIN=$(CURDIR)/$(BUILD)/bench \
	    bench/sizes

lint:
	@tests/lint pipeline formats tests

deps:
	@.ci/deps

install: $(PROGS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR)/vat
	cp -f $(PROGS) $(DESTDIR)$(BINDIR)/
	for p in $(PROGS); do chmod 755 $(DESTDIR)$(BINDIR)/$${p##*/}; done
	cp -f man/*.1 $(DESTDIR)$(MANPREFIX)/man1/
	cp -f docs/*.md $(DESTDIR)$(DOCDIR)/
	cp -f data/vat/*.csv data/vat/README.md $(DESTDIR)$(DATADIR)/vat/

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$${p##*/}; done
	for m in man/*.1; do rm -f $(DESTDIR)$(MANPREFIX)/man1/$${m##*/}; done
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan

.PHONY: all check check-asan bench demo demo-clean lint deps install \
	uninstall clean FORCE
.PRECIOUS: $(BUILD)/%.o $(BUILD)/tests/%.o $(BUILD)/bench/%.o

-include $(LIB_OBJ:.o=.d) $(PROG_SRC:%.c=$(BUILD)/%.d) \
	$(TEST_SRC:%.c=$(BUILD)/%.d) $(BENCH_SRC:%.c=$(BUILD)/%.d)

# pilotsim: build, run, test, bench. `make run` and `make test` are the whole
# set-up on a fresh Debian or Ubuntu machine: they first install what is
# missing (`make deps`, `make test-deps`). A plain `make` only builds: it
# never installs a package, and says which step to run when a library is
# missing.

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   := build
PKGS    := gsl yaml-0.1

# Debian packages: to build and run, then what the tests add.
DEPS_RUN  := build-essential pkg-config libgsl-dev libyaml-dev gnuplot-nox fonts-dejavu-core
DEPS_TEST := clang libclang-rt-14-dev valgrind clang-format chromium poppler-utils
DEPS      := $(DEPS_RUN) $(DEPS_TEST)

# `make CFLAGS=...` replaces the optimization flags only: what the code needs
# (the standard, warnings, dependency files) is added whatever is given.
CFLAGS  ?= -O3 -g
# -ffp-contract=off: a * b + c stays two roundings. Fused into one
# multiply-add (clang's default on arm64, GCC's outside ISO C modes) it
# gives other bits, and outputs must be the same on every machine
# (docs/model.md, Determinism).
override CFLAGS += -std=c11 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L -MMD -MP -ffp-contract=off
LDLIBS  += -lm

ifeq ($(SAN),1)
# Sanitizer build in its own tree, so it never mixes with the normal objects.
CC      := clang
BUILD   := build/san
override CFLAGS += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override LDFLAGS += -fsanitize=address,undefined
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

SRCS      := $(wildcard sim/*.c sim/*/*.c)
OBJS      := $(SRCS:sim/%.c=$(BUILD)/obj/%.o)
LIB_OBJS  := $(filter-out $(BUILD)/obj/main.o,$(OBJS))
TEST_SRCS := $(wildcard tests/unit/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.DELETE_ON_ERROR:
.PHONY: all deps test-deps libs run test check golden bench valgrind clean install

all: $(BUILD)/pilotsim

# Which packages the goals on the command line need installed before
# anything is built: the tests' (clang, valgrind) for the test goals, the
# run's for the goals that run pilotsim, none for a plain `make`.
TEST_GOALS := test check valgrind fuzz
RUN_GOALS  := run bench bench-loadtest compare-demo install validate
SETUP := $(if $(filter $(TEST_GOALS),$(MAKECMDGOALS)),test-deps,$(if $(filter $(RUN_GOALS),$(MAKECMDGOALS)),deps))

# Cheap when all is there: dpkg-query once, apt-get only when something is missing.
deps:
	@sh tests/deps.sh $(DEPS_RUN)
test-deps:
	@sh tests/deps.sh $(DEPS)

# A build without the libraries stops here with the step that installs them.
libs: | $(SETUP)
	@pkg-config --exists $(PKGS) 2>/dev/null || { \
	  echo "pilotsim: missing libraries ($(PKGS)): run 'make deps' (installs $(DEPS_RUN))" >&2; \
	  exit 2; }

$(BUILD)/pilotsim: $(OBJS) | libs
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS) $(LDLIBS)

$(BUILD)/obj/%.o: sim/%.c | libs
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isim $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS) | libs
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Isim -Itests -o $@ $< $(LIB_OBJS) $(LDFLAGS) $(PKG_LIBS) $(LDLIBS)

run: $(BUILD)/pilotsim
	$(BUILD)/pilotsim run scenarios/pilot-2020.yaml -o out/pilot-2020

test check: $(BUILD)/pilotsim $(TEST_BINS)
	prove --exec '' $(TEST_BINS)
	@# The shell tests run through sh: prove counts a file it cannot execute
	@# as no tests, not as a failure, so a lost mode bit must not hide one.
	PILOTSIM=$(abspath $(BUILD)/pilotsim) prove --exec sh tests/e2e/*.sh tests/lint/*.sh
	@# One style for every C file (.clang-format): `make format` applies it.
	@$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRCS) || \
	  { echo "pilotsim: run 'make format' (files above differ from .clang-format)" >&2; exit 1; }

# Rewrite the golden outputs (tests/golden/, checked by tests/e2e/golden.sh)
# from this build: for a change that alters outputs on purpose. Review
# `git diff tests/golden` and commit it with the change.
golden: $(BUILD)/pilotsim
	PILOTSIM=$(abspath $(BUILD)/pilotsim) GOLDEN_UPDATE=1 sh tests/e2e/golden.sh
	@git diff --stat -- tests/golden 2>/dev/null | tail -1

# The validation report: docs/validation.md and its charts in
# docs/validation/ (tests/validation/report.sh): the closed-form checks
# (Bass, Erlang C, Pollaczek-Khinchine, Little), the lottery fits and the
# pilot scenarios against every target. A few minutes, so not in `make
# test`; tests/e2e/validate.sh checks the generator on small inputs there.
# VALIDATE_REPLICATIONS and VALIDATE_JOBS (environment) change the runs.
.PHONY: validate
validate: $(BUILD)/pilotsim $(BUILD)/tests/test_model $(BUILD)/tests/test_queueing
	PILOTSIM=$(abspath $(BUILD)/pilotsim) BUILD=$(BUILD) sh tests/validation/report.sh

# PHOLD at three sizes beside ../shared/bench/phold_ref.c, then the default
# scenario: medians of 5 alternating runs and the ratios (tests/bench.sh).
bench: $(BUILD)/pilotsim
	BUILD=$(BUILD) CC=$(CC) sh tests/bench.sh

valgrind: $(BUILD)/pilotsim $(TEST_BINS)
	@for t in $(TEST_BINS); do \
	  valgrind -q --error-exitcode=99 --leak-check=full $$t >/dev/null || exit 1; done
	valgrind -q --error-exitcode=99 --leak-check=full $(BUILD)/pilotsim run \
	  scenarios/pilot-2020.yaml -o $(BUILD)/valgrind-out --no-charts --quiet

install: $(BUILD)/pilotsim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/pilotsim/plots
	install -m 755 $(BUILD)/pilotsim $(DESTDIR)$(PREFIX)/bin/pilotsim
	install -m 644 plots/*.gp $(DESTDIR)$(PREFIX)/share/pilotsim/plots/

# Fuzz the scenario loader with libFuzzer under ASan and UBSan for
# FUZZ_SECONDS, seeded with the shipped scenarios and the bad-input corpus;
# a crash, a leak or a hang fails the target and leaves its input in
# $(BUILD)/fuzz/. Needs clang and libclang-rt-14-dev (in DEPS).
FUZZ_SECONDS ?= 60
# The loader and what it calls: its room, the loadtest section's profile and
# SLO parsers included (the scenario room uses no room but the kernel's).
FUZZ_SRCS := tests/fuzz/fuzz_scenario.c $(wildcard sim/scenario/*.c)

.PHONY: fuzz
fuzz: | libs
	@mkdir -p $(BUILD)/fuzz/corpus
	clang -std=c11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	  -D_POSIX_C_SOURCE=200809L -Isim $(PKG_CFLAGS) -o $(BUILD)/fuzz/fuzz_scenario \
	  $(FUZZ_SRCS) $(PKG_LIBS) -lm
	cp scenarios/*.yaml scenarios/base/*.yaml tests/bad/*.yaml $(BUILD)/fuzz/corpus/
	PILOTSIM_FUZZ_BASE=$(abspath scenarios/base) $(BUILD)/fuzz/fuzz_scenario \
	  -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	  -dict=tests/fuzz/scenario.dict -artifact_prefix=$(BUILD)/fuzz/ $(BUILD)/fuzz/corpus

# MPI back end: build/pilotsim-mpi, every source compiled by mpicc with
# -DPILOTSIM_MPI in its own object tree (the normal build needs no MPI).
# `mpirun -np N build/pilotsim-mpi run|compare|sweep ...` farms replications
# out to the ranks (docs/experiments.md, tests/bench_mpi.sh).
DEPS_MPI  := openmpi-bin libopenmpi-dev
MPICC     ?= mpicc
MPI_OBJS  := $(SRCS:sim/%.c=$(BUILD)/mpi/obj/%.o)

.PHONY: mpi mpi-deps
mpi: $(BUILD)/pilotsim-mpi

mpi-deps:
	@sh tests/deps.sh $(DEPS_RUN) $(DEPS_MPI)

$(BUILD)/pilotsim-mpi: $(MPI_OBJS) | mpi-deps
	$(MPICC) $(LDFLAGS) -o $@ $(MPI_OBJS) $(PKG_LIBS) $(LDLIBS)

$(BUILD)/mpi/obj/%.o: sim/%.c | mpi-deps
	@mkdir -p $(@D)
	$(MPICC) $(CFLAGS) -DPILOTSIM_MPI -Isim $(PKG_CFLAGS) -c -o $@ $<

-include $(MPI_OBJS:.o=.d)

# Compare the shipped rollout plans for the four cities: out/compare-demo/
# (compare.md, compare.csv, charts/).
.PHONY: compare-demo
compare-demo: $(BUILD)/pilotsim
	$(BUILD)/pilotsim compare scenarios/rollout-phased.yaml scenarios/rollout-bigbang.yaml \
	  scenarios/rollout-lotteries.yaml -o out/compare-demo --replications 10

# The load tester's speed: a 10-minute soak at 100,000 payments/s (60 M
# payments) through double11's infrastructure scaled tenfold so that it
# copes, and its ICBC outage switched off (docs/loadtest.md, Speed). The
# first line printed gives the wall time.
LT_BENCH_SETS := --set ledger.servers=640 --set interventions.icbc-outage.capacity=1 \
  $(foreach o,icbc ccb abc boc bocom psbc,--set operators.$(o).servers=1200)
.PHONY: bench-loadtest
bench-loadtest: $(BUILD)/pilotsim
	$(BUILD)/pilotsim loadtest scenarios/double11.yaml -o out/bench-loadtest --no-charts \
	  --profile soak:100000:10m --warmup 0 --interval 1m $(LT_BENCH_SETS)

# One style for every C file: .clang-format (clang-format 14, Debian 12's).
# `make format` rewrites the files in place; `make format-check` changes
# nothing and fails when a file would change. Both first install
# clang-format if it is missing (tests/deps.sh).
DEPS_FORMAT  := clang-format
CLANG_FORMAT ?= clang-format
FORMAT_SRCS  := $(wildcard sim/*.[ch] sim/*/*.[ch] tests/test.h tests/unit/*.c tests/fuzz/*.c)

.PHONY: format format-check
format:
	@sh tests/deps.sh $(DEPS_FORMAT)
	$(CLANG_FORMAT) -i $(FORMAT_SRCS)
format-check:
	@sh tests/deps.sh $(DEPS_FORMAT)
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRCS)

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(TEST_BINS:%=%.d)

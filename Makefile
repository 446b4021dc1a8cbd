# sphc - static partitioning hypervisor compiler
#
#   make deps      install every package the project needs (Debian, apt-get)
#   make           build bin/sphc
#   make check     run every test suite
#   make install   install binary, man page, completions, schemas and boards
#                  under $(PREFIX)

PREFIX ?= /usr/local
CC ?= cc
VERSION := $(shell cat VERSION)

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
SPHC_CPPFLAGS := -iquote sphc -iquote . -iquote hypervisor/include -DSPHC_VERSION='"$(VERSION)"' \
	$(shell pkg-config --cflags yaml-0.1 jansson 2>/dev/null)
SPHC_LIBS := -lyaml -ljansson -lfdt
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The compiler proper, by stage (README, "Layout"); the commands in
# sphc/cli/ are linked into bin/sphc only, so the unit tests, fuzzers and
# benchmarks link everything else.
SPHC_LAYERS := lib diag front validate model check
LIB_SRCS := $(foreach l,$(SPHC_LAYERS),$(wildcard sphc/$(l)/*.c)) \
	$(wildcard backends/*.c backends/*/*.c) hypervisor/lib/blob.c
LIB_ASM := sphc/validate/embed.S
CLI_SRCS := $(wildcard sphc/cli/*.c)
UNIT_SRCS := $(wildcard tests/unit/*.c)

OBJ := obj
SAN_OBJ := obj-san
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o) $(LIB_ASM:%.S=$(OBJ)/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.c=$(SAN_OBJ)/%.o) $(LIB_ASM:%.S=$(SAN_OBJ)/%.o)
SCHEMAS := $(wildcard schema/*.json)

DEBIAN_PACKAGES := build-essential pkg-config libyaml-dev libfdt-dev \
	libjansson-dev device-tree-compiler check qemu-system-arm \
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu python3 \
	python3-jsonschema python3-yaml clang libclang-rt-14-dev u-boot-tools \
	python3-rfc3987 u-boot-qemu mtools clang-format zsh librsvg2-bin \
	libc6-dev-arm64-cross valgrind

.PHONY: all deps check unit unit-san corpus cli-tests schema-drift examples map-tests lsp-tests layers \
	install clean format format-check clang-build

all: bin/sphc

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	if ! dpkg-query -W -f='$${Status}\n' $(DEBIAN_PACKAGES) 2>/dev/null | \
		grep -qv 'install ok installed' && \
	   [ "$$(dpkg-query -W -f='$${Status}\n' $(DEBIAN_PACKAGES) 2>/dev/null | wc -l)" = "$(words $(DEBIAN_PACKAGES))" ]; then \
		echo "deps: all $(words $(DEBIAN_PACKAGES)) packages already installed"; \
	else \
		$$SUDO apt-get update -q && \
		$$SUDO apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES); \
	fi; \
	if ! command -v npm >/dev/null; then \
		echo "deps: npm (for the SARIF schema) from Debian"; \
		$$SUDO apt-get update -q && \
		$$SUDO apt-get install -y -q --no-install-recommends npm; \
	fi
	tests/fetch-sarif-schema.sh $(SARIF_SCHEMA)
	tests/xen/fetch.sh $(XEN_CACHE)
	tests/linux/fetch.sh $(LINUX_CACHE)

bin/sphc: $(LIB_OBJS) $(CLI_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS)

bin/sphc-san: $(SAN_LIB_OBJS) $(CLI_SRCS:%.c=$(SAN_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(SPHC_LIBS)

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(CFLAGS) $(WARN) $(SPHC_CPPFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(SAN_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(CFLAGS) $(SAN) $(WARN) $(SPHC_CPPFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

# The schemas are embedded with .incbin: rebuild when they change.
$(OBJ)/sphc/validate/embed.o $(SAN_OBJ)/sphc/validate/embed.o: sphc/validate/embed.S $(SCHEMAS)
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

bin/unit-tests: $(LIB_OBJS) $(UNIT_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS) $(CHECK_LIBS)

bin/unit-tests-san: $(SAN_LIB_OBJS) $(UNIT_SRCS:%.c=$(SAN_OBJ)/%.o)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(SPHC_LIBS) $(CHECK_LIBS)

# --- tests -----------------------------------------------------------------

# CK_FORK=no keeps ASan's leak checker meaningful across test cases.
unit: bin/unit-tests
	bin/unit-tests

unit-san: bin/unit-tests-san
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 CK_FORK=no bin/unit-tests-san

corpus: bin/sphc-san
	tests/run-corpus.sh bin/sphc-san

cli-tests: bin/sphc linux-images
	tests/cli.sh bin/sphc

schema-drift: bin/sphc
	/usr/bin/python3 tests/schema-drift.py bin/sphc examples/*/system.yaml \
		boards/*.yaml $$(find tests/bad tests/good -name '*.yaml' | sort)
	/usr/bin/python3 tests/schema-examples.py schema/system.schema.json \
		schema/board.schema.json

examples: bin/sphc-san linux-images
	tests/examples.sh bin/sphc-san

# Debian's arm64 kernel and busybox (fetched by `make deps` into LINUX_CACHE,
# not installed) for the Linux cells of tests/qemu and examples/linux-rtos:
# `make linux-images` puts Image and initramfs.cpio where the example names
# them (examples/linux-rtos/linux/, not in git).
LINUX_CACHE := tests/.cache/arm64

LINUX_IMAGES := examples/linux-rtos/linux/Image examples/linux-rtos/linux/initramfs.cpio

$(LINUX_IMAGES) &: tests/linux/prepare.sh tests/linux/init tests/linux/shm-talk.c \
		tests/linux/mkinitramfs.py tests/cells/msg.h
	tests/linux/prepare.sh examples/linux-rtos/linux $(LINUX_CACHE)

linux-images: $(LINUX_IMAGES)

.PHONY: linux-images

map-tests: bin/sphc linux-images
	tests/map.sh bin/sphc

# sphc lsp through a scripted LSP client (tests/lsp.py), under ASan.
lsp-tests: bin/sphc-san linux-images
	ASAN_OPTIONS=detect_leaks=1 /usr/bin/python3 tests/lsp.py bin/sphc-san

# Includes run one way: cli -> backends -> check -> model -> validate ->
# front -> diag -> lib (README, "Layout"); the check tests itself first.
layers:
	/usr/bin/python3 tests/layers.py --self-test
	/usr/bin/python3 tests/layers.py

# SARIF against the official OASIS schema (fetched by `make deps`).
SARIF_SCHEMA := tests/.cache/sarif-2.1.0-rtm.5.json

$(SARIF_SCHEMA):
	tests/fetch-sarif-schema.sh $@

sarif: bin/sphc $(SARIF_SCHEMA) linux-images
	/usr/bin/python3 tests/sarif.py bin/sphc $(SARIF_SCHEMA)

# The compiler built with clang too, warnings as errors (make check); the
# gcc build above is bin/sphc. Objects in obj-clang/.
CLANG ?= clang
CLANG_OBJ := obj-clang
CLANG_OBJS := $(LIB_SRCS:%.c=$(CLANG_OBJ)/%.o) $(LIB_ASM:%.S=$(CLANG_OBJ)/%.o) \
	$(CLI_SRCS:%.c=$(CLANG_OBJ)/%.o)

$(CLANG_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CLANG) -std=gnu11 -O2 -g $(WARN) -Werror $(SPHC_CPPFLAGS) -MMD -MP -c -o $@ $<

$(CLANG_OBJ)/sphc/validate/embed.o: sphc/validate/embed.S $(SCHEMAS)
	@mkdir -p $(@D)
	$(CLANG) -c -o $@ $<

bin/sphc-clang: $(CLANG_OBJS)
	@mkdir -p $(@D)
	$(CLANG) -o $@ $^ $(SPHC_LIBS)

# It must build, and check an example as the gcc build does.
clang-build: bin/sphc-clang
	bin/sphc-clang check -q examples/three-cells/system.yaml 2>/dev/null

# libFuzzer over the whole pipeline (tests/fuzz/). `make fuzz` runs for
# FUZZ_SECONDS on a lasting corpus; `make fuzz-short` is the CI run.
FUZZ_CC ?= clang
FUZZ_OBJ := obj-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_SECONDS ?= 600
FUZZ_LIB_OBJS := $(LIB_SRCS:%.c=$(FUZZ_OBJ)/%.o) $(LIB_ASM:%.S=$(FUZZ_OBJ)/%.o)

$(FUZZ_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(WARN) \
		$(SPHC_CPPFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_OBJ)/sphc/validate/embed.o: sphc/validate/embed.S $(SCHEMAS)
	@mkdir -p $(@D)
	$(FUZZ_CC) -c -o $@ $<

bin/fuzz-check: $(FUZZ_LIB_OBJS) $(FUZZ_OBJ)/tests/fuzz/fuzz_check.o
	@mkdir -p $(@D)
	$(FUZZ_CC) -g -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(SPHC_LIBS)

fuzz: bin/fuzz-check linux-images
	tests/fuzz/run.sh bin/fuzz-check $(FUZZ_SECONDS) tests/.cache/fuzz/corpus

fuzz-short: bin/fuzz-check linux-images
	tests/fuzz/run.sh bin/fuzz-check 30

# Not part of check: it prints figures, one per line (`NAME: VALUE UNIT`),
# and never fails on slowness (bench/gen.c, bench/yamlfloor.c, bench/run.c,
# bench/phases.c, bench/instructions.sh; files in bench/out/). The systems name their board, as
# users write them; the last line is `default-path-ratio: X x`, sphc check
# against the libyaml floor at the largest size.
BENCH_SIZES ?= 1000 10000 100000 1000000
BENCH_LARGEST := bench/out/phases-$(lastword $(BENCH_SIZES)).yaml
# Instructions are counted (callgrind) at a size valgrind runs in seconds.
BENCH_INSTRUCTIONS ?= 100000

bin/bench-%: bench/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(CFLAGS) $(WARN) $(SPHC_CPPFLAGS) -o $@ $< -lyaml

bin/bench-phases: $(OBJ)/bench/phases.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS)

bench: bin/sphc bin/bench-gen bin/bench-yamlfloor bin/bench-run bin/bench-phases
	@mkdir -p bench/out
	bin/bench-gen $(lastword $(BENCH_SIZES)) $(BENCH_LARGEST)
	bin/bench-phases $(BENCH_LARGEST) bench/bench-board.yaml
	bench/instructions.sh bin/sphc bin/bench-yamlfloor bin/bench-gen \
		bench/bench-board.yaml bench/out $(BENCH_INSTRUCTIONS)
	bin/bench-run bin/sphc bin/bench-yamlfloor bin/bench-gen \
		bench/bench-board.yaml bench/out $(BENCH_SIZES)

# The overlap rules against a naive oracle on random systems, and what check
# passes build builds (tests/property/).
bin/prop-overlap: $(OBJ)/tests/property/overlap.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS)

property: bin/prop-overlap bin/sphc
	bin/prop-overlap tests/property/board.yaml 3000
	/usr/bin/python3 tests/property/build.py bin/sphc 120

.PHONY: sarif fuzz fuzz-short bench property

# sphc build end to end: goldens, determinism, round trip, links, atomicity.
# `make golden` rewrites tests/golden/ (read the diff before committing it).
build-tests: bin/sphc linux-images
	tests/build.sh bin/sphc

golden: bin/sphc
	tests/build.sh bin/sphc --golden

.PHONY: build-tests golden

# Jailhouse: the backend (alone, through bin/jailhouse-emit, and through
# `sphc build --target jailhouse`), `sphc import jailhouse` and
# `sphc board import`.
bin/jailhouse-emit: $(LIB_OBJS) $(OBJ)/tests/jailhouse/emit.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS)

jailhouse-tests: bin/sphc bin/jailhouse-emit linux-images
	tests/jailhouse.sh bin/sphc bin/jailhouse-emit

.PHONY: jailhouse-tests

# Bao and Xen dom0less targets and U-Boot FIT images (backends/{bao,xen,fit}/)
# through `sphc build --target`.
targets-tests: bin/sphc linux-images
	tests/targets.sh bin/sphc
	tests/bao/bao.sh bin/sphc

.PHONY: targets-tests

# Debian's Xen 4.17 (fetched by `make deps` into XEN_CACHE, not installed)
# boots sphc's dom0less tree on QEMU virt; every domU's line is asserted.
XEN_CACHE := tests/.cache/xen-4.17

xen-tests: bin/sphc
	/usr/bin/python3 tests/xen/boot.py bin/sphc $(XEN_CACHE)

.PHONY: xen-tests

# The runtime (hypervisor/): freestanding AArch64 objects, merged into
# obj/hyp/hypervisor.o and linked per system with the hypervisor.ld that
# `sphc build` writes. `make test-qemu` boots tests/qemu/*.yaml on QEMU;
# `make run EXAMPLE=name` boots examples/name (or tests/qemu/name.yaml).
CROSS ?= aarch64-linux-gnu-
# +crc: the CRC32 instructions (every ARMv8.1 CPU, and the A53/A57/A72 of
# the boards) check the blob before any cell starts.
HYP_CFLAGS := -std=gnu11 -O2 -g $(WARN) -march=armv8-a+crc -ffreestanding -nostdlib -fno-pie \
	-fno-stack-protector -fno-common -mgeneral-regs-only -mstrict-align \
	-mno-outline-atomics -fno-tree-loop-distribute-patterns \
	-fno-asynchronous-unwind-tables -Ihypervisor/include \
	-Ihypervisor/arch/aarch64/include
HYP_SRCS := $(wildcard hypervisor/core/*.c hypervisor/arch/aarch64/*.[cS] \
	hypervisor/drivers/*.c hypervisor/lib/*.c)
HYP_OBJS := $(HYP_SRCS:hypervisor/%=$(OBJ)/hyp/%.o)
EXAMPLE ?= three-cells

$(OBJ)/hyp/%.o: hypervisor/%
	@mkdir -p $(@D)
	$(CROSS)gcc $(HYP_CFLAGS) -MMD -MP -c -o $@ $<

$(OBJ)/hyp/hypervisor.o: $(HYP_OBJS)
	$(CROSS)ld -r -o $@ $^

hypervisor: $(OBJ)/hyp/hypervisor.o

stats: $(OBJ)/hyp/hypervisor.o
	hypervisor/stats.sh $< $(CROSS)

test-qemu: bin/sphc $(OBJ)/hyp/hypervisor.o
	/usr/bin/python3 tests/qemu/run.py bin/sphc $(OBJ)/hyp/hypervisor.o

# Debian's U-Boot for QEMU boots examples/three-cells from a FAT disk image
# through distro boot, boot.scr and bootm of the FIT (tests/uboot/run.py).
test-uboot: bin/sphc $(OBJ)/hyp/hypervisor.o
	/usr/bin/python3 tests/uboot/run.py bin/sphc $(OBJ)/hyp/hypervisor.o

run: bin/sphc $(OBJ)/hyp/hypervisor.o
	/usr/bin/python3 tests/qemu/run.py bin/sphc $(OBJ)/hyp/hypervisor.o --run \
		$$(if [ -f examples/$(EXAMPLE)/system.yaml ]; then \
		echo examples/$(EXAMPLE)/system.yaml; \
		else echo tests/qemu/$(EXAMPLE).yaml; fi)

# make bench-runtime: the runtime built with -DSPH_BENCH counts its own
# instructions per trap (PMU, EL2 only) under QEMU -icount; not in check.
HYP_BENCH_OBJS := $(HYP_SRCS:hypervisor/%=$(OBJ)/hyp-bench/%.o)

$(OBJ)/hyp-bench/%.o: hypervisor/%
	@mkdir -p $(@D)
	$(CROSS)gcc $(HYP_CFLAGS) -DSPH_BENCH -MMD -MP -c -o $@ $<

$(OBJ)/hyp-bench/hypervisor.o: $(HYP_BENCH_OBJS)
	$(CROSS)ld -r -o $@ $^

bench-runtime: bin/sphc $(OBJ)/hyp-bench/hypervisor.o
	/usr/bin/python3 tests/qemu/bench.py bin/sphc $(OBJ)/hyp-bench/hypervisor.o

.PHONY: hypervisor stats test-qemu test-uboot run bench-runtime

check: format-check layers clang-build unit unit-san corpus cli-tests schema-drift \
	examples map-tests lsp-tests sarif \
	property fuzz-short build-tests jailhouse-tests test-qemu test-uboot \
	targets-tests xen-tests $(OBJ)/hyp-bench/hypervisor.o

# --- install and housekeeping ------------------------------------------------

# The man page and the completions are printed by sphc itself from the
# tables its option parser uses (sphc/cli/commands.c, options.c).
bin/sphc.1: bin/sphc
	bin/sphc help --man >$@.tmp && mv $@.tmp $@

bin/sphc.bash: bin/sphc
	bin/sphc help --completion=bash >$@.tmp && mv $@.tmp $@

bin/_sphc: bin/sphc
	bin/sphc help --completion=zsh >$@.tmp && mv $@.tmp $@

install: bin/sphc bin/sphc.1 bin/sphc.bash bin/_sphc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sphc/boards \
		$(DESTDIR)$(PREFIX)/share/sphc/schema \
		$(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 bin/sphc $(DESTDIR)$(PREFIX)/bin/sphc
	install -m 644 boards/*.yaml $(DESTDIR)$(PREFIX)/share/sphc/boards/
	install -m 644 schema/*.json $(DESTDIR)$(PREFIX)/share/sphc/schema/
	install -m 644 bin/sphc.1 $(DESTDIR)$(PREFIX)/share/man/man1/sphc.1
	install -m 644 bin/sphc.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/sphc
	install -m 644 bin/_sphc $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sphc

# Every tracked C file follows .clang-format; tests/golden/ holds headers
# sphc generates, which are outputs, not sources.
FORMAT_FILES = $(shell git ls-files '*.c' '*.h' | grep -v '^tests/golden/')

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)
	@echo "format-check: $(words $(FORMAT_FILES)) files follow .clang-format"

clean:
	rm -rf $(OBJ) $(SAN_OBJ) $(FUZZ_OBJ) $(CLANG_OBJ) bin

-include $(shell find $(OBJ) $(SAN_OBJ) $(FUZZ_OBJ) $(CLANG_OBJ) -name '*.d' 2>/dev/null)

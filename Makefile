# sphc - static partitioning hypervisor compiler
#
#   make deps      install every package the project needs (Debian, apt-get)
#   make           build bin/sphc
#   make check     run every test suite
#   make install   install binary, schemas and boards under $(PREFIX)

PREFIX ?= /usr/local
CC ?= cc
VERSION := $(shell cat VERSION)

CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-missing-field-initializers
SPHC_CPPFLAGS := -iquote sphc -iquote hypervisor/include -DSPHC_VERSION='"$(VERSION)"' \
	$(shell pkg-config --cflags yaml-0.1 jansson 2>/dev/null)
SPHC_LIBS := -lyaml -ljansson -lfdt
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The compiler proper; main.c is the CLI, kept out of the unit tests.
LIB_SRCS := $(filter-out sphc/main.c,$(wildcard sphc/*.c))
LIB_ASM := sphc/embed.S
UNIT_SRCS := $(wildcard tests/unit/*.c)

OBJ := obj
SAN_OBJ := obj-san
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o) $(LIB_ASM:%.S=$(OBJ)/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.c=$(SAN_OBJ)/%.o) $(LIB_ASM:%.S=$(SAN_OBJ)/%.o)
SCHEMAS := $(wildcard schema/*.json)

DEBIAN_PACKAGES := build-essential pkg-config libyaml-dev libfdt-dev \
	libjansson-dev device-tree-compiler check qemu-system-arm \
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu python3 \
	python3-jsonschema python3-yaml clang libclang-rt-14-dev u-boot-tools

.PHONY: all deps check unit unit-san corpus cli-tests schema-drift examples map-tests \
	install clean format format-check

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
	fi

bin/sphc: $(LIB_OBJS) $(OBJ)/sphc/main.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS)

bin/sphc-san: $(SAN_LIB_OBJS) $(SAN_OBJ)/sphc/main.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(SPHC_LIBS)

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(CFLAGS) $(WARN) $(SPHC_CPPFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(SAN_OBJ)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(CFLAGS) $(SAN) $(WARN) $(SPHC_CPPFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

# The schemas are embedded with .incbin: rebuild when they change.
$(OBJ)/sphc/embed.o $(SAN_OBJ)/sphc/embed.o: sphc/embed.S $(SCHEMAS)
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

bin/unit-tests: $(LIB_OBJS) $(UNIT_SRCS:%.c=$(OBJ)/%.o)
	$(CC) $(CFLAGS) -o $@ $^ $(SPHC_LIBS) $(CHECK_LIBS)

bin/unit-tests-san: $(SAN_LIB_OBJS) $(UNIT_SRCS:%.c=$(SAN_OBJ)/%.o)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(SPHC_LIBS) $(CHECK_LIBS)

# --- tests -----------------------------------------------------------------

# CK_FORK=no keeps ASan's leak checker meaningful across test cases.
unit: bin/unit-tests
	bin/unit-tests

unit-san: bin/unit-tests-san
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 CK_FORK=no bin/unit-tests-san

corpus: bin/sphc-san
	tests/run-corpus.sh bin/sphc-san

cli-tests: bin/sphc
	tests/cli.sh bin/sphc

schema-drift: bin/sphc
	/usr/bin/python3 tests/schema-drift.py bin/sphc examples/*/system.yaml \
		boards/*.yaml $$(find tests/bad tests/good -name '*.yaml' | sort)

examples: bin/sphc
	tests/examples.sh bin/sphc

map-tests: bin/sphc
	tests/map.sh bin/sphc

check: unit unit-san corpus cli-tests schema-drift examples map-tests

# --- install and housekeeping ------------------------------------------------

install: bin/sphc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sphc/boards \
		$(DESTDIR)$(PREFIX)/share/sphc/schema
	install -m 755 bin/sphc $(DESTDIR)$(PREFIX)/bin/sphc
	install -m 644 boards/*.yaml $(DESTDIR)$(PREFIX)/share/sphc/boards/
	install -m 644 schema/*.json $(DESTDIR)$(PREFIX)/share/sphc/schema/

format:
	clang-format -i sphc/*.[ch] tests/unit/*.c

clean:
	rm -rf $(OBJ) $(SAN_OBJ) bin

-include $(shell find $(OBJ) $(SAN_OBJ) -name '*.d' 2>/dev/null)

# SPDX-License-Identifier: Apache-2.0
# sbrguard top-level build. `make demo` and `make test` are the front door.

BOARD ?= sim
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif
B := build
DEPS := $(B)/deps
MBEDTLS_VER := 3.6.6
MBEDTLS := $(DEPS)/mbedtls-$(MBEDTLS_VER)
MBEDTLS_STAMP := $(MBEDTLS)/.extracted

# Debian packages the build, the demo and the tests use.
APT_PKGS := gcc make libc6-dev libp11-kit-dev p11-kit opensc gnutls-bin openssl \
	libengine-pkcs11-openssl gcc-arm-none-eabi libnewlib-arm-none-eabi \
	qemu-system-arm python3 bzip2 ca-certificates debian-archive-keyring \
	apt-utils iso-codes publicsuffix python3-cryptography libssl-dev softhsm2 \
	clang libclang-rt-14-dev chromium fonts-dejavu-core \
	python3-pykcs11 libnss3-tools openjdk-17-jdk-headless p11-kit-modules
# Commands whose absence triggers `make deps`.
DEP_CMDS := gcc clang pkcs11-tool p11tool certtool openssl arm-none-eabi-gcc qemu-system-arm python3 bzip2 chromium \
	certutil modutil java keytool p11-kit
DEP_FILES := /usr/include/p11-kit-1/p11-kit/pkcs11.h $(GEN_INPUTS) /usr/lib/python3/dist-packages/PyKCS11/__init__.py \
	/usr/lib/softhsm/libsofthsm2.so \
	/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so $(MBEDTLS_STAMP)

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla
MBED_CONFIG := firmware/mbedtls/sg_mbedtls_config.h
MBED_DEFS := -DMBEDTLS_CONFIG_FILE='"sg_mbedtls_config.h"' -Ifirmware/mbedtls -I$(MBEDTLS)/include
SAN ?=
ifeq ($(SAN),1)
OUT := $(B)/asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else ifeq ($(FUZZ),1)
OUT := $(B)/fuzz
CC := clang
SANFLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
OUT := $(B)/host
SANFLAGS :=
endif
CC ?= gcc
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -fPIC $(SANFLAGS) -Iinclude $(MBED_DEFS)
HOST_LDFLAGS := $(SANFLAGS)

# Value lists the policy engine needs, generated from Debian packages.
GEN_TABLES := $(B)/gen/pol_tables.c
GEN_INPUTS := /usr/share/iso-codes/json/iso_3166-1.json /usr/share/iso-codes/json/iso_3166-2.json \
	/usr/share/iso-codes/json/iso_639-2.json \
	/usr/share/publicsuffix/public_suffix_list.dat
POL_SRCS := $(wildcard policy/*.c) $(GEN_TABLES)
FW_SRCS := $(wildcard firmware/*.c) $(POL_SRCS)
SIM_SRCS := $(wildcard boards/sim/*.c)
LIB_SRCS := $(wildcard host/lib/*.c)
P11_SRCS := $(wildcard host/pkcs11/*.c)
CLI_SRCS := $(wildcard host/cli/*.c)
MBED_SRCS = $(wildcard $(MBEDTLS)/library/*.c)

obj = $(patsubst %.c,$(OUT)/obj/%.o,$(1))
# The sim board's crypto engine (docs/crypto.md): OpenSSL's libcrypto behind
# hal_crypto, for the token and for every host tool that runs policy/.
HAL_CRYPTO_OBJ = $(call obj,boards/sim/hal_crypto_ossl.c)
CRYPTO_LIBS := -lcrypto

TOKEN := $(OUT)/sbrguard-token
CLI := $(OUT)/sbrguard
P11 := $(OUT)/libsbrguard-pkcs11.so
LIBSG := $(OUT)/libsbrguard.a
LIBSG_SO := $(OUT)/libsbrguard.so
LIBMBED := $(OUT)/libmbedcrypto.a
UNIT_TESTS := $(patsubst test/unit/%.c,$(OUT)/test/%,$(wildcard test/unit/test_*.c))

.PHONY: all build deps deps-check firmware demo test clean distclean
# deps-check runs first and alone: the build must not race the mbedTLS fetch.
all: deps-check
	@$(MAKE) --no-print-directory build
build: $(TOKEN) $(CLI) $(P11) $(LIBSG_SO) $(UNIT_TESTS)

# --- dependencies ------------------------------------------------------------
deps-check:
	@missing=0; for c in $(DEP_CMDS); do command -v $$c >/dev/null || missing=1; done; \
	for f in $(DEP_FILES); do test -e $$f || missing=1; done; \
	if [ $$missing = 1 ]; then $(MAKE) --no-print-directory deps; fi

deps:
	@missing=""; for p in $(APT_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "deps: apt-get install$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi
	@$(MAKE) --no-print-directory $(MBEDTLS_STAMP)

# mbedTLS source from Debian trixie's deb-src with a private apt state folder,
# so the machine's own apt configuration is untouched.
$(MBEDTLS_STAMP):
	@mkdir -p $(DEPS)/apt/lists/partial $(DEPS)/apt/cache/archives/partial
	@uri=$$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1); \
	[ -n "$$uri" ] || uri=$$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1); \
	[ -n "$$uri" ] || uri=http://deb.debian.org/debian; \
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $$uri trixie main" > $(DEPS)/apt/sources.list
	@set -e; A="-o Dir::Etc::SourceList=$(CURDIR)/$(DEPS)/apt/sources.list -o Dir::Etc::SourceParts=/nonexistent \
	  -o Dir::State::Lists=$(CURDIR)/$(DEPS)/apt/lists -o Dir::Cache=$(CURDIR)/$(DEPS)/apt/cache -o APT::Sandbox::User=root"; \
	  apt-get $$A update -qq; cd $(DEPS) && apt-get $$A source --download-only mbedtls >/dev/null; \
	  ls mbedtls_$(MBEDTLS_VER)*.orig.tar.* >/dev/null
	@cd $(DEPS) && tar xf mbedtls_$(MBEDTLS_VER).orig.tar.*
	@touch $@
	@echo "deps: mbedTLS $(MBEDTLS_VER) source in $(MBEDTLS)"

# --- host build (sim token, library, module, CLI) ----------------------------
$(OUT)/obj/$(MBEDTLS)/%.o: $(MBEDTLS)/%.c $(MBED_CONFIG) | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -O2 -g -fPIC $(SANFLAGS) $(MBED_DEFS) -c $< -o $@

$(OUT)/obj/%.o: %.c | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WARN) -Ipolicy -MMD -MP -c $< -o $@

$(GEN_TABLES): policy/gen_tables.py $(GEN_INPUTS)
	@mkdir -p $(dir $@)
	python3 policy/gen_tables.py > $@.tmp && mv $@.tmp $@

$(LIBMBED): $(MBEDTLS_STAMP) $(MBED_CONFIG)
	@$(MAKE) --no-print-directory mbedlib-objs
	@rm -f $@; ar rcs $@ $(call obj,$(MBED_SRCS))
.PHONY: mbedlib-objs
mbedlib-objs: $(call obj,$(MBED_SRCS))

$(LIBSG): $(call obj,$(LIB_SRCS))
	@rm -f $@; ar rcs $@ $^
$(LIBSG_SO): $(call obj,$(LIB_SRCS)) $(LIBMBED)
	$(CC) -shared $(HOST_LDFLAGS) -o $@ $(call obj,$(LIB_SRCS)) $(LIBMBED)
$(TOKEN): $(call obj,$(FW_SRCS) $(SIM_SRCS)) $(LIBMBED)
	$(CC) $(HOST_LDFLAGS) -o $@ $(call obj,$(FW_SRCS) $(SIM_SRCS)) $(LIBMBED) $(CRYPTO_LIBS)
POL_OBJS = $(call obj,$(POL_SRCS)) $(HAL_CRYPTO_OBJ)
$(CLI): $(call obj,$(CLI_SRCS)) $(POL_OBJS) $(LIBSG) $(LIBMBED)
	$(CC) $(HOST_LDFLAGS) -o $@ $(call obj,$(CLI_SRCS)) $(POL_OBJS) $(LIBSG) $(LIBMBED) $(CRYPTO_LIBS)
$(P11): $(call obj,$(P11_SRCS)) $(LIBSG) $(LIBMBED)
	$(CC) -shared $(HOST_LDFLAGS) -Wl,--version-script=host/pkcs11/exports.map -o $@ \
	  $(call obj,$(P11_SRCS)) $(LIBSG) $(LIBMBED) -lpthread

# Unit tests link the firmware core (without the sim main) and the library.
FW_CORE_OBJS = $(call obj,$(FW_SRCS) $(filter-out boards/sim/main.c,$(SIM_SRCS)))
$(OUT)/test/%: test/unit/%.c $(FW_CORE_OBJS) $(LIBSG) $(LIBMBED)
	@mkdir -p $(dir $@) $(OUT)/dep
	$(CC) $(HOST_CFLAGS) $(WARN) -Iboards/sim -Ifirmware -MMD -MP -MF $(OUT)/dep/$(notdir $@).d -o $@ $< $(FW_CORE_OBJS) $(LIBSG) $(LIBMBED) -lpthread -ldl $(CRYPTO_LIBS)

-include $(shell find $(OUT)/obj $(OUT)/dep -name '*.d' 2>/dev/null)

# --- libFuzzer targets, one per untrusted entry point (make FUZZ=1 fuzzers) ---
FUZZERS := $(OUT)/fuzz/fuzz_policy $(OUT)/fuzz/fuzz_frame $(OUT)/fuzz/fuzz_bundle $(OUT)/fuzz/fuzz_evidence \
	$(OUT)/fuzz/fuzz_exts $(OUT)/fuzz/fuzz_mailbox_scan $(OUT)/fuzz/fuzz_weakkey $(OUT)/fuzz/fuzz_blocklist
.PHONY: fuzzers
fuzzers: $(FUZZERS)
# Fuzz targets over the policy engine alone share one rule.
POL_FUZZERS := $(patsubst %,$(OUT)/fuzz/fuzz_%,policy bundle evidence exts mailbox_scan weakkey blocklist)
$(POL_FUZZERS): $(OUT)/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(POL_OBJS) $(LIBMBED)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WARN) -fsanitize=fuzzer -o $@ $< $(POL_OBJS) $(LIBMBED) $(CRYPTO_LIBS)
$(OUT)/fuzz/fuzz_frame: test/fuzz/fuzz_frame.c $(FW_CORE_OBJS) $(LIBMBED)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WARN) -Iboards/sim -Ifirmware -fsanitize=fuzzer -o $@ $< $(FW_CORE_OBJS) $(LIBMBED) $(CRYPTO_LIBS)

# --- benchmarks (measurements, not tests) ------------------------------------
BENCH_POLICY := $(OUT)/bench/bench_policy
BENCH_ISSUE := $(OUT)/bench/bench_issue
$(BENCH_ISSUE): test/bench/bench_issue.c $(FW_CORE_OBJS) $(LIBSG) $(LIBMBED)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WARN) -Iboards/sim -Ifirmware -o $@ $< $(FW_CORE_OBJS) $(LIBSG) $(LIBMBED) $(CRYPTO_LIBS)
$(BENCH_POLICY): test/bench/bench_policy.c $(POL_OBJS) $(LIBMBED)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WARN) -o $@ $< $(POL_OBJS) $(LIBMBED) -lcrypto
.PHONY: bench
bench: deps-check
ifneq ($(BOARD),sim)
	@$(MAKE) --no-print-directory BOARD=$(BOARD) board-bench
else
	@$(MAKE) --no-print-directory $(BENCH_POLICY) $(BENCH_ISSUE)
	@$(BENCH_POLICY) test/vectors/der test/vectors/smime
	@$(BENCH_ISSUE)
endif

# PKCS#11 signatures/s of our module against SoftHSM2, one run (test/bench/bench_p11.sh).
BENCH_P11 := $(OUT)/bench/bench_p11
$(BENCH_P11): test/bench/bench_p11.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(WARN) -o $@ $< -ldl -lpthread
.PHONY: bench-p11
bench-p11: deps-check
	@$(MAKE) --no-print-directory build $(BENCH_P11)
	@BIN=$(OUT) bash test/bench/bench_p11.sh

# --- firmware for a Cortex-M board -------------------------------------------
ARM_CC := arm-none-eabi-gcc
# Per-function stack bound of our firmware code (mbedTLS is measured on the board).
FW_STACK_MAX := 1536
ARM_OUT := $(B)/$(BOARD)
ARM_CFLAGS := -std=c11 -mcpu=cortex-m4 -mthumb -ffreestanding -Os -g -ffunction-sections \
	-fdata-sections -DSG_FREESTANDING -Iinclude $(MBED_DEFS)
arm_obj = $(patsubst %.c,$(ARM_OUT)/obj/%.o,$(1))
$(ARM_OUT)/obj/$(MBEDTLS)/%.o: $(MBEDTLS)/%.c $(MBED_CONFIG) | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) -c $< -o $@
# -MMD: a changed header (a struct in policy/pol_int.h, say) rebuilds every
# object that includes it; stale objects of the old layout broke the board.
$(ARM_OUT)/obj/%.o: %.c | $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) $(WARN) -Ipolicy -Wstack-usage=$(FW_STACK_MAX) -MMD -MP -c $< -o $@
ifneq ($(BOARD),sim)
-include $(shell find $(ARM_OUT)/obj -name '*.d' -not -path '*/deps/*' 2>/dev/null)
endif
$(ARM_OUT)/libsbrguard-fw.a: $(call arm_obj,$(FW_SRCS))
	@rm -f $@; arm-none-eabi-ar rcs $@ $^
$(ARM_OUT)/libmbedcrypto.a: $(MBEDTLS_STAMP) $(MBED_CONFIG)
	@$(MAKE) --no-print-directory BOARD=$(BOARD) arm-mbed-objs
	@rm -f $@; arm-none-eabi-ar rcs $@ $(call arm_obj,$(MBED_SRCS))
.PHONY: arm-mbed-objs
arm-mbed-objs: $(call arm_obj,$(MBED_SRCS))

include boards/mps2-an386/board.mk

firmware: deps-check
ifeq ($(BOARD),sim)
	@$(MAKE) --no-print-directory $(TOKEN)
else
	@$(MAKE) --no-print-directory BOARD=$(BOARD) $(ARM_OUT)/libsbrguard-fw.a $(ARM_OUT)/libmbedcrypto.a $(BOARD_IMAGES)
	@arm-none-eabi-size -t $(ARM_OUT)/libsbrguard-fw.a | tail -1
	@$(if $(BOARD_IMAGES),arm-none-eabi-size $(BOARD_IMAGES))
endif

# --- front door --------------------------------------------------------------
demo: deps-check
	@$(MAKE) --no-print-directory build
	@bash boards/sim/demo.sh

test: deps-check
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory SAN=1 build
	@$(MAKE) --no-print-directory FUZZ=1 fuzzers
	@$(MAKE) --no-print-directory firmware BOARD=mps2-an386
	@bash test/run.sh

clean:
	rm -rf $(B)/host $(B)/asan $(B)/mps2-an386
distclean:
	rm -rf $(B)

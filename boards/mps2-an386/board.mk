# SPDX-License-Identifier: Apache-2.0
# mps2-an386 (Cortex-M4 in QEMU): the image, `make run`, `make footprint`,
# `make bench BOARD=mps2-an386`. Included by the top Makefile.

MPS2 := boards/mps2-an386
MPS2_OUT := $(B)/mps2-an386
MPS2_ELF := $(MPS2_OUT)/sbrguard-fw.elf
MPS2_TEST_ELF := $(MPS2_OUT)/sbrguard-fw-test.elf
# RAM sizes, measured (README "mps2-an386"): mbedTLS's arena at its peak
# (RSA-4096 key generation) plus margin; the stack at its deepest plus margin.
MPS2_ARENA := 19456
MPS2_STACK := 5120
MPS2_SRCS := $(MPS2)/startup.c $(MPS2)/semihost.c $(MPS2)/hal_mps2.c $(MPS2)/uart.c \
	$(MPS2)/main.c $(MPS2)/board_info.c boards/common/hal_crypto_mbedtls.c
QEMU := qemu-system-arm
# The link: UART0 on a UNIX socket (QEMU serves one client at a time);
# semihosting reaches the flash, seed and clock files in the working folder.
QEMU_ARGS = -M mps2-an386 -nographic -monitor none -semihosting-config enable=on,target=native \
	-chardev socket,id=link,path=$(1),server=on,wait=off -serial chardev:link

ifeq ($(BOARD),mps2-an386)
ARM_CFLAGS += -DFW_MAX_CHANNELS=1 -DFW_ARENA_SIZE=$(MPS2_ARENA) -DFW_EV_ROOTS=4 -I$(MPS2) \
	-DFW_KEY_CACHE=0 -DFW_SESSION_KEYS=1 -DFW_SESSION_KEY_BYTES=640 \
	-DMBEDTLS_USER_CONFIG_FILE='"mps2_mbedtls.h"'
BOARD_IMAGES := $(MPS2_ELF) $(MPS2_TEST_ELF)
endif

MPS2_LDFLAGS := -mcpu=cortex-m4 -mthumb -nostartfiles --specs=nano.specs -T $(MPS2)/mps2.ld \
	-Wl,--gc-sections -Wl,--defsym=MPS2_STACK_SIZE=$(MPS2_STACK) \
	-Wl,--wrap=pol_check -Wl,--wrap=mbedtls_pk_sign -Wl,--wrap=fw_rng -Wl,--wrap=fw_cmd_sign \
	-Wl,--wrap=pol_evidence_check_ex
MPS2_LIBS = $(MPS2_OUT)/libsbrguard-fw.a $(MPS2_OUT)/libmbedcrypto.a
$(MPS2_ELF): $(call arm_obj,$(MPS2_SRCS)) $(MPS2_LIBS) $(MPS2)/mps2.ld
	$(ARM_CC) $(MPS2_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(call arm_obj,$(MPS2_SRCS)) $(MPS2_LIBS)
$(MPS2_TEST_ELF): $(call arm_obj,$(MPS2_SRCS) $(MPS2)/fault.c) $(MPS2_LIBS) $(MPS2)/mps2.ld
	$(ARM_CC) $(MPS2_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(call arm_obj,$(MPS2_SRCS) $(MPS2)/fault.c) $(MPS2_LIBS)

.PHONY: run footprint board-bench
# Runs the token in the foreground: socket and files in $(MPS2_OUT)/run.
run:
	@$(MAKE) --no-print-directory firmware BOARD=mps2-an386
	@mkdir -p $(MPS2_OUT)/run
	@test -s $(MPS2_OUT)/run/mps2-seed.bin || head -c 32 /dev/urandom > $(MPS2_OUT)/run/mps2-seed.bin
	@echo "mps2-an386: link on $(MPS2_OUT)/run/token.sock (export SBRGUARD_SOCKET=$(CURDIR)/$(MPS2_OUT)/run/token.sock); Ctrl-C stops"
	cd $(MPS2_OUT)/run && exec $(QEMU) $(call QEMU_ARGS,token.sock) -kernel $(CURDIR)/$(MPS2_ELF)

footprint:
	@$(MAKE) --no-print-directory firmware BOARD=mps2-an386
	@python3 $(MPS2)/footprint.py $(MPS2_OUT)/sbrguard-fw.map $(MPS2_OUT)/measured.txt

board-bench:
	@$(MAKE) --no-print-directory firmware BOARD=mps2-an386
	@$(MAKE) --no-print-directory build
	@bash $(MPS2)/bench.sh

# Objects follow the board's CFLAGS (arena size, channels, mbedTLS knobs).
ifeq ($(BOARD),mps2-an386)
MPS2_FLAGS_STAMP := $(MPS2_OUT)/cflags.$(shell echo "$(subst ",,$(subst ',,$(ARM_CFLAGS)))" | cksum | cut -d' ' -f1)
$(MPS2_FLAGS_STAMP): $(MPS2)/mps2_mbedtls.h
	@mkdir -p $(dir $@) && rm -f $(MPS2_OUT)/cflags.* && touch $@
$(call arm_obj,$(FW_SRCS) $(MBED_SRCS) $(MPS2_SRCS) $(MPS2)/fault.c) $(MPS2_OUT)/libmbedcrypto.a: $(MPS2_FLAGS_STAMP)
endif

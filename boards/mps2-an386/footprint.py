# SPDX-License-Identifier: Apache-2.0
"""Flash and RAM per module of the mps2-an386 image, from the linker map,
against the budget (DESIGN.md): flash <= 192 KiB, RAM <= 48 KiB.
usage: footprint.py IMAGE.map [MEASURED.txt]  (the latter from `make bench BOARD=mps2-an386`)"""
import re, sys

FLASH_BUDGET, RAM_BUDGET = 192 * 1024, 48 * 1024
FLASH_SECS = (".vectors", ".text", ".ARM.exidx", ".data")  # .data: its load image
RAM_SECS = (".data", ".bss", ".noinit", ".stack")


def module(path):
    if "libmbedcrypto.a" in path:
        return "mbedTLS"
    m = re.search(r"libsbrguard-fw\.a\((\w+)\.o\)", path)
    if m:
        return "policy" if m.group(1).startswith("pol_") else "firmware"
    if "boards/mps2-an386" in path or "boards/common" in path:
        return "board"
    if "*fill*" in path or not path:
        return "padding"
    return "libc+libgcc"


def parse(mapfile):
    flash, ram, syms = {}, {}, {}
    out, pending = None, None
    started = False
    for line in open(mapfile):
        if line.startswith("Linker script and memory map"):
            started = True
            continue
        if not started:
            continue
        m = re.match(r"^(\.[\w.]+)\s", line)
        if m:
            out = m.group(1)
            continue
        m = re.match(r"^ (\.[\w.$]+|COMMON|\*fill\*)\s*$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^ (\.[\w.$]+|COMMON|\*fill\*)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s*(.*)$", line)
        if not m or out is None:
            pending = None
            continue
        name = m.group(1) or pending
        pending = None
        size, path = int(m.group(3), 16), m.group(4).strip()
        if name is None or size == 0:
            continue
        mod = "stack" if out == ".stack" else module(path if name != "*fill*" else "")
        if out in FLASH_SECS:
            flash[mod] = flash.get(mod, 0) + size
        if out in RAM_SECS:
            ram[mod] = ram.get(mod, 0) + size
        if out in (".bss", ".data") and size >= 1024:
            syms[name.split(".")[-1]] = size
    return flash, ram, syms


flash, ram, syms = parse(sys.argv[1])
order = ["firmware", "policy", "mbedTLS", "board", "libc+libgcc", "padding", "stack"]
print("mps2-an386 footprint (%s)" % sys.argv[1])
print("  %-12s %10s %10s" % ("module", "flash", "RAM"))
for mod in order:
    if mod in flash or mod in ram:
        print("  %-12s %10d %10d" % (mod, flash.get(mod, 0), ram.get(mod, 0)))
tf, tr = sum(flash.values()), sum(ram.values())
print("  %-12s %10d %10d" % ("total", tf, tr))
print("  budget       %10d %10d" % (FLASH_BUDGET, RAM_BUDGET))
print("  flash %.1f KiB of %d KiB: %s" % (tf / 1024, FLASH_BUDGET // 1024, "OK" if tf <= FLASH_BUDGET else "OVER"))
print("  RAM   %.1f KiB of %d KiB: %s" % (tr / 1024, RAM_BUDGET // 1024, "OK" if tr <= RAM_BUDGET else "OVER"))
print("  RAM buffers of 1 KiB and more: " + ", ".join("%s %d" % kv for kv in sorted(syms.items(), key=lambda kv: -kv[1])))
print("  heap: none outside the one static mbedTLS arena (fw_rng.c 'arena'); malloc is not linked")
if len(sys.argv) > 2:
    try:
        print(open(sys.argv[2]).read().rstrip())
    except OSError:
        print("  measured stack and arena peaks: run `make bench BOARD=mps2-an386` first")
sys.exit(0 if tf <= FLASH_BUDGET and tr <= RAM_BUDGET else 1)

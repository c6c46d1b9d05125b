/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Virtual PCI Bus: the emulator's port interface.
 * Generated from vcd/vpcib/protocol.ts by vcd/card/codegen/generate.ts. Do not edit.
 */
#ifndef VPCIB_HW_H
#define VPCIB_HW_H

#define VPCIB_PORT_BASE                  0x7000
#define VPCIB_PORT_COUNT                 0x40
#define VPCIB_MAGIC                      0x42435056u /* "VPCB" */
#define VPCIB_VERSION                    1
#define VPCIB_MAX_SLOTS                  2

/* Registers: port offsets from VPCIB_PORT_BASE */
#define VPCIB_REG_MAGIC                  0x0         /* R: Reads VPCIB_MAGIC ("VPCB") when the emulator provides the bus. */
#define VPCIB_REG_VERSION                0x4         /* R: Interface version. */
#define VPCIB_REG_INFO                   0x8         /* R: [7:0] INTx interrupt line, [15:8] root bus number, [23:16] number of slots. */
#define VPCIB_REG_DOMAIN                 0xc         /* R: PCI domain number of the bus. */
#define VPCIB_REG_MEM_BASE               0x10        /* R: Physical base of the bus's memory window. */
#define VPCIB_REG_MEM_SIZE               0x14        /* R: Size of the memory window in bytes. */
#define VPCIB_REG_CFG_ADDR               0x18        /* RW: Config access address: [19:12] devfn, [11:2] dword offset of the register (bits 1:0 ignored). */
#define VPCIB_REG_CFG_DATA               0x1c        /* RW: Config data of the dword at CFG_ADDR; byte and word accesses use ports CFG_DATA + (offset & 3). */
#define VPCIB_REG_SLOT_SEL               0x20        /* RW: Selects the slot the SLOT_* and SB_* registers refer to. */
#define VPCIB_REG_SLOT_ID                0x24        /* R: [15:0] vendor, [31:16] device of the selected slot's device; 0xffffffff when the slot is empty. */
#define VPCIB_REG_SLOT_CLASS             0x28        /* R: [31:8] class code, [7:0] revision of the selected slot's device. */
#define VPCIB_REG_SLOT_CTRL              0x2c        /* RW: Bit 0 PRESENT: 1 plugs the device (config space answers), 0 unplugs and resets it. */
#define VPCIB_REG_SB_ADDR                0x30        /* RW: Sideband register index of the selected slot (emulator controls, not part of the device). */
#define VPCIB_REG_SB_DATA                0x34        /* RW: Sideband register value. */

#define VPCIB_INFO_IRQ(v)                ((v) & 0xff)
#define VPCIB_INFO_BUS(v)                (((v) >> 8) & 0xff)
#define VPCIB_INFO_SLOTS(v)              (((v) >> 16) & 0xff)
#define VPCIB_CFG_ADDR(devfn, where)     (((devfn) & 0xff) << 12 | ((where) & 0xffc))
#define VPCIB_SLOT_CTRL_PRESENT          0x1

/* Graphics card sideband registers (SB_ADDR values): emulator controls */
#define VGPU_SB_BURST                    0           /* RW: 1: complete DMA buffers back to back without simulated time (completion interrupts in rapid succession). */
#define VGPU_SB_TIME_SCALE               1           /* RW: Simulated-time speed in percent of real time (100 = real time); higher completes work sooner. */
#define VGPU_SB_IRQ_TIMING               2           /* RW: When a raised interrupt reaches the CPU: 0 prompt (end of the emulator slice), 1 adversarial (first instruction boundary after the register write that raised it), 2 random (seeded, between the two). */
#define VGPU_SB_IRQ_SEED                 3           /* RW: Seed of the random interrupt timing; writing it restarts the sequence. */
#define VGPU_SB_MODULE_INFO              4           /* W: Word stream telling the host where a module's code is, for naming a deadlock: VGPU_MODINFO_LOAD, text base, text size, name, symbol count, then per symbol address and name; or VGPU_MODINFO_GONE, name. A name is its length in bytes, then its bytes four to a word, little-endian. */
#define VGPU_IRQ_TIMING_PROMPT           0
#define VGPU_IRQ_TIMING_ADVERSARIAL      1
#define VGPU_IRQ_TIMING_RANDOM           2
#define VGPU_MODINFO_LOAD                0x4d4f444cu
#define VGPU_MODINFO_GONE                0x4d4f4447u

#endif /* VPCIB_HW_H */

/** C header for the guest's `vpcib` and `vgpu` modules, generated from protocol.ts. */
import { GPU_SIDEBAND, IRQ_TIMING_MODES, MODINFO, SLOT_CTRL_PRESENT, VPCIB, VPCIB_REGISTERS } from "./protocol.ts";

const hex = (v: number) => `0x${v.toString(16)}`;
const define = (name: string, value: string, comment?: string) => {
  const line = `#define ${name.padEnd(32)} ${value}`;
  return comment ? `${line.padEnd(52)} /* ${comment.replace(/\*\//g, "* /")} */` : line;
};

export function vpcibHeader(source: string): string {
  const L: string[] = [
    "/* SPDX-License-Identifier: GPL-2.0 */",
    "/*",
    " * Virtual PCI Bus: the emulator's port interface.",
    ` * Generated from ${source} by vcd/card/codegen/generate.ts. Do not edit.`,
    " */",
    "#ifndef VPCIB_HW_H",
    "#define VPCIB_HW_H",
    "",
    define("VPCIB_PORT_BASE", hex(VPCIB.portBase)),
    define("VPCIB_PORT_COUNT", hex(VPCIB.portCount)),
    define("VPCIB_MAGIC", `${hex(VPCIB.magic)}u`, '"VPCB"'),
    define("VPCIB_VERSION", String(VPCIB.version)),
    define("VPCIB_MAX_SLOTS", String(VPCIB.slots)),
    "",
    "/* Registers: port offsets from VPCIB_PORT_BASE */",
  ];
  for (const r of VPCIB_REGISTERS) L.push(define(`VPCIB_REG_${r.name}`, hex(r.offset), `${r.access}: ${r.doc}`));
  L.push(
    "",
    define("VPCIB_INFO_IRQ(v)", "((v) & 0xff)"),
    define("VPCIB_INFO_BUS(v)", "(((v) >> 8) & 0xff)"),
    define("VPCIB_INFO_SLOTS(v)", "(((v) >> 16) & 0xff)"),
    define("VPCIB_CFG_ADDR(devfn, where)", "(((devfn) & 0xff) << 12 | ((where) & 0xffc))"),
    define("VPCIB_SLOT_CTRL_PRESENT", hex(SLOT_CTRL_PRESENT)),
    "",
    "/* Graphics card sideband registers (SB_ADDR values): emulator controls */",
  );
  for (const r of GPU_SIDEBAND) L.push(define(`VGPU_SB_${r.name}`, String(r.offset), `${r.access}: ${r.doc}`));
  IRQ_TIMING_MODES.forEach((m, i) => L.push(define(`VGPU_IRQ_TIMING_${m.toUpperCase()}`, String(i))));
  L.push(define("VGPU_MODINFO_LOAD", `${hex(MODINFO.load)}u`), define("VGPU_MODINFO_GONE", `${hex(MODINFO.gone)}u`));
  L.push("", "#endif /* VPCIB_HW_H */", "");
  return L.join("\n");
}

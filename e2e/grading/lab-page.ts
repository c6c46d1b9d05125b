// The grader's hands on the student's page: the same lab a student uses (Build, Load through its commands, what
// runs echoed in its console), plus what the grader must see that a student sees in the Inspector and console:
// kernel events (oops, panic, warning, deadlock), the card's own problem sentences, the serial log.
import { expect, type Page } from "playwright/test";
import type { ExecResult } from "../../vcd/machine/machine.ts";
import type { RemoteMachine } from "../../web/src/machine/remote.ts";
import type { CardProblem } from "../../web/src/machine/protocol.ts";

/** An exec's result; status "oops" when the kernel oopsed during it (the machine was then restored). */
export type GradeExec = Omit<ExecResult, "status"> & { status: ExecResult["status"] | "oops"; oops?: string };

export interface KernelEventRecord { kind: string; line: string; at: number; /** For a report: which detector. */ detector?: string }
export type { CardProblem };

type Vgpu = {
  machine: RemoteMachine;
  lab: { getState(): Record<string, unknown> & {
    busy: string | null; statusText: string; problems: Array<{ severity: string; path: string | null; line: number; message: string }>;
    crash: { kind: string; title: string; tail: string } | null;
    setBusy(id: string | null): void; echo(t: string): void; setSettings(s: object): void; setCrash(c: null): void;
  } };
  importProjectBytes(data: Uint8Array, name: string): Promise<string | null>;
  watchOops: { active: boolean; seen: string | null };
  recoverFromOops(during: string | null): Promise<void>;
  commands: Array<{ id: string }>;
  runCommand(c: { id: string }): Promise<void>;
};
type Win = { vgpu: Vgpu; __grade: { events: KernelEventRecord[]; serial: string[]; serialBytes: number } };

const SERIAL_CAP = 4 << 20;

export class LabPage {
  constructor(readonly page: Page) {}

  /** Open the lab for a variant and wait for its shell; start recording kernel events and the serial console. */
  async open(variantId: string, limits: { buildTimeoutS: number; commandTimeoutS: number }, readyTimeoutMs = 600_000): Promise<void> {
    await this.page.goto(`/?variant=${encodeURIComponent(variantId)}&warm-up=off`);
    await expect(this.page.locator("body")).toHaveAttribute("data-ready", /true|error/, { timeout: readyTimeoutMs });
    if ((await this.page.locator("body").getAttribute("data-ready")) !== "true") {
      throw new Error(`the lab did not start: ${await this.page.getByTestId("status").textContent()}`);
    }
    await this.page.evaluate(([cap, lim]) => {
      const w = window as unknown as Win;
      const g = { events: [] as KernelEventRecord[], serial: [] as string[], serialBytes: 0 };
      w.__grade = g;
      w.vgpu.machine.onKernelEvent((e) => g.events.push({ kind: e.kind, line: e.line, at: Date.now(), ...("detector" in e ? { detector: e.detector } : {}) }));
      let line = "";
      w.vgpu.machine.onConsole((bytes) => {
        for (const b of bytes) {
          if (g.serialBytes >= cap) return;
          line += String.fromCharCode(b);
          if (b === 10 || line.length > 4096) { g.serial.push(line); g.serialBytes += line.length; line = ""; }
        }
      });
      // The assignment's limits, not the student's defaults: a Makefile that loops ends with the build check.
      w.vgpu.lab.getState().setSettings({ buildTimeoutS: lim.buildTimeoutS, testTimeoutS: lim.commandTimeoutS, commandTimeoutS: lim.commandTimeoutS });
    }, [SERIAL_CAP, limits] as const);
  }

  /** Hand the submission to the page as a student's Import would; returns the page's refusal, if any. */
  importProject(zip: Uint8Array, name: string): Promise<string | null> {
    return this.page.evaluate(async ([b64, n]) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      return (window as unknown as Win).vgpu.importProjectBytes(data, n);
    }, [Buffer.from(zip).toString("base64"), name] as const);
  }

  /** Run one of the page's commands (Build, Load…) to its end; returns the status line and problems it left. */
  async command(id: string): Promise<{ statusText: string; problems: Array<{ severity: string; path: string | null; line: number; message: string }>; crash: string | null }> {
    return this.page.evaluate(async (cid) => {
      const v = (window as unknown as Win).vgpu;
      const c = v.commands.find((x) => x.id === cid);
      if (!c) throw new Error(`the page has no command ${cid}`);
      await v.runCommand(c);
      const s = v.lab.getState();
      return { statusText: s.statusText, problems: s.problems, crash: s.crash ? `${s.crash.title}\n${s.crash.tail}` : null };
    }, id);
  }

  /**
   * A shell command in the guest (in /work), echoed into the student's console with its output. An oops while it
   * runs restores the machine (files kept) as the page does for a student, and the result says "oops".
   */
  exec(command: string, timeoutS: number): Promise<GradeExec> {
    return this.page.evaluate(async ([cmd, t]) => {
      const v = (window as unknown as Win).vgpu;
      const s = v.lab.getState();
      s.setBusy("grade");
      s.echo(`\n\x1b[35m[grader] /work$ ${cmd}\x1b[0m\n`);
      v.watchOops.active = true;
      v.watchOops.seen = null;
      try {
        const r: GradeExec = await v.machine.exec(cmd, { timeout: t * 1000, onStdout: (x) => v.lab.getState().echo(x) });
        if (r.status !== "exited") v.lab.getState().echo(`\x1b[31m[grader] ${r.status}${r.deadlock ? `: ${r.deadlock.line}` : ""}; the machine was restored\x1b[0m\n`);
        v.watchOops.active = false;
        if (v.watchOops.seen && r.status === "exited") {
          r.oops = v.watchOops.seen;
          v.lab.getState().setBusy(null);
          await v.recoverFromOops("grading");
          r.status = "oops";
        }
        return r;
      } finally {
        v.watchOops.active = false;
        v.watchOops.seen = null;
        v.lab.getState().setBusy(null);
      }
    }, [command, timeoutS] as const);
  }

  /** Put the machine back in its saved state (files in /work kept), as after an oops. */
  recover(): Promise<void> {
    return this.page.evaluate(async () => {
      const v = (window as unknown as Win).vgpu;
      v.lab.getState().setBusy("grade");
      try { await v.machine.recover(); } finally { v.lab.getState().setBusy(null); v.lab.getState().setCrash(null); }
    });
  }

  /** Kernel events since event number `since` (oops, panic, warning, deadlock, a detector's report). */
  kernelEvents(since = 0): Promise<KernelEventRecord[]> {
    return this.page.evaluate((n) => (window as unknown as Win).__grade.events.slice(n), since);
  }

  /** The card's problems numbered after `since`, with the ErrorFlags role of each. */
  cardProblems(since = 0): Promise<Array<CardProblem & { role: string }>> {
    return this.page.evaluate(async (n) => {
      const m = (window as unknown as Win).vgpu.machine;
      return (await m.cardProblems(n)).map((p) => ({ ...p, role: m.variant.errors.find((e) => e.name === p.error)?.role ?? "" }));
    }, since);
  }

  cardProblemCount(): Promise<number> {
    return this.page.evaluate(async () => (await (window as unknown as Win).vgpu.machine.card()).problemCount);
  }

  /** The card after its driver left: interrupts disabled and no DMA running. */
  cardQuiet(): Promise<{ intEnable: number; busy: boolean }> {
    return this.page.evaluate(async () => {
      const m = (window as unknown as Win).vgpu.machine;
      const i = m.variant.registers.findIndex((r) => r.role === "intEnable");
      return { intEnable: await m.peekRegister(i), busy: (await m.card()).busy };
    });
  }

  setIrqTiming(mode: "prompt" | "adversarial" | "random", seed = 0): Promise<void> {
    return this.page.evaluate(([m, s]) => (window as unknown as Win).vgpu.machine.setIrqTiming(m, s), [mode, seed] as const);
  }

  /** A file from the guest's /work (what the submission's programs wrote there). */
  async getFile(path: string): Promise<Uint8Array | null> {
    const b64 = await this.page.evaluate(async (p) => {
      try {
        const d = await (window as unknown as Win).vgpu.machine.getFile(p);
        let s = "";
        for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode(...d.subarray(i, i + 0x8000));
        return btoa(s);
      } catch { return null; }
    }, path);
    return b64 === null ? null : new Uint8Array(Buffer.from(b64, "base64"));
  }

  serialLog(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as Win).__grade.serial.join(""));
  }
}

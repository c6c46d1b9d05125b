// The lab page: the guest console and the card's screen. The IDE (editor, inspector) builds on this.
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import "./style.css";
import { bootInPage } from "./boot.ts";
import { attachScreen } from "./display/screen.ts";

const status = document.getElementById("status")!;
const bar = document.getElementById("progress") as HTMLProgressElement;
const term = new Terminal({ convertEol: true, fontSize: 14, scrollback: 5000 });
term.open(document.getElementById("console")!);

const t0 = performance.now();
bootInPage("/guest", (phase, f) => {
  status.textContent = phase;
  if (f !== undefined) bar.value = f;
}, document.getElementById("vga")!).then((machine) => {
  attachScreen(machine, document.getElementById("vga")!, document.getElementById("card") as HTMLCanvasElement, document.getElementById("screen-label")!);
  bar.value = 1;
  const ready = `guest ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  status.textContent = machine.assets.diskPrefetch
    ? `${ready}; fetching the compiler and headers in the background (${(machine.assets.diskPrefetch.packedBytes / 1e6).toFixed(0)} MB)…`
    : ready;
  document.body.dataset.ready = "true";
  void machine.diskPrefetched.then((r) => {
    if (status.textContent?.startsWith(ready)) {
      status.textContent = "error" in r ? `${ready}; the background fetch failed (${r.error}), so the first build reads the disk itself` : ready;
    }
    document.body.dataset.diskPrefetch = "error" in r ? "error" : "done";
  });
  machine.onConsole((b) => term.write(new Uint8Array([b])));
  machine.onKernelEvent((e) => {
    if (e.kind === "panic") status.textContent = "the guest kernel panicked: restoring the machine (your files are kept)…";
  });
  machine.onRecover(() => {
    status.textContent = "machine restored after a kernel panic; your files in /work are kept";
    term.write("\r\n\x1b[33m[vgpu-lab] the kernel panicked; the machine was restored, your files in /work are kept\x1b[0m\r\n");
    machine.sendConsole("\n");
  });
  term.onData((d) => machine.sendConsole(d));
  machine.sendConsole("\n");
  (window as unknown as { vgpu: unknown }).vgpu = { machine };
}).catch((e: Error) => {
  status.textContent = `could not start the guest: ${e.message}`;
  document.body.dataset.ready = "error";
});

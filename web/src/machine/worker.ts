// The machine's worker: v86, the card and the guest agent run here, off the page's thread, so the student's typing
// and scrolling never wait for a guest compile or the card's rasterizer. The page talks to it through RemoteMachine
// (remote.ts); protocol.ts lists the messages.
import { bootGuest } from "./boot.ts";
import { startScreenFeed, type ScreenFeed } from "./screen-feed.ts";
import { startSampling } from "../../../vcd/card/telemetry.ts";
import type { Machine } from "../../../vcd/machine/machine.ts";
import type { CallName, Calls, FromWorker, StartRequest, ToWorker } from "./protocol.ts";

// The worker's global scope, as much of it as is used (the webworker lib would retype the page's DOM globals).
declare const self: { postMessage(msg: FromWorker, transfer: Transferable[]): void; onmessage: ((ev: MessageEvent<ToWorker>) => void) | null };

const post = (msg: FromWorker, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

let machine: Machine | null = null;
let feed: ScreenFeed | null = null;
let stopSampling: (() => void) | null = null;

type Handlers = { [K in CallName]: (m: Machine, id: number, ...args: Parameters<Calls[K]>) => ReturnType<Calls[K]> | Promise<ReturnType<Calls[K]>> };

const calls: Handlers = {
  exec: (m, id, command, o) => m.exec(command, { timeout: o.timeout, cwd: o.cwd, onStdout: o.stream ? (text) => post({ t: "stdout", id, text }) : undefined }),
  putFile: (m, _id, path, data) => m.putFile(path, data),
  getFile: (m, _id, path) => m.getFile(path),
  removeFile: (m, _id, path) => m.emulator.removeFile("/" + path.replace(/^\/+/, "")),
  listFiles: (m) => m.listFiles(),
  recover: (m) => m.recover(),
  consoleTail: (m) => m.consoleTail(),
  diskBytesFetched: (m) => m.emulator.diskBytesFetched(),
  setIrqTiming: (m, _id, mode, seed) => m.platform.setIrqTiming(mode, seed),
  barAddress: (m, _id, fn, bar) => m.platform.bus.barAddress(fn, bar),
  peekRegister: (m, _id, index) => m.platform.card.peekRegister(index),
  card: (m) => ({ stats: m.platform.card.stats, cost: { ...m.platform.gpu.cost }, busy: m.platform.card.busy, problemCount: m.platform.card.trace.problemCount }),
  cardProblems: (m, _id, since) => m.platform.card.trace.problems.filter((p) => p.n > since)
    .map((p) => ({ n: p.n, kind: p.kind, register: p.register, error: p.error, message: p.message })),
};

async function start(req: StartRequest): Promise<void> {
  const { machine: m, flavour } = await bootGuest(req.base, req.variant,
    (phase, fraction, bytes, total) => post({ t: "progress", phase, fraction, bytes, total }),
    (phase, fraction, bytes, total) => post({ t: "progress", phase, fraction, bytes, total, background: true }),
    req.flavour);
  machine = m;
  if (req.jitMaxPages) m.emulator.setJitMaxPages(req.jitMaxPages);
  // The console in small batches (one message per byte would cost more than the byte).
  let pending: number[] = [];
  let flush: ReturnType<typeof setTimeout> | undefined;
  m.onConsole((b) => {
    pending.push(b);
    flush ??= setTimeout(() => {
      flush = undefined;
      const bytes = Uint8Array.from(pending);
      pending = [];
      post({ t: "console", bytes }, [bytes.buffer]);
    }, 4);
  });
  m.onKernelEvent((e) => post({ t: "kernel", e }));
  m.onRecover(() => post({ t: "recovered" }));
  setInterval(() => post({ t: "tick", instructions: m.instructionCounter(), stats: m.platform.card.stats }), 500);
  feed = startScreenFeed(m, post);
  const p = m.assets.diskPrefetch;
  post({ t: "started", bootMs: m.bootMs, flavour, prefetch: p ? { bytes: p.bytes, packedBytes: p.packedBytes, ranges: p.ranges.map(([o, l]) => [o, l]) } : null });
  void m.diskPrefetched.then((result) => post({ t: "prefetched", result }));
}

async function call(id: number, name: CallName, args: unknown[]): Promise<void> {
  try {
    if (!machine) throw new Error("the machine has not started");
    const handler = calls[name] as (m: Machine, id: number, ...a: unknown[]) => unknown;
    const value = await handler(machine, id, ...args);
    // Copied, not transferred: a file's bytes may be a view of v86's own file store.
    post({ t: "return", id, value });
  } catch (e) {
    post({ t: "return", id, error: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  switch (msg.t) {
    case "start":
      start(msg.req).catch((e: unknown) => post({ t: "failed", message: e instanceof Error ? e.message : String(e) }));
      break;
    case "call":
      void call(msg.id, msg.name, msg.args);
      break;
    case "console":
      machine?.sendConsole(msg.data);
      break;
    case "frame-done":
      feed?.frameDone();
      break;
    case "sampling":
      stopSampling?.();
      stopSampling = msg.on && machine ? startSampling(machine.platform.card, (s) => post({ t: "snapshot", s }), msg.hz) : null;
      break;
  }
};

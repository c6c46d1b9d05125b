// The host side of the guest agent protocol (guest-image/overlay/rootfs/usr/libexec/vgpu-agent):
//   request  "<id> <script-base64> [stream]\n" on the second serial line (the script changes to its folder first),
//   while running, with "stream": "@@vgpu-out <id> <stdout-line-base64>\n" per line of stdout,
//   reply    "@@vgpu <id> <status> <stdout-base64> <stderr-base64>\n".
import { base64ToBytes, bytesToBase64 } from "./v86-adapter.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface AgentReply { id: number; status: number; stdout: string; stderr: string }

/** A shell word for `s`, quoted. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A request to run `script` in folder `cwd` (or in / when that folder is missing). */
export function encodeRequest(id: number, cwd: string, script: string, stream = false): string {
  const full = `cd ${shellQuote(cwd)} 2>/dev/null || cd /\n${script}`;
  return `${id} ${bytesToBase64(enc.encode(full))}${stream ? " stream" : ""}\n`;
}

/** Splits the agent's byte stream into replies; ignores noise between them. */
export class AgentParser {
  private buf = "";
  ready = false;
  constructor(
    private readonly onReply: (r: AgentReply) => void,
    private readonly onReady: () => void = () => {},
    private readonly onOutput: (id: number, text: string) => void = () => {},
  ) {}

  push(byte: number): void {
    if (byte !== 10) {
      this.buf += String.fromCharCode(byte);
      return;
    }
    const line = this.buf.replace(/\r$/, "");
    this.buf = "";
    const streamed = line.indexOf("@@vgpu-out ");
    if (streamed >= 0) {
      const [id, data = ""] = line.slice(streamed + 11).split(" ");
      this.onOutput(Number(id), dec.decode(base64ToBytes(data)));
      return;
    }
    const at = line.indexOf("@@vgpu ");
    if (at < 0) return;
    const parts = line.slice(at + 7).split(" ");
    if (parts[0] === "ready") {
      this.ready = true;
      this.onReady();
      return;
    }
    const [id, status, out = "", err = ""] = parts;
    this.onReply({
      id: Number(id), status: Number(status),
      stdout: dec.decode(base64ToBytes(out)), stderr: dec.decode(base64ToBytes(err)),
    });
  }
}

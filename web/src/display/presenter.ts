// Drawing the card's visible screen: WebGL2 (the texture is the framebuffer bytes as they sit in VRAM; the
// shader does the pixel format), with a 2D-canvas fallback. Survives a lost WebGL context.
import { framebufferToRgba } from "../../../vcd/card/png.ts";
import type { DisplayInfo } from "../../../vcd/card/card.ts";

export interface Frame extends DisplayInfo {
  vram: Uint8Array;
}

export interface Presenter {
  readonly kind: "webgl2" | "2d";
  draw(f: Frame): void;
}

const VS = `#version 300 es
out vec2 uv;
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  uv = vec2(p.x, 1.0 - p.y) * 1.0;
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

// x8r8g8b8 is uploaded as RGBA bytes, so memory order B,G,R,X arrives as .rgba: swizzle. r5g6b5 is a GL format.
const FS = `#version 300 es
precision mediump float;
uniform sampler2D fb;
uniform bool bgrx;
in vec2 uv;
out vec4 color;
void main() {
  vec4 t = texture(fb, uv);
  color = vec4(bgrx ? t.bgr : t.rgb, 1.0);
}`;

class WebGLPresenter implements Presenter {
  readonly kind = "webgl2";
  private gl!: WebGL2RenderingContext;
  private prog!: WebGLProgram;
  private tex!: WebGLTexture;
  private lost = false;

  constructor(private readonly canvas: HTMLCanvasElement) {
    canvas.addEventListener("webglcontextlost", (e) => { e.preventDefault(); this.lost = true; });
    canvas.addEventListener("webglcontextrestored", () => { this.init(); this.lost = false; });
    this.init();
  }

  private init(): void {
    const gl = this.canvas.getContext("webgl2", { antialias: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error("no WebGL2");
    this.gl = gl;
    const sh = (type: number, src: string) => {
      const s = gl.createShader(type)!;
      gl.shaderSource(s, src);
      gl.compileShader(s);
      if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(s)}`);
      return s;
    };
    const p = gl.createProgram()!;
    gl.attachShader(p, sh(gl.VERTEX_SHADER, VS));
    gl.attachShader(p, sh(gl.FRAGMENT_SHADER, FS));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(p)}`);
    this.prog = p;
    this.tex = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.tex);
    for (const [k, v] of [[gl.TEXTURE_MIN_FILTER, gl.NEAREST], [gl.TEXTURE_MAG_FILTER, gl.NEAREST], [gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE], [gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE]]) {
      gl.texParameteri(gl.TEXTURE_2D, k!, v!);
    }
  }

  draw(f: Frame): void {
    if (this.lost) return;
    const gl = this.gl;
    const bpp = f.bytesPerPixel;
    const rows = Math.min(f.height, Math.floor((f.vram.length - f.baseBytes) / f.strideBytes));
    if (rows <= 0 || f.strideBytes % bpp) return;
    if (this.canvas.width !== f.width || this.canvas.height !== f.height) {
      this.canvas.width = f.width;
      this.canvas.height = f.height;
    }
    gl.viewport(0, 0, f.width, f.height);
    gl.bindTexture(gl.TEXTURE_2D, this.tex);
    gl.pixelStorei(gl.UNPACK_ROW_LENGTH, f.strideBytes / bpp);
    const bytes = f.strideBytes * (rows - 1) + f.width * bpp;
    if (f.format === "x8r8g8b8") {
      gl.pixelStorei(gl.UNPACK_ALIGNMENT, 4);
      const src = new Uint8Array(f.vram.buffer, f.vram.byteOffset + f.baseBytes, bytes);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, f.width, rows, 0, gl.RGBA, gl.UNSIGNED_BYTE, src);
    } else {
      gl.pixelStorei(gl.UNPACK_ALIGNMENT, 2);
      const src = new Uint16Array(f.vram.buffer, f.vram.byteOffset + (f.baseBytes & ~1), bytes >> 1);
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGB565, f.width, rows, 0, gl.RGB, gl.UNSIGNED_SHORT_5_6_5, src);
    }
    gl.useProgram(this.prog);
    gl.uniform1i(gl.getUniformLocation(this.prog, "bgrx"), f.format === "x8r8g8b8" ? 1 : 0);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }
}

class CanvasPresenter implements Presenter {
  readonly kind = "2d";
  constructor(private readonly canvas: HTMLCanvasElement) {}
  draw(f: Frame): void {
    if (this.canvas.width !== f.width || this.canvas.height !== f.height) {
      this.canvas.width = f.width;
      this.canvas.height = f.height;
    }
    const rgba = framebufferToRgba(f.vram, f);
    this.canvas.getContext("2d")!.putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer as ArrayBuffer), f.width, f.height), 0, 0);
  }
}

export function createPresenter(canvas: HTMLCanvasElement): Presenter {
  try {
    return new WebGLPresenter(canvas);
  } catch {
    return new CanvasPresenter(canvas);
  }
}

/** The input FIFO of (tag, data) entries and the output FIFO of words. Plain ring buffers. */

export class InputFifo {
  readonly depth: number;
  private readonly tags: Uint16Array;
  private readonly data: Uint32Array;
  private head = 0;
  length = 0;

  constructor(depth: number) {
    this.depth = depth;
    this.tags = new Uint16Array(depth);
    this.data = new Uint32Array(depth);
  }

  get space(): number {
    return this.depth - this.length;
  }

  /** False when full (the caller reports the overflow). */
  push(tag: number, data: number): boolean {
    if (this.length === this.depth) return false;
    const i = (this.head + this.length) % this.depth;
    this.tags[i] = tag;
    this.data[i] = data;
    this.length++;
    return true;
  }

  /** Tag of the oldest entry (caller checks length). */
  peekTag(): number {
    return this.tags[this.head]!;
  }

  peekData(): number {
    return this.data[this.head]!;
  }

  drop(): void {
    this.head = (this.head + 1) % this.depth;
    this.length--;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  save(): { tags: number[]; data: number[] } {
    const tags: number[] = [], data: number[] = [];
    for (let k = 0; k < this.length; k++) {
      const i = (this.head + k) % this.depth;
      tags.push(this.tags[i]!);
      data.push(this.data[i]!);
    }
    return { tags, data };
  }

  load(s: { tags: number[]; data: number[] }): void {
    this.clear();
    for (let k = 0; k < s.tags.length && k < this.depth; k++) this.push(s.tags[k]!, s.data[k]!);
  }
}

export class OutputFifo {
  readonly depth: number;
  private readonly words: Uint32Array;
  private head = 0;
  length = 0;

  constructor(depth: number) {
    this.depth = depth;
    this.words = new Uint32Array(depth);
  }

  push(word: number): boolean {
    if (this.length === this.depth) return false;
    this.words[(this.head + this.length) % this.depth] = word;
    this.length++;
    return true;
  }

  /** Oldest word; caller checks length. */
  pop(): number {
    const w = this.words[this.head]!;
    this.head = (this.head + 1) % this.depth;
    this.length--;
    return w;
  }

  clear(): void {
    this.head = 0;
    this.length = 0;
  }

  save(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.length; k++) out.push(this.words[(this.head + k) % this.depth]!);
    return out;
  }

  load(s: number[]): void {
    this.clear();
    for (const w of s.slice(0, this.depth)) this.push(w);
  }
}

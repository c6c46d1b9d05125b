// First-driver bugs the course kernel's detectors name, each made from the reference driver by one text transform
// (the paper's race is in racy.ts; the grader's fixtures in kmod/fixtures/submissions.ts).
import assert from "node:assert/strict";

/** The source with `from` (which it must hold exactly once) replaced. */
export function replaceOnce(source: string, from: string, to: string): string {
  assert.equal(source.split(from).length, 2, `exactly one "${from.split("\n")[0]}" in pm2ref.c`);
  return source.replace(from, to);
}

/** Closing a file keeps its DMA buffers allocated: the DMA API debugger counts them when the driver lets go of the card. */
export function dmaLeakVariant(source: string): string {
  return replaceOnce(source, "\tpm2ref_free_bufs(f);\t\t/* unless remove() has */\n", "\t/* bug: the DMA buffers are never freed */\n");
}

/** Closing a file never frees its state: kmemleak finds the object nothing points to any more. */
export function kfreeLeakVariant(source: string): string {
  return replaceOnce(source, "\tmutex_unlock(&dev->map_lock);\n\tkfree(f);\n", "\tmutex_unlock(&dev->map_lock);\n\t/* bug: f is never freed */\n");
}

/** A GFP_KERNEL allocation with the queue lock held and interrupts off: the might-sleep check reports it. */
export function sleepLockedVariant(source: string): string {
  return replaceOnce(source, "\tb->nwords = nwords;\n\tb->err = 0;\n", "\tb->nwords = nwords;\n\tkfree(kmalloc(64, GFP_KERNEL));\t/* bug: may sleep, under a spinlock */\n\tb->err = 0;\n");
}

// The paper's bug, derived from the reference driver by a text transform (there is no second copy of the driver).
import assert from "node:assert/strict";

/** The paper's bug, made from the reference driver: plain spin_lock/spin_unlock in the three ioctl-side functions. */
export function racyVariant(source: string): string {
  let out = source, changed = 0;
  for (const fn of ["pm2ref_queue", "pm2ref_done", "pm2ref_take_errors"]) {
    const start = out.search(new RegExp(`^static [^\\n]*\\b${fn}\\(`, "m"));
    assert.ok(start >= 0, `${fn} is in pm2ref.c`);
    const end = out.indexOf("\n}\n", start) + 3;
    const body = out.slice(start, end);
    const racy = body
      .replace(/spin_lock_irqsave\(([^,]+),\s*\w+\)/g, "spin_lock($1)")
      .replace(/spin_unlock_irqrestore\(([^,]+),\s*\w+\)/g, "spin_unlock($1)")
      .replace(/spin_lock_irq\(/g, "spin_lock(")
      .replace(/spin_unlock_irq\(/g, "spin_unlock(");
    assert.notEqual(racy, body, `${fn} takes the lock with interrupts off`);
    assert.doesNotMatch(racy, /_irq/, `${fn} has no interrupt-safe lock left`);
    changed++;
    out = out.slice(0, start) + racy + out.slice(end);
  }
  assert.equal(changed, 3);
  return out;
}

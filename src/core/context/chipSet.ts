/**
 * The composer's chips as a budget: at most MAX_CHIPS, MAX_CONTEXT_BYTES together. A chip that
 * would overflow is cut to what is left (and says so); when too little is left, it is refused
 * with what to do. Adding the same thing again replaces its chip.
 */
import { formatBytes } from './byteBudget';
import { MAX_CHIP_BYTES, MAX_CHIPS, MAX_CONTEXT_BYTES, MIN_CHIP_BYTES, type ContextChip } from './contextItems';

export type AddChipResult = { ok: true; chips: ContextChip[]; chip: ContextChip } | { ok: false; message: string };

/** `build(limitBytes)` makes the chip within that limit (the builders of contextItems.ts). */
export function addChip(chips: readonly ContextChip[], build: (limitBytes: number) => ContextChip): AddChipResult {
  const first = build(MAX_CHIP_BYTES);
  const others = chips.filter((chip) => chip.id !== first.id);
  if (others.length >= MAX_CHIPS) {
    return { ok: false, message: `The prompt already has ${MAX_CHIPS} context chips, the most one prompt takes. Remove one first.` };
  }
  const used = others.reduce((sum, chip) => sum + chip.bytes, 0);
  const left = Math.min(MAX_CHIP_BYTES, MAX_CONTEXT_BYTES - used);
  if (first.bytes > left && left < MIN_CHIP_BYTES) {
    return { ok: false, message: `"${first.label}" was not added: the prompt's context is full (${formatBytes(MAX_CONTEXT_BYTES)} together). Remove a chip first.` };
  }
  const chip = first.bytes > left ? build(left) : first;
  // Replaced in place, so the chips keep the order the user added them in.
  const at = chips.findIndex((c) => c.id === chip.id);
  const next = at >= 0 ? chips.map((c, i) => (i === at ? chip : c)) : [...chips, chip];
  return { ok: true, chips: next, chip };
}

export function totalBytes(chips: readonly ContextChip[]): number {
  return chips.reduce((sum, chip) => sum + chip.bytes, 0);
}

/**
 * Packs whole entity sequences into batches the GRU can run step by step.
 *
 * Within a batch, sequences are sorted longest first, so at step `t` the
 * sequences still running are a prefix of the batch (`active[t]` of them).
 * Interactions are laid out time-major (every sequence's step 0, then step
 * 1, ...), so step `t`'s inputs are one contiguous slice and the states
 * recorded before each step line up with that layout. No padding is computed.
 *
 * @module
 */
import type { Rng } from "../random.ts";

/** A set of entities whose whole training sequences run together. */
export interface SequenceBatch {
  /** Entity indices, longest sequence first. */
  entities: Int32Array;
  /** `active[t]`: how many sequences have a step `t` (non-increasing). */
  active: Int32Array;
  /** Training-interaction indices in time-major order. */
  order: Int32Array;
}

/** Builds one batch from `entities` (any order; empty sequences are dropped). */
export function makeSequenceBatch(
  entities: readonly number[],
  sequences: readonly Int32Array[],
): SequenceBatch {
  const sorted = entities.filter((e) => sequences[e].length > 0)
    .sort((a, b) => sequences[b].length - sequences[a].length || a - b);
  const maxLen = sorted.length > 0 ? sequences[sorted[0]].length : 0;
  const active = new Int32Array(maxLen);
  let total = 0;
  for (const e of sorted) {
    const len = sequences[e].length;
    total += len;
    for (let t = 0; t < len; t++) active[t]++;
  }
  const order = new Int32Array(total);
  let p = 0;
  for (let t = 0; t < maxLen; t++) {
    for (let b = 0; b < active[t]; b++) order[p++] = sequences[sorted[b]][t];
  }
  return { entities: Int32Array.from(sorted), active, order };
}

/**
 * Cuts `entities` (already in the wanted order) into consecutive batches of at
 * most `maxEntities` entities and at most `maxInteractions` interactions (an
 * entity longer than that gets a batch of its own).
 */
function chunk(
  entities: readonly number[],
  sequences: readonly Int32Array[],
  maxEntities: number,
  maxInteractions: number,
): SequenceBatch[] {
  const batches: SequenceBatch[] = [];
  let current: number[] = [];
  let size = 0;
  for (const e of entities) {
    const len = sequences[e].length;
    if (len === 0) continue;
    if (current.length > 0 && (current.length >= maxEntities || size + len > maxInteractions)) {
      batches.push(makeSequenceBatch(current, sequences));
      current = [];
      size = 0;
    }
    current.push(e);
    size += len;
  }
  if (current.length > 0) batches.push(makeSequenceBatch(current, sequences));
  return batches;
}

/**
 * Mini-batches for one training pass over a side: entities are shuffled,
 * sorted by length within pools of eight batches (so a batch's sequences have
 * similar lengths), cut into batches, and the batch order is shuffled.
 */
export function planTrainingBatches(
  sequences: readonly Int32Array[],
  batchSize: number,
  maxInteractions: number,
  rng: Rng,
): SequenceBatch[] {
  const entities = rng.shuffle(sequences.map((_, e) => e).filter((e) => sequences[e].length > 0));
  const pool = batchSize * 8;
  const ordered: number[] = [];
  for (let start = 0; start < entities.length; start += pool) {
    const part = entities.slice(start, start + pool);
    part.sort((a, b) => sequences[b].length - sequences[a].length);
    ordered.push(...part);
  }
  return rng.shuffle(chunk(ordered, sequences, batchSize, maxInteractions));
}

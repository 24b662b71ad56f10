/**
 * A two-way map between source ids (strings) and dense indices, so models
 * can use arrays and tensors while results speak the dataset's own ids.
 *
 * @module
 */

/**
 * Dense, insertion-ordered id ↔ index map.
 *
 * @example
 * ```ts
 * import { IdMap } from "./id_map.ts";
 * const users = IdMap.from(["alice", "bob", "alice"]);
 * users.size;          // 2
 * users.index("bob");  // 1
 * users.id(0);         // "alice"
 * ```
 */
export class IdMap {
  readonly #ids: string[] = [];
  readonly #index = new Map<string, number>();

  /** Builds a map from ids in first-seen order; repeats are ignored. */
  static from(ids: Iterable<string>): IdMap {
    const map = new IdMap();
    for (const id of ids) map.add(id);
    return map;
  }

  /** Rebuilds a map saved with {@linkcode IdMap.toJSON}. Throws on a repeated id. */
  static fromJSON(ids: readonly string[]): IdMap {
    const map = new IdMap();
    for (const id of ids) {
      if (map.has(id)) throw new Error(`IdMap.fromJSON: id "${id}" appears twice`);
      map.add(id);
    }
    return map;
  }

  /** Adds `id` if new; returns its index either way. */
  add(id: string): number {
    const known = this.#index.get(id);
    if (known !== undefined) return known;
    const k = this.#ids.length;
    this.#ids.push(id);
    this.#index.set(id, k);
    return k;
  }

  /** Number of ids. */
  get size(): number {
    return this.#ids.length;
  }

  /** Whether `id` is known. */
  has(id: string): boolean {
    return this.#index.has(id);
  }

  /** Index of `id`, or `undefined` when unknown. */
  get(id: string): number | undefined {
    return this.#index.get(id);
  }

  /** Index of `id`; throws a clear error when unknown. */
  index(id: string): number {
    const k = this.#index.get(id);
    if (k === undefined) throw new RangeError(`Unknown id "${id}"`);
    return k;
  }

  /**
   * The index a caller means by `ref`: a number is an index (checked against
   * the size), a string is an id (looked up). `what` ("user", "item") names
   * it in errors.
   */
  resolve(ref: number | string, what: string): number {
    if (typeof ref === "string") {
      const k = this.#index.get(ref);
      if (k === undefined) {
        throw new RangeError(
          `unknown ${what} id "${ref}" (the model knows ${this.#ids.length} ${what}s from training)`,
        );
      }
      return k;
    }
    if (!Number.isInteger(ref) || ref < 0 || ref >= this.#ids.length) {
      throw new RangeError(
        `${what} index ${ref} out of range [0, ${this.#ids.length}) (pass a string to look up an id)`,
      );
    }
    return ref;
  }

  /** Source id of index `k`; throws when out of range. */
  id(k: number): string {
    if (!Number.isInteger(k) || k < 0 || k >= this.#ids.length) {
      throw new RangeError(`Index ${k} out of range [0, ${this.#ids.length})`);
    }
    return this.#ids[k];
  }

  /** All ids in index order (a read-only view). */
  ids(): readonly string[] {
    return this.#ids;
  }

  /** The ids in index order, for saving. */
  toJSON(): string[] {
    return [...this.#ids];
  }
}

/**
 * The user index a caller means by `ref` for model `model`: an index, or a
 * user id looked up in `users`. Models saved before they kept user ids have
 * no `users`; for them an id is an error and an index is taken as it is.
 */
export function resolveUser(model: string, users: IdMap | undefined, ref: number | string): number {
  if (users) return users.resolve(ref, "user");
  if (typeof ref === "string") {
    throw new RangeError(`${model}: this model was saved without user ids; pass the user's index`);
  }
  return ref;
}

/**
 * Test assertions with the names and argument order of `@std/assert`.
 *
 * JSR is out of reach on our build machines, so these wrap Deno's built-in
 * `node:assert`. This file is the only place tests get assertions from: to
 * switch back to `@std/assert`, replace its body with
 * `export * from "jsr:@std/assert@1";`.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Fails unless `expr` is truthy. */
export function assert(expr: unknown, msg?: string): asserts expr {
  if (msg === undefined) nodeAssert.ok(expr);
  else nodeAssert.ok(expr, msg);
}

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, msg as string);
}

/** Deep, strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg as string);
}

/** `Object.is` equality. */
export function assertStrictEquals<T>(actual: T, expected: T, msg?: string): void {
  nodeAssert.strictEqual(actual, expected, msg as string);
}

/** `|actual - expected| <= tolerance` (default 1e-7 relative to the larger magnitude, at least 1e-7). */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance?: number,
  msg?: string,
): void {
  const tol = tolerance ?? Math.max(1e-7, Math.abs(expected) * 1e-7);
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  if (!(delta <= tol)) {
    throw new nodeAssert.AssertionError({
      message: msg ??
        `Expected actual: "${actual}" to be close to "${expected}": delta "${delta}" is greater than "${tol}"`,
    });
  }
}

/** `actual > expected`. */
export function assertGreater(actual: number, expected: number, msg?: string): void {
  nodeAssert.ok(actual > expected, msg ?? `Expected ${actual} > ${expected}`);
}

/** `actual >= expected`. */
export function assertGreaterOrEqual(actual: number, expected: number, msg?: string): void {
  nodeAssert.ok(actual >= expected, msg ?? `Expected ${actual} >= ${expected}`);
}

/** `actual < expected`. */
export function assertLess(actual: number, expected: number, msg?: string): void {
  nodeAssert.ok(actual < expected, msg ?? `Expected ${actual} < ${expected}`);
}

/** `actual <= expected`. */
export function assertLessOrEqual(actual: number, expected: number, msg?: string): void {
  nodeAssert.ok(actual <= expected, msg ?? `Expected ${actual} <= ${expected}`);
}

/** `actual` matches `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.match(actual, expected, msg as string);
}

/** `actual` includes `expected` as a substring. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  nodeAssert.ok(
    actual.includes(expected),
    msg ?? `Expected actual: "${actual}" to contain: "${expected}".`,
  );
}

// deno-lint-ignore no-explicit-any
type ErrorClass = new (...args: any[]) => Error;

function checkError(
  err: unknown,
  ErrorType?: ErrorClass,
  msgIncludes?: string,
): Error {
  if (!(err instanceof Error)) {
    throw new nodeAssert.AssertionError({ message: "A non-Error was thrown" });
  }
  const actual = `${err.constructor.name}: ${err.message}`;
  if (ErrorType && !(err instanceof ErrorType)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error to be instance of "${ErrorType.name}", but was ${actual}`,
    });
  }
  if (msgIncludes !== undefined && !err.message.includes(msgIncludes)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include "${msgIncludes}", but got "${err.message}"`,
    });
  }
  return err;
}

/** `fn` throws (optionally an `ErrorType` whose message includes `msgIncludes`); returns the error. */
export function assertThrows(
  fn: () => unknown,
  ErrorType?: ErrorClass,
  msgIncludes?: string,
): Error {
  try {
    fn();
  } catch (err) {
    return checkError(err, ErrorType, msgIncludes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to throw." });
}

/** `fn` rejects (optionally with an `ErrorType` whose message includes `msgIncludes`); returns the error. */
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  ErrorType?: ErrorClass,
  msgIncludes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return checkError(err, ErrorType, msgIncludes);
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to reject." });
}

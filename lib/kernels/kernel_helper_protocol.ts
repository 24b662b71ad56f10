/**
 * The control block a kernel's main thread and its helper thread share: an
 * `Int32Array` over a `SharedArrayBuffer` with these slots.
 *
 * @module
 */

/** 1 once the helper's instance is ready. */
export const READY = 0;
/** The call's state: {@linkcode IDLE}, {@linkcode WORK}, {@linkcode DONE} or {@linkcode EXIT}. */
export const STATE = 1;
/** Index of the export to call (in the names the helper was started with). */
export const FN = 2;
/** Argument count, then the arguments (32-bit integers: pointers and sizes). */
export const ARGS = 3;
/** Largest argument count a call may pass. */
export const MAX_ARGS = 24;

/** No call pending. */
export const IDLE = 0;
/** A call is posted. */
export const WORK = 1;
/** The helper finished the call. */
export const DONE = 2;
/** The helper should stop. */
export const EXIT = 3;

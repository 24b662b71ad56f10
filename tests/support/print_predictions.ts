/**
 * Loads a saved DReX model and prints, as JSON, its predictions for the pairs
 * given on standard input (`{ "users": [...], "items": [...] }`) and its
 * scores of every item for user 0. Run by the save/load test in a separate
 * process, so the round trip is checked across processes.
 *
 * @module
 */
import { DrexModel } from "../../lib/drex/drex_model.ts";

const dir = Deno.args[0];
const input = JSON.parse(await new Response(Deno.stdin.readable).text());
const model = await DrexModel.load(dir);
const predictions = model.predict(Int32Array.from(input.users), Int32Array.from(input.items));
const scores = model.scoreAllItems(Int32Array.of(0));
console.log(JSON.stringify({ predictions: Array.from(predictions), scores: Array.from(scores) }));

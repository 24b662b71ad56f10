/**
 * Token encoders by description, so that configuration files and command
 * lines can name one: the static wink embeddings, or a BERT-family model
 * from a local folder or a model-hub id.
 *
 * @module
 */
import { BertEncoder } from "../text/bert_encoder.ts";
import { StaticEncoder } from "../text/static_encoder.ts";
import type { TokenEncoder } from "../text/token_encoder.ts";

/** Which token encoder to use. */
export type EncoderSpec =
  | {
    /** wink's 100-d word embeddings: offline, context-free. */
    kind: "static";
  }
  | {
    /** A BERT-family model through transformers.js. */
    kind: "bert";
    /** A local model folder (with `onnx/`) or a hub id such as `Xenova/bert-base-uncased`. */
    model: string;
    /** Use the int8 model. @default true */
    quantized?: boolean;
    /** Sequences per batch. @default 32 */
    batchSize?: number;
  };

/** Creates the encoder `spec` describes (nothing heavy loads until it encodes). */
export async function createEncoder(spec: EncoderSpec): Promise<TokenEncoder> {
  if (spec.kind === "static") return new StaticEncoder();
  if (spec.kind === "bert") {
    return await BertEncoder.create(spec.model, {
      quantized: spec.quantized,
      batchSize: spec.batchSize,
    });
  }
  throw new RangeError(
    `unknown encoder kind "${(spec as { kind: string }).kind}" (expected "static" or "bert")`,
  );
}

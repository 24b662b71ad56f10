"use strict";
// transformers.js 2.x imports sharp for image pipelines only. DReX uses text models,
// so any call into this stub is a bug and says so plainly.
function sharp() {
  throw new Error(
    "sharp is stubbed in DReX (vendor/sharp-stub): image processing is not available in this text-only build.",
  );
}
module.exports = sharp;
module.exports.default = sharp;

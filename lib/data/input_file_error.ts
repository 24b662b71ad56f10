/**
 * Problems with an input file as a whole (not a line in it): a folder where
 * a file was expected, an empty file, truncated gzip data, a format that
 * cannot be told from the contents. The error names the file and, where a
 * setting would fix it, the reader option, so a command line can name its
 * own flag instead.
 *
 * @module
 */

/** What is wrong with an input file as a whole. */
export interface InputFileErrorInit {
  /** The file as given. */
  file: string;
  /** What is wrong, without the file name. */
  detail: string;
  /** The reader option that would fix it (`"columns"`, `"format"`), if one would. */
  option?: string;
  /** An example value of `option`, in the library's syntax. */
  example?: string;
}

/** An input file that cannot be read at all; the message names the file. */
export class InputFileError extends Error {
  /** The file as given. */
  readonly file: string;
  /** What is wrong, without the file name. */
  readonly detail: string;
  /** The reader option that would fix it, if one would. */
  readonly option: string | undefined;

  /** Builds `file: detail` (and `; set option "x" (e.g. …)` when an option would fix it). */
  constructor(init: InputFileErrorInit, errorOptions?: ErrorOptions) {
    const fix = init.option === undefined
      ? ""
      : `; set option "${init.option}"${init.example ? ` (e.g. ${init.example})` : ""}`;
    super(`${init.file}: ${init.detail}${fix}`, errorOptions);
    this.name = "InputFileError";
    this.file = init.file;
    this.detail = init.detail;
    this.option = init.option;
  }
}

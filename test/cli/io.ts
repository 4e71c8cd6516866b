/** An in-memory CliIo for command tests. */
import { Readable } from "stream";
import { CliIo } from "../../cli/io";

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

export function memoryIo(options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  let out = "";
  let err = "";
  return {
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}

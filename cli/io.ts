/** What a command may touch of the process: its streams and environment, injectable for tests. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
}

/** A command takes its arguments (after the command name) and resolves to the process exit code. */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** A reader that stops early (`| head`) closes the pipe: what is left to print has nobody to read it. */
function ignoreClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  return stream;
}

export const processIo = (): CliIo => ({
  stdin: process.stdin,
  stdout: ignoreClosedPipe(process.stdout),
  stderr: ignoreClosedPipe(process.stderr),
  env: process.env,
});

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Exit codes every command shares; a command may add its own above these. */
export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

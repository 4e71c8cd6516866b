#!/usr/bin/env node
/**
 * `pulumi-ecd <command> [arguments]`: the package's command-line tools, one module per command.
 */
import { CliIo, Command, EXIT, processIo } from "./io";
import { PR_SUMMARY_HELP, prSummaryCommand } from "./prSummary";
import { SWEEP_USAGE, sweepCommand } from "./sweep";

interface CommandEntry {
  readonly run: Command;
  readonly summary: string;
  readonly help: string;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  "pr-summary": {
    run: prSummaryCommand,
    summary: "Markdown summary of a `pulumi preview --json` for a pull request",
    help: PR_SUMMARY_HELP,
  },
  sweep: {
    run: (argv, io) =>
      sweepCommand([...argv], {
        ...io,
        stdout: io.stdout as NodeJS.WritableStream,
        stderr: io.stderr as NodeJS.WritableStream,
        isTTY: Boolean((io.stdin as { isTTY?: boolean }).isTTY),
      }),
    summary: "list (and release) desktops pulumi-ecd batches own that no given stack tracks",
    help: `${SWEEP_USAGE}\n`,
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    "Usage: pulumi-ecd <command> [arguments]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `pulumi-ecd <command> --help` for a command's arguments.",
    "",
  ].join("\n");
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`pulumi-ecd: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(command.help);
    return EXIT.ok;
  }
  return command.run(rest, io);
}

if (require.main === module) {
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`pulumi-ecd: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT.error;
    },
  );
}

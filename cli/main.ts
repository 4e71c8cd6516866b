#!/usr/bin/env node
/**
 * `pulumi-ecd <command> [arguments]`: the package's command-line tools, one module per command.
 */
import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";
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

/** The installed package's version: the nearest package.json above this file (cli/ in the source, dist/cli/ built). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "pulumi-ecd" && manifest.version) return manifest.version;
  }
  return "unknown";
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    "Usage: pulumi-ecd <command> [arguments]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `pulumi-ecd <command> --help` for a command's arguments, `pulumi-ecd --version` for the version.",
    "",
  ].join("\n");
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.stdout.write(`pulumi-ecd ${packageVersion()}\n`);
    return EXIT.ok;
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

/** A JSDoc block; paragraphs are separated by an empty ` *` line. */
export function docComment(paragraphs: readonly string[], indent = ""): string {
  const lines = paragraphs
    .filter((p) => p !== "")
    .flatMap((p, i) => [...(i === 0 ? [] : [""]), ...p.replace(/\*\//g, "*\\/").split("\n")]);
  if (lines.length === 0) return "";
  return [
    `${indent}/**`,
    ...lines.map((line) => `${indent} *${line === "" ? "" : ` ${line}`}`),
    `${indent} */`,
  ]
    .map((line) => `${line}\n`)
    .join("");
}

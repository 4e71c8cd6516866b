import { serve } from "../../plugin";

serve(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`pulumi-resource-ecd: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

// Writes infra/grafana/dashboards/*.json from grafana-dashboards.ts:
// `pnpm --filter @triphub/infra-check dashboards`.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dashboards } from "./grafana-dashboards.js";

const dir = fileURLToPath(new URL("../../../infra/grafana/dashboards/", import.meta.url));
for (const [file, dashboard] of Object.entries(dashboards())) {
  await writeFile(`${dir}${file}`, `${JSON.stringify(dashboard, null, 2)}\n`);
}

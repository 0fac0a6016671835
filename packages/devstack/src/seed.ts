import { spawn } from "node:child_process";
import { once } from "node:events";

/**
 * Loads the demo catalogue into an empty accommodation database, so a newcomer's first search
 * finds something. A database that already has properties is left as it is.
 */
export async function seedCatalogue(root: string, databaseUrl: string, properties: number): Promise<string> {
  const child = spawn(
    process.execPath,
    ["--conditions=@triphub/source", "--import", "tsx", "packages/accommodation/src/seed/main.ts", "--if-empty", "--properties", String(properties)],
    { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (c: Buffer) => (output += c));
  child.stderr?.on("data", (c: Buffer) => (output += c));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`seeding the demo catalogue failed (exit ${code}):\n${output.slice(-2000)}`);
  return output.includes("seed skipped") ? "kept the existing catalogue" : `loaded ${properties} demo properties`;
}

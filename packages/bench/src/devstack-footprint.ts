// Benchmark: `npm start`'s cold and warm start time to "ready", and the whole platform's
// resident memory once up (every process of the devstack, PostgreSQL included).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { machine, publish } from "./report.js";
import { processTree } from "./process-tree.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const dataDir = await mkdtemp(join(tmpdir(), "triphub-footprint-"));

async function start(): Promise<{ child: ChildProcess; seconds: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--conditions=@triphub/source", "--import", "tsx", "packages/devstack/src/main.ts"], {
    cwd: root,
    env: { ...process.env, DEVSTACK_DATA_DIR: dataDir, DEVSTACK_PORT_OFFSET: "23000", DEVSTACK_POSTGRES_PORT: "45432" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      out += c;
      if (out.includes("TripHub is up")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`devstack exited (${code}):\n${out}`)));
  });
  return { child, seconds: (performance.now() - t0) / 1000 };
}

async function stop(child: ChildProcess) {
  child.kill("SIGINT");
  await new Promise((r) => child.once("exit", r));
}

const cold = await start();
await new Promise((r) => setTimeout(r, 2_000)); // let start-up garbage settle
const tree = processTree(cold.child.pid!);
await stop(cold.child);
const warm = await start();
await stop(warm.child);
await rm(dataDir, { recursive: true, force: true });

const total = tree.reduce((s, p) => s + p.rssMiB, 0);
const report = [
  `## npm start footprint\n\n${machine()}\n`,
  "| measure | value |\n|---|---:|",
  `| cold start to ready (new data dir: initdb, migrations, keys) | ${cold.seconds.toFixed(1)} s |`,
  `| warm start to ready (existing data) | ${warm.seconds.toFixed(1)} s |`,
  `| resident memory, whole platform (${tree.length} processes) | ${total.toFixed(0)} MiB |\n`,
  "| process | RSS MiB |\n|---|---:|",
  ...tree.map((p) => `| ${p.command.replace(/\|/g, "/")} | ${p.rssMiB.toFixed(0)} |`),
];
publish("devstack-footprint", report.join("\n"), `cold ${cold.seconds.toFixed(1)} s, warm ${warm.seconds.toFixed(1)} s, ${total.toFixed(0)} MiB (${tree.length} processes)`);

import { readdirSync, readFileSync } from "node:fs";

function parentOf(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces): state, ppid, ...
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  } catch {
    return undefined;
  }
}

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** `root` and every process below it, with resident memory in MiB (Linux /proc). */
export function processTree(root: number): { pid: number; rssMiB: number; command: string }[] {
  const pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).map(Number);
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: { pid: number; rssMiB: number; command: string }[] = [];
  const visit = (pid: number) => {
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, 4).join(" ").slice(0, 100);
    } catch {}
    out.push({ pid, rssMiB: rssKiB(pid) / 1024, command });
    for (const c of children.get(pid) ?? []) visit(c);
  };
  visit(root);
  return out;
}

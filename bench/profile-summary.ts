import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: {
    functionName: string;
    url: string;
    lineNumber: number;
  };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileLine[];
  /** Time with the function anywhere on the stack: what it costs in all. */
  inclusive: ProfileLine[];
  files: ProfileLine[];
}

/**
 * Self time by function and by file from a `--cpu-prof` profile: each
 * sample's time goes to the function on top of the stack, which is where a
 * design spends its CPU (the callers show in a flame graph, not here).
 */
export function summariseProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  const functions = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const files = new Map<string, number>();
  let totalUs = 0;

  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parents.set(child, node.id);
  }
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const us = profile.timeDeltas[index] ?? 0;
    const where = shortUrl(node.callFrame.url);
    const onStack = new Set<string>();

    totalUs += us;
    add(functions, nameOf(node), us);
    add(files, where || nameOf(node), us);
    for (let at: number | undefined = id; at !== undefined;) {
      const frame = byId.get(at)!;

      // Anonymous wrappers and the root say nothing about the design.
      if (frame.callFrame.functionName) onStack.add(nameOf(frame));
      at = parents.get(at);
    }
    for (const name of onStack) add(inclusive, name, us);
  });

  const lines = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: us / 1000,
        share: us / totalUs,
      }));

  return {
    totalMs: totalUs / 1000,
    functions: lines(functions),
    inclusive: lines(inclusive),
    files: lines(files),
  };
}

function add(counts: Map<string, number>, name: string, us: number): void {
  counts.set(name, (counts.get(name) ?? 0) + us);
}

function nameOf(node: ProfileNode): string {
  const where = shortUrl(node.callFrame.url);

  return `${node.callFrame.functionName || '(anonymous)'}${
    where ? ` ${where}:${node.callFrame.lineNumber + 1}` : ''
  }`;
}

// Paths from the repository, packages by name: short enough for a table.
function shortUrl(url: string): string {
  if (!url.startsWith('file://')) return url;

  const path = relative(process.cwd(), fileURLToPath(url));
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);

  return inPackage ? `${inPackage[1]}/${inPackage[2]}` : path;
}

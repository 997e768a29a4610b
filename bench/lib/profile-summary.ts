/**
 * Reads a `.cpuprofile` (from `bench/ack.ts --profile`) and prints where the CPU went: the functions
 * with the most self time, and per part (a package under node_modules, a folder of src/, Node's own
 * code, garbage collection) the share of samples in which that part is on the stack, so a part's share
 * includes what it calls and shares overlap. Idle time is left out of the total.
 * Run: npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The part of the program a frame belongs to. */
export function partOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'gc';
  if (name === '(program)') return 'program';
  if (name === '(idle)') return 'idle';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [scope, pkg] = url.slice(modules + 'node_modules/'.length).split('/');
    return scope!.startsWith('@') ? `${scope}/${pkg}` : scope!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) {
    const rest = url.slice(src + 1).split('/');
    return rest.length > 2 ? `${rest[0]}/${rest[1]}` : rest.join('/');
  }
  if (url.startsWith('node:') || (!url && name)) return 'node';
  return url || 'other';
}

export function summarize(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let total = 0;
  const selfByFunction = new Map<string, number>();
  const inclusiveByPart = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += us;
    const where = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/')}:${lineNumber + 1}`;
    selfByFunction.set(where, (selfByFunction.get(where) ?? 0) + us);
    const parts = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === '(root)') continue;
      parts.add(partOf(frame.url, frame.functionName));
    }
    for (const part of parts) inclusiveByPart.set(part, (inclusiveByPart.get(part) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines = [`busy ${(total / 1000).toFixed(0)} ms`, '', 'on the stack (inclusive, overlapping):'];
  for (const [part, us] of [...inclusiveByPart].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`${pct(us)}  ${part}`);
  lines.push('', 'self time:');
  for (const [where, us] of [...selfByFunction].sort((a, b) => b[1] - a[1]).slice(0, top))
    lines.push(`${pct(us)}  ${where}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/lib/profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(top ?? 25)));
}

// The time each test file took in the last run, slowest first, from vitest's JSON report:
//   node --import tsx scripts/test-times.ts [test-results/vitest.json] [--top N]
// `setup.sh test` prints the slowest after every run, so a file that grows slow is seen at once.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface FileResult {
  name: string;
  startTime: number;
  endTime: number;
  status: string;
  assertionResults: unknown[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt === -1 ? 12 : Number(args[topAt + 1]);
const path = args.find((a, i) => !a.startsWith('--') && i !== topAt + 1) ?? 'test-results/vitest.json';
const report = JSON.parse(readFileSync(path, 'utf8')) as { startTime: number; testResults: FileResult[] };
const files = report.testResults
  .map((f) => ({ name: relative(process.cwd(), f.name), s: (f.endTime - f.startTime) / 1000, tests: f.assertionResults.length }))
  .sort((a, b) => b.s - a.s);
const total = files.reduce((sum, f) => sum + f.s, 0);
console.log(`${files.length} test files, ${total.toFixed(0)} s of test time in all; the slowest ${Math.min(top, files.length)}:`);
for (const f of files.slice(0, top)) console.log(`  ${f.s.toFixed(1).padStart(6)} s  ${f.name} (${f.tests} tests)`);

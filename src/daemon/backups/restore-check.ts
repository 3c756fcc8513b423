import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = import.meta.url;
// Run from the sources (tests, `node --import tsx`) the child is TypeScript too.
const isSource = here.endsWith('.ts');
const CHILD_ENTRY = fileURLToPath(new URL(isSource ? './restore-check-child.ts' : './restore-check-child.js', here));

/**
 * Why `file` cannot be restored (`restoreProblems`), checked in a child process: the integrity check
 * of a large backup reads every page, and the daemon's event loop keeps turning meanwhile (the
 * screens, the music, other requests). A child that fails gives the reason as a problem.
 */
export function restoreProblemsOffLoop(file: string, shownAs: string): Promise<string[]> {
  return new Promise((resolve) => {
    let answered = false;
    const child = fork(CHILD_ENTRY, [file, shownAs], {
      execArgv: isSource ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.once('message', (message) => {
      answered = true;
      const problems = (message as { problems?: unknown }).problems;
      resolve(Array.isArray(problems) ? problems.map(String) : [`${shownAs}: the check gave no answer`]);
    });
    child.once('error', (err) => {
      if (!answered) resolve([`${shownAs}: the check could not run: ${err.message}`]);
      answered = true;
    });
    child.once('exit', (code, signal) => {
      if (!answered) resolve([`${shownAs}: the check stopped (${signal ?? `code ${code}`})${stderr === '' ? '' : `: ${stderr.trim()}`}`]);
      answered = true;
    });
  });
}

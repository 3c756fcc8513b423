/**
 * The child process that checks a backup before a restore (`restoreProblems`: it opens as SQLite,
 * passes `PRAGMA integrity_check`, and holds a Moodbox schema), so that a large file's check never
 * holds the daemon's event loop. Argument: the file, then the name to give it in the reasons.
 * Answers once over IPC with `{ problems }` and exits.
 */
import { restoreProblems } from './backups.js';

const [file, shownAs] = process.argv.slice(2);
if (file === undefined || process.send === undefined) {
  process.stderr.write('usage: restore-check-child <file> [shown-as] (forked with an IPC channel)\n');
  process.exit(2);
}
const problems = restoreProblems(file, shownAs ?? file);
process.send({ problems }, () => process.exit(0));

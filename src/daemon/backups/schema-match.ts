import Database from 'better-sqlite3';
import type { Migration } from '../store/sqlite-migrations.js';

type Db = Database.Database;

/** One entry of `sqlite_master` with what SQLite made of it. */
interface SchemaObject {
  type: string;
  name: string;
  table: string;
  /** The statement that made it, normalised (`normaliseSql`); empty for SQLite's own indexes (UNIQUE, PRIMARY KEY). */
  sql: string;
  /** Columns, keys and index flags as SQLite reads them (`PRAGMA table_xinfo`, `index_xinfo`…), as JSON. */
  shape: string;
}

/**
 * Tables SQLite may add itself: `PRAGMA optimize` (the nightly job) writes its statistics there.
 * They may be present or not, but only as SQLite makes them.
 */
const OPTIONAL = /^sqlite_stat\d$/;

/**
 * Why the schema of `db` is not exactly the one Moodbox's migrations make, or an empty list: its
 * `user_version` must be one of `migrations`, and its tables (with their columns, keys and
 * constraints), indexes, triggers and views must equal, one for one, those of a fresh database
 * migrated up to that version. Each reason names what differs: an unknown version, an extra
 * trigger, a missing index, a changed table.
 */
export function schemaProblems(db: Db, migrations: readonly Migration[]): string[] {
  const version = Number(db.pragma('user_version', { simple: true }));
  const known = migrations.map((m) => m.version);
  if (!known.includes(version)) {
    const latest = known.at(-1) ?? 0;
    const why = version === 0 ? ': an empty or foreign database' : version > latest ? ': from a newer Moodbox?' : '';
    return [`schema version ${version} is not one Moodbox knows (${known.join(', ')})${why}`];
  }
  const expected = freshSchema(migrations.filter((m) => m.version <= version));
  const actual = schemaOf(db);
  const problems: string[] = [];
  for (const [key, want] of expected) {
    const have = actual.get(key);
    if (have === undefined) {
      if (!OPTIONAL.test(want.name)) problems.push(`no ${describe(want)}, which schema version ${version} has`);
    } else if (have.table !== want.table || have.sql !== want.sql || have.shape !== want.shape) {
      problems.push(`${describe(have)} differs from schema version ${version}'s`);
    }
  }
  for (const [key, have] of actual) {
    if (!expected.has(key)) problems.push(`an extra ${describe(have)}, not in schema version ${version}`);
  }
  return problems;
}

/**
 * A statement as tokens: comments and spacing dropped, words lowercased, identifiers unquoted
 * (SQLite writes `"plays"` for a table renamed to `plays`), string literals kept as they are.
 * Two statements that normalise alike make the same object; `PRAGMA` shapes catch what quoting
 * could still hide (a quoted keyword read as part of a type name).
 */
export function normaliseSql(sql: string): string {
  const tokens: string[] = [];
  let i = 0;
  const quoted = (close: string): string => {
    let text = '';
    for (i++; i < sql.length; i++) {
      if (sql[i] === close) {
        if (sql[i + 1] === close && close !== ']') {
          text += close;
          i++;
        } else break;
      } else text += sql[i];
    }
    i++;
    return text;
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    if (/\s/.test(c)) i++;
    else if (sql.startsWith('--', i)) i = sql.includes('\n', i) ? sql.indexOf('\n', i) + 1 : sql.length;
    else if (sql.startsWith('/*', i)) i = sql.includes('*/', i + 2) ? sql.indexOf('*/', i + 2) + 2 : sql.length;
    else if (c === "'") tokens.push(`'${quoted("'").replaceAll("'", "''")}'`);
    else if (c === '"' || c === '`') tokens.push(quoted(c).toLowerCase());
    else if (c === '[') tokens.push(quoted(']').toLowerCase());
    else if (/[\w$]/.test(c)) {
      const word = /^[\w$]+/.exec(sql.slice(i))?.[0] ?? c;
      tokens.push(word.toLowerCase());
      i += word.length;
    } else {
      tokens.push(c);
      i++;
    }
  }
  return tokens.join(' ');
}

/** The schema a fresh database gets from `migrations`, with the statistics tables `PRAGMA optimize` may add. */
function freshSchema(migrations: readonly Migration[]): Map<string, SchemaObject> {
  const db = new Database(':memory:');
  try {
    for (const migration of migrations) db.exec(migration.sql);
    db.exec('ANALYZE');
    return schemaOf(db);
  } finally {
    db.close();
  }
}

function schemaOf(db: Db): Map<string, SchemaObject> {
  const rows = db.prepare('SELECT type, name, tbl_name AS "table", sql FROM sqlite_master').all() as Array<{
    type: string;
    name: string;
    table: string;
    sql: string | null;
  }>;
  const objects = new Map<string, SchemaObject>();
  for (const row of rows) {
    objects.set(`${row.type} ${row.name}`, {
      type: row.type,
      name: row.name,
      table: row.table,
      sql: row.sql === null ? '' : normaliseSql(row.sql),
      shape: shapeOrWhy(db, row.type, row.name, row.table),
    });
  }
  return objects;
}

/** The shape, or why SQLite cannot read it (a view over a table that is not there): then it differs from any good one. */
function shapeOrWhy(db: Db, type: string, name: string, table: string): string {
  try {
    return shapeOf(db, type, name, table);
  } catch (err) {
    return `unreadable: ${(err as Error).message}`;
  }
}

function shapeOf(db: Db, type: string, name: string, table: string): string {
  const pragma = (what: string, of: string): unknown[] => db.prepare(`SELECT * FROM pragma_${what}(?)`).all(of);
  switch (type) {
    case 'table':
    case 'view':
      return JSON.stringify({ columns: pragma('table_xinfo', name), keys: type === 'table' ? pragma('foreign_key_list', name) : [] });
    case 'index': {
      // `seq` is only the index's place in the list; `unique`, `origin` and `partial` are what it is.
      const flags = (pragma('index_list', table) as Array<{ name: string; unique: number; origin: string; partial: number }>).find(
        (index) => index.name === name,
      );
      return JSON.stringify({
        flags: flags === undefined ? null : [flags.unique, flags.origin, flags.partial],
        columns: pragma('index_xinfo', name),
      });
    }
    default:
      return '';
  }
}

function describe(object: SchemaObject): string {
  const on = object.type === 'trigger' || object.type === 'index' ? ` on ${object.table}` : '';
  return `${object.type} \`${object.name}\`${on}`;
}

// Runs the report's SQL (emitted by reports_bench --emit-sql) on DuckDB over the same data and
// prints the time. Data comes from the SQLite file through DuckDB's sqlite extension when it
// can be loaded (it is downloaded on first use, so offline it usually cannot), else from CSV
// files exported by bench/reports.sh.
//   node run.mjs SQL_FILE (--sqlite FILE | --csv DIR) [--repeat N]
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const sqlFile = args[0];
const repeat = Number(opt('--repeat') ?? 3);
const statements = readFileSync(sqlFile, 'utf8').split(';\n').map((s) => s.trim()).filter(Boolean);

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(opt('--threads') ?? 2)}`);
let source = '';
const sqlite = opt('--sqlite');
if (sqlite) {
  try {
    await con.run('INSTALL sqlite; LOAD sqlite;');
    await con.run(`ATTACH '${sqlite}' AS s (TYPE sqlite, READ_ONLY)`);
    for (const t of ['orgs', 'residents', 'resident_tags', 'households', 'posts', 'party_orgs', 'events']) {
      await con.run(`CREATE TABLE ${t} AS SELECT * FROM s.${t}`);
    }
    source = 'sqlite extension';
  } catch (e) {
    source = '';
  }
}
if (!source) {
  const dir = opt('--csv');
  if (!dir) { console.error('duckdb: the sqlite extension is unavailable and no --csv DIR was given'); process.exit(2); }
  // Codes and dates are text in the database: keep them text (auto-detection makes numbers).
  const text = {
    orgs: ['code', 'kind', 'name'], residents: ['birth_date', 'relation', 'status', 'color'],
    resident_tags: ['tag'], households: ['color'], posts: ['role'], party_orgs: ['kind'],
    events: ['category', 'state', 'source', 'sla_class', 'damage', 'urgency'],
  };
  for (const [t, cols] of Object.entries(text)) {
    const header = readFileSync(`${dir}/${t}.csv`, 'utf8').split('\n', 1)[0].split(',');
    const types = cols.filter((c) => header.includes(c)).map((c) => `'${c}': 'VARCHAR'`).join(', ');
    const typed = types ? `, types = {${types}}` : '';
    await con.run(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${dir}/${t}.csv', header = true${typed})`);
  }
  source = 'CSV export';
}
let best = Infinity;
for (let i = 0; i < repeat; ++i) {
  const t = process.hrtime.bigint();
  for (const s of statements) { await (await con.runAndReadAll(s)).getRows(); }
  best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(`DUCKDB_MS=${best.toFixed(1)} (best of ${repeat}, ${statements.length} statements, data from ${source})`);

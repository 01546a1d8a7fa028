/** The PostgreSQL server that holds shared Terraform state in the deploy tier: queries and its advisory locks. */
import { spawnSync } from 'child_process';

/** `psql` against `conn`; throws with its message when it fails. */
export function sql(conn: string, query: string): string {
  const result = spawnSync('psql', [conn, '-v', 'ON_ERROR_STOP=1', '-qtA', '-c', query], { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}${result.error ?? ''}`);
  return result.stdout.trim();
}

/** Backend pids of the sessions that hold an advisory lock (Terraform's state lock) in `conn`'s database. */
export function lockHolders(conn: string): string[] {
  return sql(conn, "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())")
    .split('\n')
    .filter(Boolean);
}

/** The managed resources of a stack's state in schema `schema` (0 when there is no state). */
export function resourcesInSchema(conn: string, schema: string): number {
  const exists = sql(conn, `select count(*) from information_schema.tables where table_schema = '${schema}' and table_name = 'states'`);
  if (exists !== '1') return 0;
  const data = sql(conn, `select data from ${schema}.states where name = 'default'`);
  if (!data) return 0;
  const state = JSON.parse(data) as { resources?: { mode: string; instances?: unknown[] }[] };
  return (state.resources ?? []).filter((r) => r.mode === 'managed' && (r.instances ?? []).length > 0).length;
}

/** PostgreSQL itself (PGlite) for tests that confirm what a message claims. */
import type { PgliteDatabase } from '../../../src/core/trace/pglite-engine';

/** The SQLSTATE `sql` fails with, or 'ok'; a failed transaction is rolled back. */
export async function sqlstateOf(db: PgliteDatabase, sql: string): Promise<string> {
  try {
    await db.exec(sql);
    return 'ok';
  } catch (e) {
    await db.exec('ROLLBACK').catch(() => undefined);
    return String((e as { code?: string }).code);
  }
}


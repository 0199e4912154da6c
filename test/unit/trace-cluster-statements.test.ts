import assert from 'node:assert/strict';
import { outsideVerdict } from '../../src/core/trace/cluster-statements';
import { parseMigrationSql } from '../../src/core/sql/parse-migration';
import { ensureSqlParser } from '../../src/core/sql/parser';

const verdictOf = (sql: string) => {
  const st = parseMigrationSql(sql).statements[0];
  return outsideVerdict(st.node, st.text);
};

describe('statements that act outside the temporary database (dry run on a server)', () => {
  before(() => ensureSqlParser());

  const outside = [
    'DROP DATABASE victim;',
    'CREATE DATABASE other;',
    'ALTER DATABASE app SET search_path = x;',
    'ALTER DATABASE app RENAME TO app2;',
    'ALTER DATABASE app OWNER TO someone;',
    'CREATE ROLE app LOGIN;',
    'CREATE USER app;',
    "ALTER ROLE app SET statement_timeout = '1s';",
    "ALTER USER app WITH PASSWORD 'x';",
    'ALTER GROUP staff ADD USER app;',
    'ALTER ROLE app RENAME TO app2;',
    'DROP ROLE app;',
    'GRANT admin TO app;',
    'REVOKE admin FROM app;',
    'GRANT CONNECT ON DATABASE app TO reader;',
    'GRANT SET ON PARAMETER work_mem TO app;',
    "ALTER SYSTEM SET work_mem = '1GB';",
    "CREATE TABLESPACE t LOCATION '/tmp/x';",
    'DROP TABLESPACE t;',
    "COMMENT ON ROLE app IS 'x';",
    'DROP OWNED BY app;',
    'REASSIGN OWNED BY app TO other;',
    'SET ROLE app;',
    'RESET ROLE;',
    'SET SESSION AUTHORIZATION app;',
    "COPY \"User\" FROM '/etc/passwd';",
    "COPY \"User\" TO PROGRAM 'sh';",
    'DO $$ BEGIN IF true THEN CREATE ROLE app; END IF; END $$;',
  ];
  for (const sql of outside) it(`skips ${sql}`, () => assert.equal(verdictOf(sql)?.kind, 'outside', sql));

  const inside = [
    'CREATE TABLE "User"(id int);',
    'GRANT SELECT ON "User" TO app;',
    'ALTER TABLE "User" OWNER TO app;',
    "COMMENT ON TABLE \"User\" IS 'x';",
    'COPY "User" FROM STDIN;',
    "SET search_path = x;",
    'DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN ALTER TABLE "User" ADD COLUMN x int; END IF; END $$;',
    'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
  ];
  for (const sql of inside) it(`runs ${sql}`, () => assert.equal(verdictOf(sql), null, sql));

  it('flags a DO block with dynamic SQL as uncertain', () => {
    assert.match(String(verdictOf("DO $$ BEGIN EXECUTE 'ALTER TABLE x ADD y int'; END $$;")?.reason), /dynamic SQL/);
    assert.equal(verdictOf("DO $$ BEGIN EXECUTE 'ALTER TABLE x ADD y int'; END $$;")?.kind, 'uncertain');
  });

  it('flags a function whose body would change a role as uncertain (it runs only when called)', () => {
    const v = verdictOf('CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER ROLE app SET x = 1; END $$;');
    assert.equal(v?.kind, 'uncertain');
    assert.match(String(v?.reason), /ALTER ROLE/);
  });

  it('flags a DO block in another language as uncertain', () => {
    assert.equal(verdictOf('DO LANGUAGE plpython3u $$ import os $$;')?.kind, 'uncertain');
  });
});

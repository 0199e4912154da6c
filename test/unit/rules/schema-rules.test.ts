import { strict as assert } from 'node:assert';
import { isPrismaSchemaText } from '../../../src/core/rules/docs';
import { RULES } from '../../../src/core/rules/index';
import { lintSchema, lintSchemaIds } from '../support/lint-schema';

const HISTORY = [
  `CREATE TABLE "User" ("id" SERIAL NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;`,
];

const schema = (post: string) => `model User {
  id    Int    @id @default(autoincrement())
  posts Post[]
}

model Post {
  id       Int   @id @default(autoincrement())
${post}
}
`;

const OPTIONAL = '  authorId Int?\n  author   User? @relation(fields: [authorId], references: [id])';
const CASCADE = '  authorId Int?\n  author   User? @relation(fields: [authorId], references: [id], onDelete: Cascade)';
const REQUIRED = '  authorId Int\n  author   User  @relation(fields: [authorId], references: [id])';

describe('schema rules: prisma-schema-drift, prisma-on-delete-change', () => {
  it('a schema that matches the history is clean', async () => {
    assert.deepEqual(await lintSchemaIds(schema(OPTIONAL), { history: HISTORY }), []);
  });

  it('drift: onDelete written in the schema but not migrated, pointing at the argument', async () => {
    const [f] = await lintSchema(schema(CASCADE), { history: HISTORY, rules: ['prisma-schema-drift'] });
    assert.equal(f.message, 'Post.author says onDelete Cascade, but the database has ON DELETE SET NULL: deleting a "User" row still sets the key of its "Post" rows to NULL (the rows stay, pointing at no "User" row). No migration implements the change yet.');
    assert.deepEqual(await lintSchemaIds(schema(CASCADE), { history: HISTORY, rules: ['prisma-schema-drift'] }), ['prisma-schema-drift@9:66']);
    assert.equal(f.related?.[0].range.start.line, 3);
  });

  it('drift: a relation whose foreign key no migration creates', async () => {
    assert.deepEqual(await lintSchemaIds(schema(OPTIONAL), { history: [HISTORY[0].split('\n').slice(0, 2).join('\n')], rules: ['prisma-schema-drift'] }), ['prisma-schema-drift@9:18']);
  });

  it('drift: a foreign key a later migration drops says which one, points there, and names relationMode = "prisma" for a drop on purpose', async () => {
    const dropped = [...HISTORY, 'ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";'];
    const [f] = await lintSchema(schema(OPTIONAL), { history: dropped, rules: ['prisma-schema-drift'] });
    assert.equal(f.message, 'Post.author describes foreign key "Post_authorId_fkey", which migration 20250101000001_m1 drops: the database does not enforce this relation.');
    assert.match(f.help, /^If the foreign key was dropped on purpose, say so in the schema: `relationMode = "prisma"` in the datasource block/);
    assert.equal(f.related?.[0].message, '"Post_authorId_fkey" is dropped here (20250101000001_m1)');
    const recreated = [...dropped, HISTORY[0].split('\n')[2]];
    assert.deepEqual(await lintSchemaIds(schema(OPTIONAL), { history: recreated, rules: ['prisma-schema-drift'] }), [], 'created again: no drift');
  });

  it("branch scope: drift that predates the branch is not the branch's finding; drift the branch brings is", async () => {
    const two = [...HISTORY, 'CREATE INDEX "Post_id_idx" ON "Post"("id");'];
    // The schema said Cascade on the base branch too, and the branch only adds an index: not its drift.
    assert.deepEqual(await lintSchemaIds(schema(CASCADE), { history: two, baseSchema: schema(CASCADE), branch: [1], rules: ['prisma-schema-drift'] }), []);
    // The whole history (no branch), or scope all: it is reported.
    assert.deepEqual(await lintSchemaIds(schema(CASCADE), { history: two, baseSchema: schema(CASCADE), rules: ['prisma-schema-drift'] }), ['prisma-schema-drift@9:66']);
    // The branch changed the relation in the schema: its drift.
    assert.deepEqual(await lintSchemaIds(schema(CASCADE), { history: two, baseSchema: schema(OPTIONAL), branch: [1], rules: ['prisma-schema-drift'] }), ['prisma-schema-drift@9:66']);
    // The branch's migration set the foreign key the schema disagrees with: its drift.
    const resets = [HISTORY[0], 'ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;'];
    assert.deepEqual(await lintSchemaIds(schema(OPTIONAL), { history: resets, baseSchema: schema(OPTIONAL), branch: [1], rules: ['prisma-schema-drift'] }), ['prisma-schema-drift@9:18']);
  });

  it('on-delete change since the base ref: explicit, at the onDelete argument', async () => {
    const ids = await lintSchemaIds(schema(CASCADE), { history: HISTORY, baseSchema: schema(OPTIONAL), rules: ['prisma-on-delete-change'] });
    assert.deepEqual(ids, ['prisma-on-delete-change@9:66']);
  });

  it('on-delete change since the base ref: implicit, optional → required flips SetNull to Restrict', async () => {
    const [f] = await lintSchema(schema(REQUIRED), { history: HISTORY, baseSchema: schema(OPTIONAL), rules: ['prisma-on-delete-change'] });
    assert.match(f.message, /^Post\.author changes onDelete SetNull → Restrict \(implicit: the relation is now required, so Prisma’s default applies\): deleting a "User" row that still has "Post" rows now fails/);
  });

  it('no base ref, no on-delete-change finding', async () => {
    assert.deepEqual(await lintSchemaIds(schema(CASCADE), { history: HISTORY, rules: ['prisma-on-delete-change'] }), []);
  });

  for (const rule of RULES.filter((r) => r.meta.exampleLanguage === 'prisma')) {
    it(`${rule.meta.id}: the doc example is flagged and "use instead" is not`, async () => {
      const setup = rule.meta.docs.setup ?? '';
      const opts = isPrismaSchemaText(setup) ? { baseSchema: setup, history: [] } : { history: [setup] };
      assert.ok((await lintSchema(rule.meta.docs.example, { ...opts, rules: [rule.meta.id] })).length > 0);
      assert.deepEqual((await lintSchema(rule.meta.docs.useInstead, { ...opts, rules: [rule.meta.id] })).map((f) => f.message), []);
    });
  }
});

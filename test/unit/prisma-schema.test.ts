import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prismaForeignKeyName } from '../../src/core/prisma/constraint-names';
import { sqlReferentialAction } from '../../src/core/prisma/referential-actions';
import { findRelation, parsePrismaSchema, type PrismaRelation, type PrismaSchemaModel, type SchemaFile } from '../../src/core/prisma/schema';
import type { SourceRange } from '../../src/core/types';
import { CORPUS, describeWithCorpus } from './support/corpus';

const FIXTURES = join(__dirname, '..', 'fixtures', 'prisma');

function parse(text: string): PrismaSchemaModel {
  return parsePrismaSchema([{ path: 'schema.prisma', text }]);
}

function relationOf(schema: PrismaSchemaModel, model: string, field: string): PrismaRelation {
  return findRelation(schema, model, field) ?? assert.fail(`no relation ${model}.${field} among ${schema.relations.map((r) => `${r.model}.${r.field}`).join(', ')}`);
}

function textOf(text: string, range: SourceRange | null): string | null {
  return range && text.slice(range.startOffset, range.endOffset);
}

/** `line:column-line:column`, 1-based, columns in UTF-16 code units. */
function at(range: SourceRange | null): string | null {
  return range && `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column}`;
}

/** A User model and a Post model whose body is `postFields`. */
function userAndPost(postFields: string): string {
  return `model User {\n  id    Int    @id\n  email String @unique\n  posts Post[]\n}\n\nmodel Post {\n  id Int @id\n${postFields}\n}\n`;
}

describe('prisma schema: relations and referential actions', () => {
  it('lists the columns of the required scalar fields of a relation (NOT NULL in the database)', () => {
    const schema = parse(userAndPost('  authorId    Int?\n  authorEmail String\n  author      User? @relation(fields: [authorId, authorEmail], references: [id, email])'));
    assert.deepEqual(relationOf(schema, 'Post', 'author').requiredColumns, ['authorEmail']);
  });

  const cases: {
    name: string;
    fields: string;
    required: boolean;
    onDelete: [explicit: string | null, effective: string];
    onUpdate: [explicit: string | null, effective: string];
  }[] = [
    {
      name: 'a required relation defaults to onDelete Restrict, onUpdate Cascade',
      fields: '  authorId Int\n  author   User @relation(fields: [authorId], references: [id])',
      required: true,
      onDelete: [null, 'Restrict'],
      onUpdate: [null, 'Cascade'],
    },
    {
      name: 'an optional relation defaults to onDelete SetNull',
      fields: '  authorId Int?\n  author   User? @relation(fields: [authorId], references: [id])',
      required: false,
      onDelete: [null, 'SetNull'],
      onUpdate: [null, 'Cascade'],
    },
    {
      name: 'an optional relation field over a required scalar is required (Prisma counts the scalar fields)',
      fields: '  authorId Int\n  author   User? @relation(fields: [authorId], references: [id])',
      required: true,
      onDelete: [null, 'Restrict'],
      onUpdate: [null, 'Cascade'],
    },
    {
      name: 'an explicit onDelete replaces the default',
      fields: '  authorId Int\n  author   User @relation(fields: [authorId], references: [id], onDelete: Cascade)',
      required: true,
      onDelete: ['Cascade', 'Cascade'],
      onUpdate: [null, 'Cascade'],
    },
    {
      name: 'explicit onDelete and onUpdate on an optional relation',
      fields: '  authorId Int?\n  author   User? @relation(fields: [authorId], references: [id], onUpdate: NoAction, onDelete: SetNull)',
      required: false,
      onDelete: ['SetNull', 'SetNull'],
      onUpdate: ['NoAction', 'NoAction'],
    },
    {
      name: 'a composite foreign key is required when any of its scalar fields is',
      fields: '  authorId    Int?\n  authorEmail String\n  author      User? @relation(fields: [authorId, authorEmail], references: [id, email])',
      required: true,
      onDelete: [null, 'Restrict'],
      onUpdate: [null, 'Cascade'],
    },
    {
      name: 'a composite foreign key whose scalar fields are all optional is optional',
      fields: '  authorId    Int?\n  authorEmail String?\n  author      User? @relation(fields: [authorId, authorEmail], references: [id, email], onUpdate: Restrict)',
      required: false,
      onDelete: [null, 'SetNull'],
      onUpdate: ['Restrict', 'Restrict'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const schema = parse(userAndPost(c.fields));
      assert.deepEqual(schema.problems, []);
      assert.equal(schema.relations.length, 1, 'only the side with fields/references is a relation');
      const r = relationOf(schema, 'Post', 'author');
      assert.equal(r.required, c.required);
      assert.deepEqual([r.onDelete.explicit, r.onDelete.effective], c.onDelete);
      assert.deepEqual([r.onUpdate.explicit, r.onUpdate.effective], c.onUpdate);
      assert.equal(r.onDelete.range === null, c.onDelete[0] === null, 'a range exactly when the action is written');
      assert.equal(r.onUpdate.range === null, c.onUpdate[0] === null, 'a range exactly when the action is written');
    });
  }

  it('points onDelete at the `onDelete: Cascade` argument, @relation at the attribute, the field at the field', () => {
    const text = userAndPost('  authorId Int\n  author   User @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate:   Restrict) // why');
    const r = relationOf(parse(text), 'Post', 'author');
    assert.equal(textOf(text, r.onDelete.range), 'onDelete: Cascade');
    assert.equal(at(r.onDelete.range), '10:65-10:82');
    assert.equal(textOf(text, r.onUpdate.range), 'onUpdate:   Restrict');
    assert.equal(textOf(text, r.relationRange), '@relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate:   Restrict)');
    assert.equal(at(r.relationRange), '10:17-10:105');
    assert.equal(textOf(text, r.fieldRange), 'author   User @relation(fields: [authorId], references: [id], onDelete: Cascade, onUpdate:   Restrict)');
  });

  it('ranges are UTF-16 offsets and columns, also after astral characters', () => {
    const text = userAndPost('  authorId Int // ✓ 😀\n  author   User @relation("😀 by", fields: [authorId], references: [id], onDelete: Cascade)');
    const r = relationOf(parse(text), 'Post', 'author');
    assert.equal(textOf(text, r.onDelete.range), 'onDelete: Cascade');
    // "😀" is two UTF-16 code units (one code point): `onDelete` starts at column 74 of line 10, not 73.
    assert.equal(at(r.onDelete.range), '10:74-10:91');
    assert.equal(r.relationName, '😀 by');
  });

  it('keeps offsets and lines with CRLF line endings', () => {
    const text = userAndPost('  authorId Int\n  author   User @relation(fields: [authorId], references: [id], onDelete: SetDefault)').replace(/\n/g, '\r\n');
    const r = relationOf(parse(text), 'Post', 'author');
    assert.equal(textOf(text, r.onDelete.range), 'onDelete: SetDefault');
    assert.equal(at(r.onDelete.range), '10:65-10:85');
  });

  it('uses database names from @map, @@map and @@schema for columns, tables and the default FK name', () => {
    const text = [
      'model User {',
      '  id    Int    @id @map("user_id")',
      '  posts Post[]',
      '',
      '  @@map("users")',
      '  @@schema("auth")',
      '}',
      '',
      'model Post {',
      '  id       Int  @id',
      '  authorId Int  @map(name: "author_id")',
      '  author   User @relation(fields: [authorId], references: [id])',
      '',
      '  @@map(name: "posts")',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    const r = relationOf(schema, 'Post', 'author');
    assert.deepEqual(
      [r.table, r.schema, r.columns, r.referencedModel, r.referencedTable, r.referencedSchema, r.referencedColumns, r.constraintName],
      ['posts', 'public', ['author_id'], 'User', 'users', 'auth', ['user_id'], 'posts_author_id_fkey'],
    );
    assert.deepEqual([r.fields, r.references], [['authorId'], ['id']]);
    const user = schema.models.find((m) => m.name === 'User')!;
    assert.deepEqual([user.table, user.schema], ['users', 'auth']);
    assert.deepEqual(user.fields.map((f) => [f.name, f.column, f.kind]), [['id', 'user_id', 'scalar'], ['posts', null, 'relation']]);
    assert.equal(textOf(text, user.nameRange), 'User');
    assert.ok(textOf(text, user.range)!.startsWith('model User {') && textOf(text, user.range)!.endsWith('@@schema("auth")\n}'));
  });

  it('takes the FK name from `map:` when given', () => {
    const r = relationOf(parse(userAndPost('  authorId Int\n  author   User @relation(fields: [authorId], references: [id], map: "post_author_fk")')), 'Post', 'author');
    assert.equal(r.constraintName, 'post_author_fk');
  });

  it('a composite FK joins its columns in the default name', () => {
    const r = relationOf(parse(userAndPost('  authorId    Int\n  authorEmail String @map("author_email")\n  author      User @relation(fields: [authorId, authorEmail], references: [id, email])')), 'Post', 'author');
    assert.deepEqual([r.columns, r.referencedColumns, r.constraintName], [['authorId', 'author_email'], ['id', 'email'], 'Post_authorId_author_email_fkey']);
  });

  it('a self relation yields one relation, from the side with fields', () => {
    const schema = parse(
      'model Category {\n  id       Int        @id\n  parentId Int?\n  parent   Category?  @relation("Tree", fields: [parentId], references: [id], onDelete: Cascade)\n  children Category[] @relation("Tree")\n}\n',
    );
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(
      schema.relations.map((r) => [r.model, r.field, r.referencedModel, r.relationName, r.onDelete.effective, r.constraintName]),
      [['Category', 'parent', 'Category', 'Tree', 'Cascade', 'Category_parentId_fkey']],
    );
  });

  it('a one-to-one relation has one FK; an implicit many-to-many has none', () => {
    const schema = parse(
      [
        'model User {\n  id      Int      @id\n  profile Profile?\n  tags    Tag[]\n}',
        'model Profile {\n  id     Int  @id\n  userId Int  @unique\n  user   User @relation(fields: [userId], references: [id], name: "owner")\n}',
        'model Tag {\n  id    Int    @id\n  users User[]\n}',
      ].join('\n\n') + '\n',
    );
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(schema.relations.map((r) => [r.model, r.field, r.relationName]), [['Profile', 'user', 'owner']]);
  });

  it('two relations between the same models are told apart by field', () => {
    const schema = parse(
      userAndPost('  authorId Int\n  editorId Int?\n  author   User  @relation("written", fields: [authorId], references: [id])\n  editor   User? @relation("edited", fields: [editorId], references: [id], onDelete: NoAction)').replace(
        '  posts Post[]',
        '  posts Post[] @relation("written")\n  edits Post[] @relation("edited")',
      ),
    );
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(
      schema.relations.map((r) => [r.field, r.constraintName, r.onDelete.effective]),
      [['author', 'Post_authorId_fkey', 'Restrict'], ['editor', 'Post_editorId_fkey', 'NoAction']],
    );
  });

  it('reads models with /* */ and /** */ block comments, offsets unchanged', () => {
    const text = [
      '/* a header',
      '   over two lines */',
      'model User {',
      '  id    Int    @id',
      '  posts Post[]',
      '}',
      '',
      'model Post {',
      '  id       Int    @id',
      '  /**',
      '   * The author. A "/*" in here is fine.',
      '   */',
      '  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade) /* trailing */',
      '  authorId Int',
      '  title    String @default("/* not a comment */") // nor /* this',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    const r = relationOf(schema, 'Post', 'author');
    assert.equal(textOf(text, r.onDelete.range), 'onDelete: Cascade');
    assert.equal(at(r.onDelete.range), '13:67-13:84');
    assert.equal(textOf(text, r.fieldRange), 'author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)');
    assert.deepEqual(schema.models.find((m) => m.name === 'Post')!.fields.map((f) => f.name), ['id', 'author', 'authorId', 'title']);
  });
});

describe('prisma schema: models, enums, datasource', () => {
  it('reads the datasource provider and relationMode / referentialIntegrity', () => {
    const ds = (lines: string) => parse(`datasource db {\n  provider = "postgresql"\n${lines}\n}\n`);
    assert.deepEqual([ds('').datasourceProvider, ds('').relationMode], ['postgresql', 'foreignKeys']);
    assert.equal(ds('  relationMode = "prisma"').relationMode, 'prisma');
    assert.equal(ds('  referentialIntegrity = "prisma"').relationMode, 'prisma');
    assert.equal(ds('  relationMode = "foreignKeys"').relationMode, 'foreignKeys');
    assert.deepEqual(ds('  relationMode = "emulated"').problems.map((p) => p.message), ['`relationMode` must be "foreignKeys" or "prisma", not "emulated".']);
    assert.equal(parse('model A {\n  id Int @id\n}\n').datasourceProvider, null);
  });

  it('reads enums with @map, @@map and @@schema, and classifies field types', () => {
    const text = [
      'enum Role {',
      '  USER  @map("user")',
      '  ADMIN',
      '',
      '  @@map("role")',
      '  @@schema("auth")',
      '}',
      '',
      'model Doc {',
      '  id     Int                      @id',
      '  role   Role                     @default(USER)',
      '  search Unsupported("tsvector")?',
      '  tags   String[]',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(
      schema.enums.map((e) => [e.name, e.dbName, e.schema, e.values, e.dbValues, e.range.start.line, e.range.end.line]),
      [['Role', 'role', 'auth', ['USER', 'ADMIN'], ['user', 'ADMIN'], 1, 7]],
    );
    assert.deepEqual(
      schema.models[0].fields.map((f) => [f.name, f.type, f.kind, f.optional, f.list]),
      [
        ['id', 'Int', 'scalar', false, false],
        ['role', 'Role', 'enum', false, false],
        ['search', 'Unsupported("tsvector")', 'unsupported', true, false],
        ['tags', 'String', 'scalar', false, true],
      ],
    );
  });

  it('a relation to a view or from a view is not a foreign key', () => {
    const schema = parse(
      'model User {\n  id Int @id\n}\n\nview UserInfo {\n  id     Int  @unique\n  userId Int\n  user   User @relation(fields: [userId], references: [id])\n}\n',
    );
    assert.deepEqual(schema.problems, []);
    assert.deepEqual([schema.models.map((m) => m.name), schema.relations], [['User'], []]);
  });

  it('reads a multi-file schema: relations, enums and names across files', () => {
    const dir = join(FIXTURES, 'multi-file');
    const files = ['schema.prisma', 'models/post.prisma', 'models/user.prisma'].map((p) => ({ path: join(dir, p), text: readFileSync(join(dir, p), 'utf8') }));
    const schema = parsePrismaSchema(files);
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(schema.files, files.map((f) => f.path));
    assert.equal(schema.datasourceProvider, 'postgresql');
    const r = relationOf(schema, 'Post', 'author');
    assert.deepEqual(
      [relative(dir, r.file), r.table, r.schema, r.columns, r.referencedTable, r.referencedSchema, r.referencedColumns, r.constraintName, r.required, r.onDelete.effective],
      ['models/post.prisma', 'posts', 'public', ['author_id'], 'users', 'auth', ['user_id'], 'posts_author_id_fkey', false, 'SetNull'],
    );
    assert.equal(textOf(files[1].text, r.onDelete.range), 'onDelete: SetNull');
    assert.equal(r.onDelete.range!.start.line, 6);
    const user = schema.models.find((m) => m.name === 'User')!;
    assert.equal(relative(dir, user.file), 'models/user.prisma');
    assert.equal(user.fields.find((f) => f.name === 'role')!.kind, 'enum');
    assert.deepEqual(schema.enums.map((e) => [e.dbName, e.schema, e.dbValues]), [['user_role', 'auth', ['member', 'admin']]]);
  });
});

/** `name:type?[] column` of every field, model by model. */
function fieldsOf(schema: PrismaSchemaModel): string[] {
  return schema.models.flatMap((m) => m.fields.map((f) => `${m.name}.${f.name}:${f.type}${f.list ? '[]' : ''}${f.optional ? '?' : ''} ${f.column}`));
}

describe('prisma schema: the syntax', () => {
  it('reads a field: type, `?` or `[]`, attributes; strings with escapes', () => {
    const text = [
      'model A {',
      '  id     Int      @id @map("a\\"b\\\\c\\u00e9\\n")',
      '  tags   String[] @default([])',
      '  note   String?  @map(name: "note")',
      '  search Unsupported("tsvector")? @default(dbgenerated("to_tsvector(\'simple\', \\"x\\")"))',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(fieldsOf(schema), ['A.id:Int a"b\\cé\n', 'A.tags:String[] tags', 'A.note:String? note', 'A.search:Unsupported("tsvector")? search']);
    assert.equal(schema.models[0].fields[3].kind, 'unsupported');
  });

  it('reads block attributes and every kind of argument value', () => {
    const text = [
      'model Order {',
      '  id        Int      @default(autoincrement())',
      '  shopId    Int      @default(-1)',
      '  total     Decimal  @default(1.5) @db.Decimal(10, 2)',
      '  paid      Boolean  @default(false)',
      '  data      Json     @default("{}")',
      '  createdAt DateTime @default(now()) @updatedAt',
      '',
      '  @@id([id, shopId])',
      '  @@unique([shopId, createdAt(sort: Desc)], map: "order_shop",)',
      '  @@index([data(ops: JsonbPathOps)], type: Gin)',
      '  @@map("orders")',
      '  @@schema("sales")',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    assert.deepEqual([schema.models[0].table, schema.models[0].schema, schema.models[0].fields.length], ['orders', 'sales', 6]);
  });

  it('reads datasource and generator settings, views and composite types', () => {
    const text = [
      'generator client {',
      '  provider        = "prisma-client-js"',
      '  previewFeatures = ["multiSchema", "views"]',
      '}',
      'datasource db {',
      '  provider = "postgresql"',
      '  url      = env("DATABASE_URL")',
      '  schemas  = ["public", "sales"]',
      '}',
      'type Address {',
      '  street String',
      '}',
      'view Totals {',
      '  id Int @unique',
      '}',
      'model Shop {',
      '  id      Int     @id',
      '  address Address',
      '  totals  Totals?',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    assert.equal(schema.datasourceProvider, 'postgresql');
    assert.deepEqual(schema.models.map((m) => m.name), ['Shop']);
    assert.deepEqual(schema.models[0].fields.map((f) => [f.name, f.kind, f.column]), [['id', 'scalar', 'id'], ['address', 'composite', 'address'], ['totals', 'relation', null]]);
  });

  it('skips // and /// comments anywhere a line may end, also after `{` (with spaces too)', () => {
    const text = [
      '/// A shop',
      'model Shop { // the shop',
      '  /// its id',
      '  id   Int    @id // primary key',
      '  name String /// shown',
      '} // end',
      'model Tag {   ',
      '  id Int @id',
      '}',
    ].join('\n');
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    assert.deepEqual(fieldsOf(schema), ['Shop.id:Int id', 'Shop.name:String name', 'Tag.id:Int id']);
    const [id, name] = schema.models[0].fields;
    assert.equal(textOf(text, id.range), 'id   Int    @id', 'a field ends before its comment');
    assert.equal(textOf(text, name.range), 'name String');
    assert.equal(textOf(text, schema.models[0].range), text.slice(text.indexOf('model Shop'), text.indexOf('} // end') + 1));
  });

  const spellings: [name: string, spell: (text: string) => string][] = [
    ['CRLF line breaks', (t) => t.replace(/\n/g, '\r\n')],
    ['lone CR line breaks', (t) => t.replace(/\n/g, '\r')],
    ['a BOM and tabs', (t) => '\uFEFF' + t.replace(/ {2}/g, '\t')],
  ];
  for (const [name, spell] of spellings) {
    it(`reads the same schema written with ${name}`, () => {
      const text = spell(userAndPost('  authorId Int    @map("author_id")\n  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)'));
      const schema = parse(text);
      assert.deepEqual(schema.problems, []);
      assert.deepEqual(fieldsOf(schema), ['User.id:Int id', 'User.email:String email', 'User.posts:Post[] null', 'Post.id:Int id', 'Post.authorId:Int author_id', 'Post.author:User null']);
      const r = relationOf(schema, 'Post', 'author');
      assert.equal(textOf(text, r.onDelete.range), 'onDelete: Cascade');
      assert.equal(r.onDelete.range!.start.line, 10);
    });
  }

  it('ranges after astral characters in strings and comments are UTF-16 offsets', () => {
    const text = 'model A {\n  id   Int    @id @default("😀😀") // 𝄞\n  name String @map("é")\n}\n';
    const schema = parse(text);
    assert.deepEqual(schema.problems, []);
    const name = schema.models[0].fields[1];
    assert.equal(textOf(text, name.range), 'name String @map("é")');
    assert.equal(at(name.range), '3:3-3:24');
  });

  it('reads an empty model (the previous reader threw on one)', () => {
    const schema = parse('model A {\n}\n');
    assert.deepEqual([schema.problems, schema.models.map((m) => [m.name, m.fields.length])], [[], [['A', 0]]]);
  });
});

describe('prisma schema: problems instead of exceptions', () => {
  it('a file that does not parse is a problem with a position; the other files are still read', () => {
    const files: SchemaFile[] = [
      { path: 'user.prisma', text: 'model User {\n  id    Int    @id\n  posts Post[]\n}\n' },
      { path: 'post.prisma', text: 'model Post {\n  id Int @id @default(autoincrement(\n}\n' },
    ];
    const schema = parsePrismaSchema(files);
    assert.deepEqual(
      schema.problems.map((p) => [p.file, p.message, at(p.range)]),
      // `Post` is unknown only because its file did not parse: that is not reported again.
      [['post.prisma', "Expecting ')' but found a line break.", '2:37-2:37']],
    );
    assert.deepEqual(schema.models.map((m) => m.name), ['User']);
    assert.deepEqual(schema.files, ['user.prisma', 'post.prisma']);
  });

  it('an unknown field type is a problem', () => {
    const schema = parse('model User {\n  id    Int    @id\n  posts Post[]\n}\n');
    assert.deepEqual(
      schema.problems.map((p) => [p.message, at(p.range)]),
      [['Type `Post` of `User.posts` is neither a built-in type nor a model, enum or composite type of the schema.', '3:3-3:15']],
    );
  });

  it('an unclosed model is a problem at the end of the file', () => {
    const schema = parse('model A {\n  id Int @id\n');
    assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [["Expecting '}' but found the end of the file.", '3:1-3:1']]);
  });

  it('a misspelt block keyword is named', () => {
    const schema = parse('model A {\n  id Int @id\n}\n\nmodle B {\n  id Int @id\n}\n');
    assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [['Unknown block `modle`: expected model, view, type, enum, datasource or generator.', '5:1-5:6']]);
  });

  it('characters the lexer skips are reported, not silently dropped', () => {
    const schema = parse('model A {\n  id   Int    @id\n  name String @default("x") $\n}\n');
    assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [["Unexpected `$`: not part of Prisma's schema language.", '3:29-3:30']]);
    assert.deepEqual(schema.models[0].fields.map((f) => f.name), ['id', 'name']);
  });

  it('an unterminated block comment is a problem', () => {
    const schema = parse('model A {\n  id Int @id\n}\n/* never closed\n');
    assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [['Unterminated block comment: `/*` without `*/`.', '4:1-4:3']]);
  });

  const invalid: { name: string; fields: string; message: string; relations: number }[] = [
    {
      name: 'an unknown referential action',
      fields: '  authorId Int\n  author   User @relation(fields: [authorId], references: [id], onDelete: Explode)',
      message: '`onDelete` of `Post.author` must be one of Cascade, Restrict, NoAction, SetNull, SetDefault.',
      relations: 1,
    },
    {
      name: 'a required relation field over an optional scalar (Prisma rejects it)',
      fields: '  authorId Int?\n  author   User @relation(fields: [authorId], references: [id])',
      message: 'The relation field `Post.author` uses the scalar fields authorId. At least one of those fields is optional. Hence the relation field must be optional as well.',
      relations: 1,
    },
    {
      name: 'fields and references of different lengths',
      fields: '  authorId Int\n  author   User @relation(fields: [authorId], references: [id, email])',
      message: 'The relation `Post.author` must have as many `fields` as `references` (1 and 2).',
      relations: 0,
    },
    {
      name: 'fields without references',
      fields: '  authorId Int\n  author   User @relation(fields: [authorId])',
      message: 'The relation `Post.author` needs both `fields` and `references`.',
      relations: 0,
    },
    {
      name: 'a field name that does not exist',
      fields: '  authorId Int\n  author   User @relation(fields: [authorID], references: [id])',
      message: '`fields` of `Post.author` names no scalar field of `Post`: authorID.',
      relations: 0,
    },
    {
      name: 'a referenced field that does not exist',
      fields: '  authorId Int\n  author   User @relation(fields: [authorId], references: [uuid])',
      message: '`references` of `Post.author` names no scalar field of `User`: uuid.',
      relations: 0,
    },
  ];
  for (const c of invalid) {
    it(`reports ${c.name}`, () => {
      const schema = parse(userAndPost(c.fields));
      assert.deepEqual(schema.problems.map((p) => p.message), [c.message]);
      assert.equal(schema.problems[0].range?.start.line, 10);
      assert.equal(schema.relations.length, c.relations);
    });
  }

  it('a model declared twice is reported', () => {
    const schema = parsePrismaSchema([
      { path: 'a.prisma', text: 'model A {\n  id Int @id\n}\n' },
      { path: 'b.prisma', text: '\nmodel A {\n  id Int @id\n}\n' },
    ]);
    assert.deepEqual(schema.problems.map((p) => [p.file, p.message, at(p.range)]), [['b.prisma', '`A` is declared twice (also in a.prisma).', '2:7-2:8']]);
  });
});

describe('prisma schema: a syntax error costs its block, not the file', () => {
  const A = 'model A {\n  id Int @id\n}\n';
  const C = 'model C {\n  id Int @id\n  a  A   @relation(fields: [id], references: [id])\n}\n';
  const cases: { name: string; broken: string; message: string; at: string }[] = [
    { name: 'arguments over two lines', broken: 'model B {\n  id Int @id @default(\n  name String\n}\n', message: "Expecting ')' but found a line break.", at: '5:23-5:23' },
    { name: 'two fields on one line', broken: 'model B {\n  id Int @id name String\n}\n', message: "Expecting a line break but found 'name'.", at: '5:14-5:18' },
    { name: "a field and '}' on one line", broken: 'model B {\n  id Int @id }\n', message: "Expecting a line break but found '}'.", at: '5:14-5:15' },
    { name: 'an unterminated string', broken: 'model B {\n  id Int @id @map("id)\n}\n', message: 'Unterminated string: no closing `"` on its line.', at: '5:19-5:23' },
    { name: 'a field without a type', broken: 'model B {\n  id\n}\n', message: 'Expecting the type of `id` but found a line break.', at: '5:5-5:5' },
    { name: 'an optional list', broken: 'model B {\n  ids Int[]?\n}\n', message: 'Optional lists are not supported: `Int[]` or `Int?`.', at: '5:12-5:13' },
    { name: 'an unknown block keyword', broken: 'modle B {\n  id Int @id\n}\n', message: 'Unknown block `modle`: expected model, view, type, enum, datasource or generator.', at: '4:1-4:6' },
    { name: 'text outside any block', broken: 'oops\n', message: "Expecting a block (model, view, type, enum, datasource or generator) but found 'oops'.", at: '4:1-4:5' },
    { name: 'two enum values on one line', broken: 'enum B {\n  X Y\n}\n', message: "Expecting a line break but found 'Y'.", at: '5:5-5:6' },
    { name: 'a field in a datasource', broken: 'datasource db {\n  provider String\n}\n', message: "Expecting '=' but found 'String'.", at: '5:12-5:18' },
    {
      name: 'arrays nested 200 deep',
      broken: `model B {\n  id Int @default(${'['.repeat(200)}${']'.repeat(200)})\n}\n`,
      message: 'Nested more than 64 levels deep.',
      at: '5:83-5:84',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: reported; the blocks before and after are read`, () => {
      const schema = parse(A + c.broken + C);
      assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [[c.message, c.at]]);
      assert.deepEqual(schema.models.map((m) => m.name), ['A', 'C']);
      assert.deepEqual(schema.relations.map((r) => [r.model, r.referencedModel]), [['C', 'A']]);
    });
  }

  it("a block without its '}' is reported where the next one starts, which is read", () => {
    const schema = parse('model A {\n  id Int @id\n\nmodel B {\n  id Int @id\n}\n');
    assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [["Expecting '}' but found 'model'.", '4:1-4:6']]);
    assert.deepEqual(schema.models.map((m) => m.name), ['B']);
  });

  it('braces and quotes inside strings and comments do not end a block', () => {
    const schema = parse('model A {\n  id Int @id @default("}")\n  b String @default("\\" }") // }\n  /* } */\n}\nmodel B {\n  id Int @id\n}\n');
    assert.deepEqual([schema.problems, fieldsOf(schema)], [[], ['A.id:Int id', 'A.b:String b', 'B.id:Int id']]);
  });

  it('text outside any block is one problem, up to the next block', () => {
    const schema = parse(A + '}\n}\noops {\n  id Int\n}\n' + C);
    assert.deepEqual(schema.problems.map((p) => [p.message, at(p.range)]), [["Expecting a block (model, view, type, enum, datasource or generator) but found '}'.", '4:1-4:2']]);
    assert.deepEqual(schema.models.map((m) => m.name), ['A', 'C']);
  });

  it('lists 100 problems of a file, then how many more there are', () => {
    const schema = parse('$ '.repeat(150) + '\n' + A);
    assert.equal(schema.problems.length, 101);
    assert.equal(schema.problems[100].message, '50 more syntax problems in this file are not listed.');
    assert.deepEqual(schema.models.map((m) => m.name), ['A']);
  });
});

describe('prisma schema: foreign key names', () => {
  const cases: [table: string, columns: string[], expected: string][] = [
    ['Post', ['authorId'], 'Post_authorId_fkey'],
    ['Post', ['authorId', 'authorEmail'], 'Post_authorId_authorEmail_fkey'],
    // `{table}_{columns}` of 57 and 58 bytes is kept whole (at most 63 with `_fkey`)...
    ['a'.repeat(50), ['b'.repeat(6)], `${'a'.repeat(50)}_${'b'.repeat(6)}_fkey`],
    ['a'.repeat(50), ['b'.repeat(7)], `${'a'.repeat(50)}_${'b'.repeat(7)}_fkey`],
    // ...one byte more is cut to 58 bytes.
    ['a'.repeat(50), ['b'.repeat(8)], `${'a'.repeat(50)}_${'b'.repeat(7)}_fkey`],
    // Bytes of UTF-8, cut back to a character boundary: "é" is 2 bytes and would straddle byte 58.
    ['a'.repeat(55), ['xé'], `${'a'.repeat(55)}_x_fkey`],
    ['in_app_agent_pending_tool_approvals', ['conversation_id', 'project_id'], 'in_app_agent_pending_tool_approvals_conversation_id_projec_fkey'],
  ];
  for (const [table, columns, expected] of cases) {
    it(`${table.length > 20 ? `${table.slice(0, 12)}…(${table.length})` : table} ${columns.join(',')} → ${expected.length} chars`, () => {
      assert.equal(prismaForeignKeyName(table, columns), expected);
      assert.ok(Buffer.byteLength(prismaForeignKeyName(table, columns)) <= 63);
    });
  }

  it('spells actions as SQL does', () => {
    assert.deepEqual((['Cascade', 'Restrict', 'NoAction', 'SetNull', 'SetDefault'] as const).map(sqlReferentialAction), ['CASCADE', 'RESTRICT', 'NO ACTION', 'SET NULL', 'SET DEFAULT']);
  });
});

// ---- the corpus: real schemas of ten projects ----

/** Each corpus repository's schema: `schema.prisma`, or every `.prisma` file under `schema/`. */
function corpusSchemas(): { repo: string; files: SchemaFile[] }[] {
  const found: { repo: string; files: SchemaFile[] }[] = [];
  for (const repo of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, repo);
    if (!statSync(dir).isDirectory()) continue;
    const paths = existsSync(join(dir, 'schema.prisma')) ? [join(dir, 'schema.prisma')] : prismaFilesUnder(join(dir, 'schema'));
    found.push({ repo, files: paths.map((p) => ({ path: p, text: readFileSync(p, 'utf8') })) });
  }
  return found;
}

function prismaFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? prismaFilesUnder(join(dir, e.name)) : e.name.endsWith('.prisma') ? [join(dir, e.name)] : []));
}

/** Every `ADD CONSTRAINT "x" FOREIGN KEY` of the migration history in `dir`, the last one of each name winning. */
function foreignKeysInHistory(dir: string): Map<string, { columns: string; table: string; refColumns: string; onDelete: string; onUpdate: string }> {
  const fks = new Map<string, { columns: string; table: string; refColumns: string; onDelete: string; onUpdate: string }>();
  for (const m of readdirSync(dir).sort()) {
    const file = join(dir, m, 'migration.sql');
    if (!existsSync(file)) continue;
    const re = /ADD CONSTRAINT "([^"]+)" FOREIGN KEY \(([^)]*)\) REFERENCES (?:"[^"]+"\.)?"([^"]+)"\s*\(([^)]*)\) ON DELETE (SET NULL|SET DEFAULT|NO ACTION|\w+) ON UPDATE (SET NULL|SET DEFAULT|NO ACTION|\w+)/g;
    for (const x of readFileSync(file, 'utf8').matchAll(re)) fks.set(x[1], { columns: x[2], table: x[3], refColumns: x[4], onDelete: x[5], onUpdate: x[6] });
  }
  return fks;
}

/** Asserts that every relation of `schema` is a foreign key of the history in `migrationsDir`, with the same columns, tables and actions. */
function assertRelationsMatchHistory(schema: PrismaSchemaModel, migrationsDir: string): void {
  const fks = foreignKeysInHistory(migrationsDir);
  assert.ok(schema.relations.length > 0, 'no relations');
  for (const r of schema.relations) {
    const fk = fks.get(r.constraintName) ?? assert.fail(`${r.model}.${r.field}: no foreign key "${r.constraintName}" in the history`);
    assert.deepEqual(
      [fk.columns, fk.table, fk.refColumns, fk.onDelete, fk.onUpdate],
      [
        r.columns.map((c) => `"${c}"`).join(', '),
        r.referencedTable,
        r.referencedColumns.map((c) => `"${c}"`).join(', '),
        sqlReferentialAction(r.onDelete.effective),
        sqlReferentialAction(r.onUpdate.effective),
      ],
      `${r.model}.${r.field} (${r.constraintName})`,
    );
  }
}

describe('prisma schema: the relations fixture (the corpus shapes, without the corpus)', () => {
  const dir = join(__dirname, '..', 'fixtures', 'projects', 'relations', 'prisma');
  const files = ['schema/schema.prisma', 'schema/models/project.prisma', 'schema/models/user.prisma'].map((p) => ({ path: join(dir, p), text: readFileSync(join(dir, p), 'utf8') }));
  const schema = parsePrismaSchema(files);

  it('reads with no problems', () => assert.deepEqual(schema.problems, []));

  it('every relation matches the foreign key its migration history creates', () => assertRelationsMatchHistory(schema, join(dir, 'migrations')));

  it('an optional relation over a required scalar defaults to Restrict, below a /** */ comment inside the model', () => {
    const r = relationOf(schema, 'Project', 'previewImageAsset');
    assert.deepEqual([r.columns, r.references, r.required, r.onDelete.explicit, r.onDelete.effective, r.constraintName], [['previewImageAssetId', 'id'], ['id', 'projectId'], true, null, 'Restrict', 'projects_previewImageAssetId_id_fkey']);
    assert.equal(at(r.relationRange), '9:31-9:104');
  });

  it('a composite FK whose default name Prisma truncates to 63 bytes', () => {
    const r = relationOf(schema, 'InAppAgentPendingToolApproval', 'conversation');
    assert.deepEqual([r.table, r.columns, r.referencedTable, r.referencedColumns, r.constraintName], ['in_app_agent_pending_tool_approvals', ['conversation_id', 'project_id'], 'in_app_agent_conversations', ['id', 'project_id'], 'in_app_agent_pending_tool_approvals_conversation_id_projec_fkey']);
  });

  it('a relation across files, with @map / @@map names on both sides', () => {
    const r = relationOf(schema, 'Project', 'owner');
    assert.match(r.file, /models[\\/]project\.prisma$/);
    assert.deepEqual([r.table, r.columns, r.referencedTable, r.referencedColumns, r.required, r.onDelete.explicit], ['projects', ['owner_id'], 'users', ['user_id'], false, 'Cascade']);
  });

  it('a view is neither a model nor the source of a foreign key', () => {
    assert.equal(schema.models.some((m) => m.name === 'ProjectSummary'), false);
    assert.equal(schema.relations.some((r) => r.model === 'ProjectSummary' || r.referencedModel === 'ProjectSummary'), false);
  });
});

describeWithCorpus('prisma schema: the corpus', () => {
  const schemas = corpusSchemas();
  const byRepo = new Map<string, PrismaSchemaModel>();
  before(() => {
    for (const s of schemas) byRepo.set(s.repo, parsePrismaSchema(s.files));
  });
  const corpus = (repo: string): PrismaSchemaModel => byRepo.get(repo) ?? assert.fail(`corpus repository ${repo} not found under ${CORPUS}`);

  it('has the 32 schema files of 10 repositories', () => {
    assert.equal(schemas.length, 10);
    assert.equal(schemas.reduce((n, s) => n + s.files.length, 0), 32);
  });

  for (const { repo, files } of schemas) {
    it(`${repo}: ${files.length} file(s) parse with no problems and declare foreign keys`, () => {
      const schema = corpus(repo);
      assert.deepEqual(schema.problems, []);
      assert.ok(schema.relations.length > 0, 'no relations');
      assert.equal(schema.datasourceProvider?.startsWith('postgres'), true);
      for (const r of schema.relations) {
        assert.ok(Buffer.byteLength(r.constraintName) <= 63, r.constraintName);
        const text = files.find((f) => f.path === r.file)!.text;
        assert.match(textOf(text, r.relationRange)!, /^@relation\(.*\)$/s);
        if (r.onDelete.range) assert.equal(textOf(text, r.onDelete.range)!.replace(/\s+/g, ' '), `onDelete: ${r.onDelete.explicit}`);
        if (r.onUpdate.range) assert.equal(textOf(text, r.onUpdate.range)!.replace(/\s+/g, ' '), `onUpdate: ${r.onUpdate.explicit}`);
      }
    });
  }

  // Histories Prisma generated: every relation's foreign key is in them exactly as computed here.
  for (const repo of ['baptisteArno__typebot.io', 'documenso__documenso', 'lukevella__rallly']) {
    it(`${repo}: every relation matches the foreign key its migration history creates`, () => assertRelationsMatchHistory(corpus(repo), join(CORPUS, repo, 'migrations')));
  }

  it('langfuse: a composite FK whose default name Prisma truncated to 63 bytes', () => {
    const r = relationOf(corpus('langfuse__langfuse'), 'InAppAgentPendingToolApproval', 'conversation');
    assert.deepEqual(
      [r.table, r.columns, r.referencedTable, r.referencedColumns, r.constraintName, r.required, r.onDelete.effective],
      ['in_app_agent_pending_tool_approvals', ['conversation_id', 'project_id'], 'in_app_agent_conversations', ['id', 'project_id'], 'in_app_agent_pending_tool_approvals_conversation_id_projec_fkey', true, 'Cascade'],
    );
  });

  it('trigger.dev: a relation below a /** */ comment inside a model points at the right line', () => {
    const r = relationOf(corpus('triggerdotdev__trigger.dev'), 'ErrorGroupState', 'environment');
    assert.deepEqual([r.required, r.onDelete.explicit, r.onUpdate.explicit, r.constraintName], [false, 'Cascade', 'Cascade', 'ErrorGroupState_environmentId_fkey']);
    assert.equal(at(r.onDelete.range), '3268:90-3268:107');
    assert.equal(at(r.relationRange), '3268:37-3268:127');
  });

  it('rallly: a relation across files, with @map / @@map names on both sides', () => {
    const r = relationOf(corpus('lukevella__rallly'), 'Poll', 'user');
    assert.match(r.file, /models[\\/]poll\.prisma$/);
    assert.deepEqual(
      [r.table, r.columns, r.referencedTable, r.referencedColumns, r.constraintName, r.required, r.onDelete.explicit, r.onUpdate.effective, at(r.onDelete.range)],
      ['polls', ['user_id'], 'users', ['id'], 'polls_user_id_fkey', false, 'Cascade', 'Cascade', '55:80-55:97'],
    );
    assert.match(corpus('lukevella__rallly').models.find((m) => m.name === 'User')!.file, /models[\\/]user\.prisma$/);
  });

  it('webstudio: an optional relation over a required scalar defaults to Restrict, as its migration shows', () => {
    const r = relationOf(corpus('webstudio-is__webstudio'), 'Project', 'previewImageAsset');
    assert.deepEqual([r.fields, r.columns, r.references, r.required, r.onDelete.effective, r.constraintName], [['previewImageAssetId', 'id'], ['previewImageAssetId', 'id'], ['id', 'projectId'], true, 'Restrict', 'Project_previewImageAssetId_id_fkey']);
    const fk = foreignKeysInHistory(join(CORPUS, 'webstudio-is__webstudio', 'migrations')).get('Project_previewImageAssetId_id_fkey');
    assert.equal(fk?.onDelete, 'RESTRICT');
  });

  it('webstudio: views are neither models nor sources of foreign keys', () => {
    const schema = corpus('webstudio-is__webstudio');
    assert.equal(schema.models.some((m) => m.name === 'DashboardProject'), false);
    assert.equal(schema.relations.some((r) => r.model === 'DashboardProject' || r.referencedModel === 'DashboardProject'), false);
  });

  it('civitai: 302 models, 485 relations, 121 enums', () => {
    const schema = corpus('civitai__civitai');
    assert.deepEqual([schema.models.length, schema.relations.length, schema.enums.length], [302, 485, 121]);
  });
});

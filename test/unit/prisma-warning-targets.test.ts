/** Which statement a line of Prisma's Warnings header is about, on the texts Prisma's destructive-change checker writes. */
import { strict as assert } from 'node:assert';
import { warningTarget, warningsAbout } from '../../src/core/sql/prisma-warning-targets';
import type { SourceRange } from '../../src/core/types';

const range: SourceRange = { startOffset: 0, endOffset: 1, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
const w = (text: string) => ({ text, range });

describe("Prisma's Warnings header: what each line is about", () => {
  const cases: [string, ReturnType<typeof warningTarget>][] = [
    ['You are about to drop the column `bio` on the `User` table. All the data in the column will be lost.', { table: 'User', columns: ['bio'], enumName: null }],
    ['Added the required column `passwordHash` to the `User` table without a default value. This is not possible if the table is not empty.', { table: 'User', columns: ['passwordHash'], enumName: null }],
    ['You are about to drop the `Session` table. If the table is not empty, all the data it contains will be lost.', { table: 'Session', columns: [], enumName: null }],
    ['A unique constraint covering the columns `[tenantId,sku]` on the table `Product` will be added. If there are existing duplicate values, this will fail.', { table: 'Product', columns: ['tenantId', 'sku'], enumName: null }],
    ['The values [VOID] on the enum `SaleStatus` will be removed. If these variants are still used in the database, this will fail.', { table: null, columns: [], enumName: 'SaleStatus' }],
  ];
  for (const [text, target] of cases) it(text.slice(0, 60), () => assert.deepEqual(warningTarget(text), target));

  it('a statement is what a warning is about when it names the same table and columns, quoted', () => {
    const drop = w('You are about to drop the column `bio` on the `User` table. All the data in the column will be lost.');
    assert.equal(warningsAbout([drop], 'ALTER TABLE "User" DROP COLUMN "bio";').length, 1);
    assert.equal(warningsAbout([drop], 'ALTER TABLE "User" DROP COLUMN "name";').length, 0);
    assert.equal(warningsAbout([drop], 'ALTER TABLE "Post" DROP COLUMN "bio";').length, 0);
    const removed = w('The values [VOID] on the enum `SaleStatus` will be removed. If these variants are still used in the database, this will fail.');
    assert.equal(warningsAbout([removed], 'CREATE TYPE "SaleStatus_new" AS ENUM (\'PENDING\', \'PAID\');').length, 1);
    assert.equal(warningsAbout([removed], 'CREATE INDEX "Sale_status_idx" ON "Sale"("status");').length, 0);
  });
});

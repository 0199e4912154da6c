/*
  Warnings:

  - You are about to drop the column `loyaltyPoints` on the `Customer` table. All the data in the column will be lost.

*/
-- AlterTable
ALTER TABLE "public"."Customer" DROP COLUMN "loyaltyPoints";

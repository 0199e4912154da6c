/*
  Warnings:

  - You are about to alter the column `subtotal` on the `Sale` table. The data in that column could be lost. The data in that column will be cast from `Decimal(65,30)` to `Decimal(10,2)`.
  - You are about to alter the column `tax` on the `Sale` table. The data in that column could be lost. The data in that column will be cast from `Decimal(65,30)` to `Decimal(10,2)`.
  - You are about to alter the column `total` on the `Sale` table. The data in that column could be lost. The data in that column will be cast from `Decimal(65,30)` to `Decimal(10,2)`.

*/
-- DropForeignKey
ALTER TABLE "CashDrawer" DROP CONSTRAINT "CashDrawer_openedById_fkey";

-- DropIndex
DROP INDEX "Appointment_tenant_id_idx";

-- DropIndex
DROP INDEX "CashDrawer_tenantId_idx";

-- DropIndex
DROP INDEX "Sale_tenant_id_idx";

-- AlterTable
ALTER TABLE "CashDrawer" ALTER COLUMN "openedById" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Sale" ALTER COLUMN "subtotal" SET DATA TYPE DECIMAL(10,2),
ALTER COLUMN "tax" SET DATA TYPE DECIMAL(10,2),
ALTER COLUMN "total" SET DATA TYPE DECIMAL(10,2);

-- CreateIndex
CREATE INDEX "Appointment_tenant_id_start_time_idx" ON "Appointment"("tenant_id", "start_time");

-- CreateIndex
CREATE INDEX "CashDrawer_tenantId_openedAt_idx" ON "CashDrawer"("tenantId", "openedAt");

-- CreateIndex
CREATE INDEX "Sale_tenant_id_created_at_idx" ON "Sale"("tenant_id", "created_at");

-- AddForeignKey
ALTER TABLE "CashDrawer" ADD CONSTRAINT "CashDrawer_openedById_fkey" FOREIGN KEY ("openedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

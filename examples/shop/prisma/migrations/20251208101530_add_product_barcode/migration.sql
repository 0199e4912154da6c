-- AlterTable
ALTER TABLE "public"."Product" ADD COLUMN     "barcode" TEXT;

-- CreateIndex
CREATE INDEX CONCURRENTLY "Product_barcode_idx" ON "public"."Product"("barcode");

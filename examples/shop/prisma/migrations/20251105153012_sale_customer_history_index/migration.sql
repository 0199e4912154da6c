-- CreateIndex
CREATE INDEX CONCURRENTLY "Sale_customer_id_created_at_idx" ON "public"."Sale"("customer_id", "created_at");

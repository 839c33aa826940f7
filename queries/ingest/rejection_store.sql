-- Keep the staged rejections with their batch.
-- needs: ingest/rejection_stage
INSERT INTO import_rejection (batch_id, row_number, reason, raw)
SELECT %(batch_id)s::bigint, row_number, reason, raw FROM staged_rejection

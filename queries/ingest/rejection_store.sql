-- needs: ingest/rejection_stage
-- Keep the staged rejections with their batch.
INSERT INTO import_rejection (batch_id, row_number, reason, raw)
SELECT %(batch_id)s::bigint, row_number, reason, raw FROM staged_rejection

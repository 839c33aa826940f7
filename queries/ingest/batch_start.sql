-- Open an import batch; returns its id.
INSERT INTO import_batch (kind, format, file_name, file_sha256, strict, imported_by)
VALUES (%(kind)s, %(format)s, %(file_name)s, %(file_sha256)s, %(strict)s::boolean, %(actor)s)
RETURNING batch_id

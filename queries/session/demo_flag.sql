-- Is the demo data set loaded? (dataset_meta demo_data)
SELECT coalesce((SELECT value = 'true' FROM dataset_meta WHERE key = 'demo_data'), false) AS demo

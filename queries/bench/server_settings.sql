-- PostgreSQL version and the memory settings that shape query times.
SELECT version() AS version,
       current_setting('shared_buffers') AS shared_buffers,
       current_setting('work_mem') AS work_mem,
       current_setting('effective_cache_size') AS effective_cache_size,
       current_setting('max_parallel_workers_per_gather') AS parallel_workers

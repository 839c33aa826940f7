-- May this server serve a read now? Whether it has replayed the WAL position `since` (this process's last write) and its replay lag in seconds (0 on a primary, or when it has replayed all it received; NULL when it is not receiving).
SELECT NOT pg_is_in_recovery()
       OR coalesce(pg_last_wal_replay_lsn() >= %(since)s::pg_lsn, false) AS caught_up,
       CASE
           WHEN NOT pg_is_in_recovery() THEN 0
           -- no WAL receiver: cut off from the primary, so of unknown staleness
           WHEN NOT EXISTS (SELECT FROM pg_stat_wal_receiver) THEN NULL
           WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
           ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())
       END::float8 AS lag_s

-- Undo a refused rollback attempt, keeping what the transaction did before it.
ROLLBACK TO SAVEPOINT rollback_batch

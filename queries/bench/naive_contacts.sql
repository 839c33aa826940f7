-- Every contact with its point: what a naive map page loads before filtering in pandas.
SELECT contact_id, occurred_at, offense, decision, officer_id, geom FROM contact

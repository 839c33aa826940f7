-- Insert new contacts, update changed ones; returns (new, updated).
-- needs: ingest/contacts_stage
WITH upserted AS (
    INSERT INTO contact AS t (contact_id, occurred_at, geom, offense, pathway, decision, officer_id,
                              person_key, age, sex, race, ineligible_reason, district, post,
                              charge, batch_id, row_hash)
    SELECT contact_id, occurred_at::timestamptz,
           ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), offense, pathway, decision,
           officer_id, person_key, age, sex, race, ineligible_reason, district, post, charge,
           %(batch_id)s::bigint,
           md5(ROW(occurred_at, latitude, longitude, offense, pathway, decision, officer_id,
                   person_key, age, sex, race, ineligible_reason, district, post, charge)::text)
    FROM staged_contact
    ON CONFLICT (contact_id) DO UPDATE
    SET occurred_at = EXCLUDED.occurred_at, geom = EXCLUDED.geom, offense = EXCLUDED.offense,
        pathway = EXCLUDED.pathway, decision = EXCLUDED.decision, officer_id = EXCLUDED.officer_id,
        person_key = EXCLUDED.person_key, age = EXCLUDED.age, sex = EXCLUDED.sex,
        race = EXCLUDED.race, ineligible_reason = EXCLUDED.ineligible_reason,
        district = EXCLUDED.district, post = EXCLUDED.post, charge = EXCLUDED.charge,
        batch_id = EXCLUDED.batch_id, row_hash = EXCLUDED.row_hash
    WHERE t.row_hash IS DISTINCT FROM EXCLUDED.row_hash
    RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
FROM upserted

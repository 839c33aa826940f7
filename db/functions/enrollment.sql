-- Rules of the enrollment table that are functions (issue 20).

-- An enrollment inserted without a door (by a tool or script written before the doors)
-- takes its contact's pathway, or social_contact without a contact: what migration 0021
-- gave the rows it found and what the import contract does with a blank door.
CREATE OR REPLACE FUNCTION enrollment_default_door() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    NEW.door := coalesce(
        (SELECT c.pathway FROM contact AS c WHERE c.contact_id = NEW.contact_id),
        'social_contact');
    RETURN NEW;
END $$;

REVOKE ALL ON FUNCTION enrollment_default_door() FROM PUBLIC;

CREATE OR REPLACE TRIGGER enrollment_default_door BEFORE INSERT ON enrollment
    FOR EACH ROW WHEN (NEW.door IS NULL) EXECUTE FUNCTION enrollment_default_door();

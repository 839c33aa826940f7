-- Is there any catchment, city line or district at all (in force or not)? None: the default geography is installed.
SELECT EXISTS (SELECT 1 FROM program_area WHERE kind IN ('catchment', 'city', 'district')) AS present

-- First and last contact dates in the data: the as-of date and the start of "pilot to date".
SELECT first_day, as_of FROM data_span()

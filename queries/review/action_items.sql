-- The work group's action items for a review period: those raised at this period's review, and those raised earlier still open when it began (carried), as they stand now.
SELECT item_id, title, owner, due_on, status, notes, raised_on, closed_on,
       raised_on < %(start)s::date AS carried
FROM action_item
WHERE raised_on <= %(end)s::date
  AND (raised_on >= %(start)s::date OR closed_on IS NULL OR closed_on >= %(start)s::date)
ORDER BY carried DESC, status = 'open' DESC, due_on, item_id

-- Delete the demo's work-group action items (those the demo loader created).
DELETE FROM action_item WHERE created_by = %(actor)s

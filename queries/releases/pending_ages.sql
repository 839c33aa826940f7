-- Referrals waiting for intake on a day by days since referral: 0-7, 8-14, 15 to the intake window, overdue (past it, as the census counts).
SELECT CASE WHEN a.age_days > w.intake_window THEN 'overdue'
            WHEN a.age_days <= 7 THEN '0-7'
            WHEN a.age_days <= 14 THEN '8-14'
            ELSE '15+' END AS bin,
       sum(a.pending)::integer AS pending
FROM capacity_pending_ages(%(day)s::date) AS a,
     (SELECT setting_on('intake_window_days', %(day)s::date)::integer AS intake_window) AS w
GROUP BY 1

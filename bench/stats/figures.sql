-- The queries `certstat stats 1` runs since schema 4 (src/db/stats.rs), for the sqlite3 CLI: the
-- recipients grouped by status and activity flags from the covering index recipients_figures,
-- and the shares per network from the partial index events_shares.
BEGIN;
SELECT status, activity, unconfirmed, revoked, count(*) FROM recipients INDEXED BY recipients_figures
  WHERE certificate_id=1 GROUP BY status, activity, unconfirmed, revoked;
SELECT json_extract(detail, '$.network'), count(*) FROM events INDEXED BY events_shares
  WHERE certificate_id=1 AND kind='shared' GROUP BY 1;
COMMIT;

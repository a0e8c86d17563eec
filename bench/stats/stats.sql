-- The figures `certstat stats 1` computes (src/db/stats.rs), as plain aggregate SQL for the sqlite3 CLI.
BEGIN;
SELECT status, count(*) FROM recipients WHERE certificate_id=1 GROUP BY status;
SELECT count(*) FROM recipients WHERE certificate_id=1 AND status='pending' AND unconfirmed;
SELECT coalesce(sum(s),0), coalesce(sum(oh),0), coalesce(sum(ch),0), coalesce(sum(om),0),
       coalesce(sum(cm),0), coalesce(sum(sd),0), coalesce(sum(li),0) FROM (
  SELECT recipient_id,
    max(kind IN ('sent','delivered','delayed','bounced','complained','auto_reply','opened','clicked')) AS s,
    max(kind IN ('opened','clicked') AND NOT json_type(detail, '$.machine') IS 'true') AS oh,
    max(kind = 'clicked' AND NOT json_type(detail, '$.machine') IS 'true') AS ch,
    max(kind IN ('opened','clicked') AND json_type(detail, '$.machine') IS 'true') AS om,
    max(kind = 'clicked' AND json_type(detail, '$.machine') IS 'true') AS cm,
    max(kind IN ('shared','downloaded')) AS sd,
    max(kind = 'linkedin_added') AS li
  FROM events WHERE certificate_id=1 AND kind IN ('sent','delivered','delayed','bounced','complained',
    'auto_reply','opened','clicked','shared','downloaded','linkedin_added')
  GROUP BY recipient_id);
SELECT count(*) FROM recipients r WHERE r.certificate_id=1 AND r.status='delivered'
  AND EXISTS (SELECT 1 FROM events WHERE recipient_id=r.id AND at >= r.status_at AND (
    (kind='delivered' AND json_extract(detail,'$.evidence') IS NOT 'settle')
    OR (kind IN ('opened','clicked','complained','auto_reply') AND NOT json_type(detail, '$.machine') IS 'true')));
SELECT json_extract(detail,'$.network'), count(*) FROM events WHERE certificate_id=1 AND kind='shared' GROUP BY 1;
COMMIT;

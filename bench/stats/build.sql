-- Fills certificate 1 of a fresh certstat database with :N recipients and about 5 events per
-- recipient, straight in SQL (the benchmark's data, not a certstat code path). Run by run.sh
-- with N substituted.
PRAGMA journal_mode=WAL;
PRAGMA synchronous=OFF;
BEGIN;
CREATE TEMP TABLE seq(i INTEGER PRIMARY KEY);
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s WHERE i < @N@)
INSERT INTO seq SELECT i FROM s;

-- email_hash is left at its default 0: FNV-1a (model::email_hash) needs 64-bit wrapping
-- multiplication, which SQL does not have. A look-up by address (recipients add/import/edit/
-- remove, inbound mail matched by address) compares the hash first and so does not find these
-- recipients; the stats benchmark never looks anyone up by address. Import recipients with
-- certstat where the hash matters.
INSERT INTO recipients (id, certificate_id, email, email_key, name, fields, uid, created_at,
                        status, status_at, status_detail, unconfirmed, revoked)
SELECT i, 1, 'r'||i||'@example.org', 'r'||i||'@example.org', 'Recipient '||i, '{}', 'u'||i,
       '2026-11-01T00:00:00Z',
       CASE WHEN i%100 < 3 THEN 'bounced' WHEN i%100 < 5 THEN 'pending' WHEN i%100 >= 55 THEN 'claimed'
            ELSE 'delivered' END,
       '2026-11-02T00:00:00Z', '', 0, 0
FROM seq;

-- sent: everyone (1 per recipient)
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'sent', '2026-11-02T00:00:00Z', 'smtp', '{"transport":"smtp"}' FROM seq;
-- hard bounces: 3%
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'bounced', '2026-11-02T00:05:00Z', 'dsn', '{"status":"5.1.1","reason":"user unknown","hard":true}'
FROM seq WHERE i%100 < 3;
-- delays: 5%
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'delayed', '2026-11-02T00:10:00Z', 'dsn', '{"status":"4.4.1"}' FROM seq WHERE i%100 BETWEEN 3 AND 7;
-- delivered: everyone not bounced or pending, half by the settle window
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'delivered', '2026-11-02T01:00:00Z', CASE WHEN i%2=0 THEN 'cli' ELSE 'provider' END,
       CASE WHEN i%2=0 THEN '{"evidence":"settle"}' ELSE '{}' END
FROM seq WHERE i%100 >= 5;
-- opens: 1.2 per recipient on average, every tenth by a machine
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'opened', '2026-11-02T02:00:00Z', 'web',
       CASE WHEN i%10=0 THEN '{"machine":true}' ELSE '{"machine":false}' END
FROM seq WHERE i%100 >= 5 AND i%100 < 85;
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'opened', '2026-11-03T02:00:00Z', 'web', '{"machine":false}' FROM seq WHERE i%100 >= 45;
-- clicks: 60%
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'clicked', '2026-11-03T02:01:00Z', 'web', '{"machine":false}' FROM seq WHERE i%100 >= 40;
-- claims: 45%
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'claimed', '2026-11-03T02:02:00Z', 'web', '{}' FROM seq WHERE i%100 >= 55;
-- downloads 30%, shares 25%, LinkedIn 15%
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'downloaded', '2026-11-03T02:03:00Z', 'web', '{"format":"pdf"}' FROM seq WHERE i%100 >= 70;
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'shared', '2026-11-03T02:04:00Z', 'web',
       '{"network":"'||CASE i%7 WHEN 0 THEN 'x' WHEN 1 THEN 'facebook' WHEN 2 THEN 'facebook' ELSE 'linkedin' END||'"}'
FROM seq WHERE i%100 >= 75;
INSERT INTO events (certificate_id, recipient_id, kind, at, source, detail)
SELECT 1, i, 'linkedin_added', '2026-11-03T02:05:00Z', 'web', '{}' FROM seq WHERE i%100 >= 85;
-- recipients.activity, the flags certstat keeps at every write: the same SQL as schema
-- migration 4's backfill (src/db/migrations.rs, backfill_activity!).
UPDATE recipients SET activity = a.bits FROM (
    SELECT recipient_id AS rid,
           max(kind IN ('sent','delivered','delayed','bounced','complained','auto_reply',
                        'opened','clicked'))
         | (max(kind IN ('opened','clicked') AND NOT m) << 1)
         | (max(kind = 'clicked' AND NOT m) << 2)
         | (max(kind IN ('opened','clicked') AND m) << 3)
         | (max(kind = 'clicked' AND m) << 4)
         | (max(kind IN ('shared','downloaded')) << 5)
         | (max(kind = 'linkedin_added') << 6) AS bits
    FROM (SELECT recipient_id, kind,
                 CASE WHEN kind IN ('opened','clicked') AND json_valid(detail)
                      THEN json_type(detail, '$.machine') IS 'true' ELSE 0 END AS m
          FROM events)
    GROUP BY recipient_id
) AS a WHERE recipients.id = a.rid;
UPDATE recipients SET activity = activity | 128
WHERE status = 'delivered' AND EXISTS (
    SELECT 1 FROM events e WHERE e.recipient_id = recipients.id AND e.at >= recipients.status_at
      AND CASE WHEN e.kind NOT IN ('delivered','opened','clicked','complained','auto_reply') THEN 0
               WHEN NOT json_valid(e.detail) THEN 1
               WHEN e.kind = 'delivered' THEN json_extract(e.detail, '$.evidence') IS NOT 'settle'
               ELSE json_type(e.detail, '$.machine') IS NOT 'true' END);

COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);

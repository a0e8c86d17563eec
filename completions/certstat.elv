
use builtin;
use str;

set edit:completion:arg-completer[certstat] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'certstat'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'certstat'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create the database and a commented configuration file; print every path'
            cand cert 'Create, list, show, edit and delete certificates'
            cand recipients 'Add, import, list, edit and remove a certificate''s recipients'
            cand export 'Write one row per recipient: status, timestamps, counts and original fields'
            cand stats 'The statistics page (all certificates when none is named)'
            cand events 'List the event log; import events recorded elsewhere'
            cand preview 'Render one recipient''s email exactly as it would be sent'
            cand send 'Mail every Not Sent recipient (or those named) their certificate'
            cand refresh 'Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe'
            cand remind 'Remind recipients who were mailed but have not claimed; expiry notices (--expiring)'
            cand suppress 'Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand'
            cand serve 'Serve the recipient pages: claim, view, download, share, verify'
            cand render 'Write recipients'' certificate documents (PDF, PNG or SVG) to a folder'
            cand publish 'Write a certificate''s public pages, credentials and issuer keys as static files'
            cand verify 'Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation'
            cand keys 'The issuer''s signing keys: show (public JWK, fingerprint) or rotate'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (or write every page to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;init'= {
            cand --format 'Output format'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Create a certificate with its email template and design'
            cand list 'Every certificate: name, recipients, created, sent, claimed %'
            cand show 'The overview: name, issuer, created date, total recipients, status breakdown'
            cand edit 'Change a certificate''s name, issuer, description, templates or design'
            cand delete 'Delete a certificate with its recipients and events'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;cert;create'= {
            cand --issuer 'Issuing organisation, as shown on the certificate'
            cand --description 'What the certificate is for'
            cand --subject 'Email subject template (MiniJinja)'
            cand --body 'Plain-text email body template file (MiniJinja)'
            cand --html 'HTML email body template file (MiniJinja, auto-escaped)'
            cand --design 'Certificate design: an SVG template file (MiniJinja)'
            cand --expires 'When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it'
            cand --valid-for 'Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)'
            cand --format 'Output format of the created certificate [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --no-open-tracking 'Send without the open pixel (opens are then known only from clicks and claims)'
            cand --open-tracking 'Send with the open pixel again (the default)'
            cand --force 'Accept an expiry that has already passed (every credential of the certificate is then expired)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;list'= {
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;show'= {
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;edit'= {
            cand --name 'New name'
            cand --issuer 'Issuing organisation, as shown on the certificate'
            cand --description 'What the certificate is for'
            cand --subject 'Email subject template (MiniJinja)'
            cand --body 'Plain-text email body template file (MiniJinja)'
            cand --html 'HTML email body template file (MiniJinja, auto-escaped)'
            cand --design 'Certificate design: an SVG template file (MiniJinja)'
            cand --expires 'When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it'
            cand --valid-for 'Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)'
            cand --reminder-subject 'The reminders'' subject template (MiniJinja; `""` for the default)'
            cand --reminder-body 'The reminders'' plain-text body template (MiniJinja, with `unsubscribe_url` besides the first email''s variables; an empty file for the default)'
            cand --renewal-url 'The renewal link of expiry notices (`renewal_url` in their template; `""` for none)'
            cand --expiry-subject 'The expiry notices'' subject template (MiniJinja; `""` for the default)'
            cand --expiry-body 'The expiry notices'' plain-text body template (MiniJinja, with `expires_on`, `renewal_url` and `unsubscribe_url` besides the first email''s variables; an empty file for the default)'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --no-open-tracking 'Send without the open pixel (opens are then known only from clicks and claims)'
            cand --open-tracking 'Send with the open pixel again (the default)'
            cand --force 'Accept an expiry that has already passed (every credential of the certificate is then expired)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;delete'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;help'= {
            cand create 'Create a certificate with its email template and design'
            cand list 'Every certificate: name, recipients, created, sent, claimed %'
            cand show 'The overview: name, issuer, created date, total recipients, status breakdown'
            cand edit 'Change a certificate''s name, issuer, description, templates or design'
            cand delete 'Delete a certificate with its recipients and events'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;cert;help;create'= {
        }
        &'certstat;cert;help;list'= {
        }
        &'certstat;cert;help;show'= {
        }
        &'certstat;cert;help;edit'= {
        }
        &'certstat;cert;help;delete'= {
        }
        &'certstat;cert;help;help'= {
        }
        &'certstat;recipients'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add one recipient'
            cand import 'Add recipients from a CSV file (all or nothing)'
            cand list 'List recipients with their status, status time and detail'
            cand show 'One recipient: their status and why (the deciding event, its source, the server''s words), then their whole timeline'
            cand remove 'Remove recipients (with their events)'
            cand edit 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
            cand revoke 'Revoke recipients'' certificates (their status is kept; verification says revoked)'
            cand unrevoke 'Undo a revocation'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;recipients;add'= {
            cand --name 'Display name'
            cand --field 'A template field (repeatable)'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;import'= {
            cand --email-column 'The column holding the email address [default: detected from the header]'
            cand --name-column 'The column holding the name [default: name/full name, or first + last name]'
            cand --delimiter 'The field delimiter [default: sniffed from the header]'
            cand --encoding 'The file''s character encoding (auto: UTF-8, UTF-16 or a detected legacy encoding; or a name such as windows-1250, shift_jis, gb18030, utf-16le)'
            cand --format 'Output format of the summary'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --dry-run 'Report what would happen; write nothing'
            cand --skip-invalid 'Import the valid rows and report the others'
            cand --update-existing 'Update name and fields of recipients already on the certificate'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;list'= {
            cand --status 'Only these statuses (repeatable)'
            cand --search 'Only addresses or names containing TEXT'
            cand --expiring 'Only recipients who claimed a certificate that expires within this window (e.g. 30d): those `remind --expiring` notifies'
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --needs-review 'Only Pending recipients named by a failure notice that could not be classified (they are kept out of the settle window until reviewed)'
            cand --raw 'Do not neutralise formula-like cells in CSV'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;show'= {
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;remove'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --yes 'Do not ask for confirmation (needed when stdin is not a terminal)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;edit'= {
            cand --email 'The corrected address (the recipient goes back to Not Sent)'
            cand --name 'The corrected name'
            cand --field 'Set a template field (repeatable); an empty value removes it'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;revoke'= {
            cand --reason 'Why (shown on the verification page and by `certstat verify`)'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;unrevoke'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;help'= {
            cand add 'Add one recipient'
            cand import 'Add recipients from a CSV file (all or nothing)'
            cand list 'List recipients with their status, status time and detail'
            cand show 'One recipient: their status and why (the deciding event, its source, the server''s words), then their whole timeline'
            cand remove 'Remove recipients (with their events)'
            cand edit 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
            cand revoke 'Revoke recipients'' certificates (their status is kept; verification says revoked)'
            cand unrevoke 'Undo a revocation'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;recipients;help;add'= {
        }
        &'certstat;recipients;help;import'= {
        }
        &'certstat;recipients;help;list'= {
        }
        &'certstat;recipients;help;show'= {
        }
        &'certstat;recipients;help;remove'= {
        }
        &'certstat;recipients;help;edit'= {
        }
        &'certstat;recipients;help;revoke'= {
        }
        &'certstat;recipients;help;unrevoke'= {
        }
        &'certstat;recipients;help;help'= {
        }
        &'certstat;export'= {
            cand -o 'Write to FILE instead of stdout'
            cand --output 'Write to FILE instead of stdout'
            cand --format 'File format: CSV (one row per recipient, with their original fields) or a JSON array'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --bom 'Start the CSV with a byte-order mark (for Excel)'
            cand --raw 'Do not neutralise formula-like cells'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;stats'= {
            cand --format 'Output format: the page (table), one row per figure (csv) or one object (json) [default: table]'
            cand --html 'Also write a self-contained HTML report (boxes, tables and the pie chart) to FILE'
            cand --svg 'Also write the shares pie chart as an SVG file'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --raw 'Do not neutralise formula-like cells in CSV'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;events'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'The event log of a certificate, oldest first'
            cand import 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)'
            cand lost 'The requests of `serve`''s "lost your link?" page, for any address (one without a certificate too), oldest first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;events;list'= {
            cand --recipient 'Only this recipient''s events'
            cand --kind 'Only events of this kind (repeatable)'
            cand --since 'Only events at or after this time (RFC 3339 or YYYY-MM-DD)'
            cand --format 'Output format; jsonl is the line format `events import` reads [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --raw 'Do not neutralise formula-like cells in CSV'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'certstat;events;import'= {
            cand --format 'The file''s format: certstat''s jsonl, a provider''s webhook payloads, or auto'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'certstat;events;lost'= {
            cand --since 'Only requests at or after this time (RFC 3339 or YYYY-MM-DD)'
            cand --email 'Only requests for this address'
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --raw 'Do not neutralise formula-like cells in CSV'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;events;help'= {
            cand list 'The event log of a certificate, oldest first'
            cand import 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)'
            cand lost 'The requests of `serve`''s "lost your link?" page, for any address (one without a certificate too), oldest first'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;events;help;list'= {
        }
        &'certstat;events;help;import'= {
        }
        &'certstat;events;help;lost'= {
        }
        &'certstat;events;help;help'= {
        }
        &'certstat;preview'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --eml 'Print the raw message (RFC 5322, CRLF line ends): the bytes that would be sent'
            cand --reminder 'The reminder `certstat remind` would send instead of the first email'
            cand --expiry 'The expiry notice `certstat remind --expiring` would send'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;send'= {
            cand --limit 'Send at most N messages in this run'
            cand --rate 'At most N messages per second (e.g. 5 or 5/s)'
            cand --to 'Only these recipients (repeatable)'
            cand --connections 'Parallel SMTP connections [default: [smtp] connections, else 1]'
            cand --format 'Format of the final summary'
            cand --max-hard-bounces 'Stop the run when, after its first 50 outcomes, more than this share of its messages hard-bounced (a run also stops at its first complaint) [default: [guardrail] max_hard_bounces, else 5%]'
            cand --time-limit 'Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over finish and the rest are postponed, unchanged, to the next run (exit 0)'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --dry-run 'Render every message and say who would be mailed; send nothing, record nothing'
            cand --retry-bounced 'Also send to soft-bounced recipients (mailbox full, suspended, expired, …)'
            cand --include-hard 'With --retry-bounced, also send to hard-bounced ones (address or domain does not exist)'
            cand --resend-unconfirmed 'Also send to recipients whose earlier send was interrupted before its outcome was recorded (they may get the message twice)'
            cand --strict 'Refuse to send when a recipient''s name has characters no available font can draw (without it, a warning names them)'
            cand --ignore-suppression 'Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any certificate, `certstat suppress list`); `--include-hard` alone lets this certificate''s own hard bounces through'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;refresh'= {
            cand --maildir 'A Maildir to read (its new/ and cur/); repeatable'
            cand --mbox 'An mbox file to read; repeatable'
            cand --imap 'An IMAP mailbox: imaps://USER@HOST[:PORT]/MAILBOX (USER percent-encoded), imap:// for STARTTLS (plain on a loopback address)'
            cand --imap-move 'Move processed IMAP mail to this folder'
            cand --settle 'Pending recipients with no bounce this long after sending become Delivered [default: 1h]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --imap-mark-seen 'Mark processed IMAP mail \Seen'
            cand --dry-run 'Print what would change; write nothing'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'certstat;remind'= {
            cand --after 'Only after this long since the last message to the recipient (first email or reminder)'
            cand --max 'At most N reminders per recipient, over all runs'
            cand --expiring 'Instead of reminders: expiry notices to recipients who claimed, when the certificate expires within this window (e.g. 90d, 30d, 7d); once per window'
            cand --limit 'Send at most N messages in this run'
            cand --rate 'At most N messages per second (e.g. 5 or 5/s)'
            cand --connections 'Parallel SMTP connections [default: [smtp] connections, else 1]'
            cand --format 'Format of the final summary'
            cand --max-hard-bounces 'Stop the run when, after its first 50 outcomes, more than this share of its messages hard-bounced (a run also stops at its first complaint) [default: [guardrail] max_hard_bounces, else 5%]'
            cand --time-limit 'Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over finish and the rest are postponed, unchanged, to the next run (exit 0)'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand --opened-not-claimed 'Only recipients who opened a message (a person, not a mail scanner) but did not claim'
            cand --resend-unconfirmed 'Also mail again the reminders (or notices of this window) that an interrupted run handed over without recording their outcome (the recipient may get one twice)'
            cand --dry-run 'Say who would be mailed; send nothing, record nothing'
            cand --ignore-suppression 'Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any certificate, `certstat suppress list`); `--include-hard` alone lets this certificate''s own hard bounces through'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;suppress'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand'
            cand add 'Never mail these addresses (for any certificate)'
            cand remove 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)'
            cand import 'Add every address of a CSV file (an `email` column; an optional `reason` column)'
            cand export 'Write the list as CSV (email, cause, reason, at)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;suppress;list'= {
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;suppress;add'= {
            cand --reason 'Why (shown by `suppress list` and when `send` skips the address)'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;suppress;remove'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;suppress;import'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;suppress;export'= {
            cand -o 'Write to this file instead of stdout'
            cand --output 'Write to this file instead of stdout'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;suppress;help'= {
            cand list 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand'
            cand add 'Never mail these addresses (for any certificate)'
            cand remove 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)'
            cand import 'Add every address of a CSV file (an `email` column; an optional `reason` column)'
            cand export 'Write the list as CSV (email, cause, reason, at)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;suppress;help;list'= {
        }
        &'certstat;suppress;help;add'= {
        }
        &'certstat;suppress;help;remove'= {
        }
        &'certstat;suppress;help;import'= {
        }
        &'certstat;suppress;help;export'= {
        }
        &'certstat;suppress;help;help'= {
        }
        &'certstat;serve'= {
            cand --listen 'Address to listen on [default: config [serve] listen, else 127.0.0.1:8080]'
            cand --base-url 'Public URL of these pages, used in links and on certificates [default: config [serve] base_url, else http://<listen address>]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;render'= {
            cand --out 'Folder to write the documents to (created when missing)'
            cand --format 'Document format'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;publish'= {
            cand --out 'Folder to write the site to (created when missing; files certstat writes are replaced)'
            cand --base-url 'Public URL the folder will be served at [default: config [serve] base_url]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;verify'= {
            cand --jwks 'The issuer''s public keys (a JWK Set or one JWK), as a file or an http(s) URL, for credentials this database did not issue'
            cand --format 'Output format of the verdict [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;keys'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
            cand show 'The issuer''s public keys as JWKs with their fingerprints (creating the first key)'
            cand rotate 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;keys;show'= {
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;keys;rotate'= {
            cand --alg 'The new key''s algorithm: Ed25519 (JWS EdDSA) or P-256 (JWS ES256, which registrars accepting only RS256/ES256 verify)'
            cand --format 'Output format [default: table]'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'certstat;keys;help'= {
            cand show 'The issuer''s public keys as JWKs with their fingerprints (creating the first key)'
            cand rotate 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;keys;help;show'= {
        }
        &'certstat;keys;help;rotate'= {
        }
        &'certstat;keys;help;help'= {
        }
        &'certstat;completions'= {
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;man'= {
            cand --dir 'Write certstat.1 and one certstat-<command>.1 per subcommand into DIR'
            cand --db 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)'
            cand -q 'Print nothing but errors (for cron)'
            cand --quiet 'Print nothing but errors (for cron)'
            cand -v 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand --verbose 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;help'= {
            cand init 'Create the database and a commented configuration file; print every path'
            cand cert 'Create, list, show, edit and delete certificates'
            cand recipients 'Add, import, list, edit and remove a certificate''s recipients'
            cand export 'Write one row per recipient: status, timestamps, counts and original fields'
            cand stats 'The statistics page (all certificates when none is named)'
            cand events 'List the event log; import events recorded elsewhere'
            cand preview 'Render one recipient''s email exactly as it would be sent'
            cand send 'Mail every Not Sent recipient (or those named) their certificate'
            cand refresh 'Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe'
            cand remind 'Remind recipients who were mailed but have not claimed; expiry notices (--expiring)'
            cand suppress 'Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand'
            cand serve 'Serve the recipient pages: claim, view, download, share, verify'
            cand render 'Write recipients'' certificate documents (PDF, PNG or SVG) to a folder'
            cand publish 'Write a certificate''s public pages, credentials and issuer keys as static files'
            cand verify 'Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation'
            cand keys 'The issuer''s signing keys: show (public JWK, fingerprint) or rotate'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (or write every page to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;help;init'= {
        }
        &'certstat;help;cert'= {
            cand create 'Create a certificate with its email template and design'
            cand list 'Every certificate: name, recipients, created, sent, claimed %'
            cand show 'The overview: name, issuer, created date, total recipients, status breakdown'
            cand edit 'Change a certificate''s name, issuer, description, templates or design'
            cand delete 'Delete a certificate with its recipients and events'
        }
        &'certstat;help;cert;create'= {
        }
        &'certstat;help;cert;list'= {
        }
        &'certstat;help;cert;show'= {
        }
        &'certstat;help;cert;edit'= {
        }
        &'certstat;help;cert;delete'= {
        }
        &'certstat;help;recipients'= {
            cand add 'Add one recipient'
            cand import 'Add recipients from a CSV file (all or nothing)'
            cand list 'List recipients with their status, status time and detail'
            cand show 'One recipient: their status and why (the deciding event, its source, the server''s words), then their whole timeline'
            cand remove 'Remove recipients (with their events)'
            cand edit 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
            cand revoke 'Revoke recipients'' certificates (their status is kept; verification says revoked)'
            cand unrevoke 'Undo a revocation'
        }
        &'certstat;help;recipients;add'= {
        }
        &'certstat;help;recipients;import'= {
        }
        &'certstat;help;recipients;list'= {
        }
        &'certstat;help;recipients;show'= {
        }
        &'certstat;help;recipients;remove'= {
        }
        &'certstat;help;recipients;edit'= {
        }
        &'certstat;help;recipients;revoke'= {
        }
        &'certstat;help;recipients;unrevoke'= {
        }
        &'certstat;help;export'= {
        }
        &'certstat;help;stats'= {
        }
        &'certstat;help;events'= {
            cand list 'The event log of a certificate, oldest first'
            cand import 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)'
            cand lost 'The requests of `serve`''s "lost your link?" page, for any address (one without a certificate too), oldest first'
        }
        &'certstat;help;events;list'= {
        }
        &'certstat;help;events;import'= {
        }
        &'certstat;help;events;lost'= {
        }
        &'certstat;help;preview'= {
        }
        &'certstat;help;send'= {
        }
        &'certstat;help;refresh'= {
        }
        &'certstat;help;remind'= {
        }
        &'certstat;help;suppress'= {
            cand list 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand'
            cand add 'Never mail these addresses (for any certificate)'
            cand remove 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)'
            cand import 'Add every address of a CSV file (an `email` column; an optional `reason` column)'
            cand export 'Write the list as CSV (email, cause, reason, at)'
        }
        &'certstat;help;suppress;list'= {
        }
        &'certstat;help;suppress;add'= {
        }
        &'certstat;help;suppress;remove'= {
        }
        &'certstat;help;suppress;import'= {
        }
        &'certstat;help;suppress;export'= {
        }
        &'certstat;help;serve'= {
        }
        &'certstat;help;render'= {
        }
        &'certstat;help;publish'= {
        }
        &'certstat;help;verify'= {
        }
        &'certstat;help;keys'= {
            cand show 'The issuer''s public keys as JWKs with their fingerprints (creating the first key)'
            cand rotate 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs'
        }
        &'certstat;help;keys;show'= {
        }
        &'certstat;help;keys;rotate'= {
        }
        &'certstat;help;completions'= {
        }
        &'certstat;help;man'= {
        }
        &'certstat;help;help'= {
        }
    ]
    $completions[$command]
}

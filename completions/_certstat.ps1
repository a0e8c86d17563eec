
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'certstat' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'certstat'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'certstat' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database and a commented configuration file; print every path')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Create, list, show, edit and delete certificates')
            [CompletionResult]::new('recipients', 'recipients', [CompletionResultType]::ParameterValue, 'Add, import, list, edit and remove a certificate''s recipients')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write one row per recipient: status, timestamps, counts and original fields')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'The statistics page (all certificates when none is named)')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event log; import events recorded elsewhere')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, 'Render one recipient''s email exactly as it would be sent')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Mail every Not Sent recipient (or those named) their certificate')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Remind recipients who were mailed but have not claimed; expiry notices (--expiring)')
            [CompletionResult]::new('suppress', 'suppress', [CompletionResultType]::ParameterValue, 'Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the recipient pages: claim, view, download, share, verify')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write recipients'' certificate documents (PDF, PNG or SVG) to a folder')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Write a certificate''s public pages, credentials and issuer keys as static files')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'The issuer''s signing keys: show (public JWK, fingerprint) or rotate')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (or write every page to a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;init' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;cert' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a certificate with its email template and design')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every certificate: name, recipients, created, sent, claimed %')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The overview: name, issuer, created date, total recipients, status breakdown')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a certificate''s name, issuer, description, templates or design')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a certificate with its recipients and events')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;cert;create' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuing organisation, as shown on the certificate')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the certificate is for')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Email subject template (MiniJinja)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Plain-text email body template file (MiniJinja)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'HTML email body template file (MiniJinja, auto-escaped)')
            [CompletionResult]::new('--design', '--design', [CompletionResultType]::ParameterName, 'Certificate design: an SVG template file (MiniJinja)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it')
            [CompletionResult]::new('--valid-for', '--valid-for', [CompletionResultType]::ParameterName, 'Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the created certificate [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--no-open-tracking', '--no-open-tracking', [CompletionResultType]::ParameterName, 'Send without the open pixel (opens are then known only from clicks and claims)')
            [CompletionResult]::new('--open-tracking', '--open-tracking', [CompletionResultType]::ParameterName, 'Send with the open pixel again (the default)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Accept an expiry that has already passed (every credential of the certificate is then expired)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;cert;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;cert;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;cert;edit' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'New name')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuing organisation, as shown on the certificate')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the certificate is for')
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, 'Email subject template (MiniJinja)')
            [CompletionResult]::new('--body', '--body', [CompletionResultType]::ParameterName, 'Plain-text email body template file (MiniJinja)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'HTML email body template file (MiniJinja, auto-escaped)')
            [CompletionResult]::new('--design', '--design', [CompletionResultType]::ParameterName, 'Certificate design: an SVG template file (MiniJinja)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it')
            [CompletionResult]::new('--valid-for', '--valid-for', [CompletionResultType]::ParameterName, 'Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)')
            [CompletionResult]::new('--reminder-subject', '--reminder-subject', [CompletionResultType]::ParameterName, 'The reminders'' subject template (MiniJinja; `""` for the default)')
            [CompletionResult]::new('--reminder-body', '--reminder-body', [CompletionResultType]::ParameterName, 'The reminders'' plain-text body template (MiniJinja, with `unsubscribe_url` besides the first email''s variables; an empty file for the default)')
            [CompletionResult]::new('--renewal-url', '--renewal-url', [CompletionResultType]::ParameterName, 'The renewal link of expiry notices (`renewal_url` in their template; `""` for none)')
            [CompletionResult]::new('--expiry-subject', '--expiry-subject', [CompletionResultType]::ParameterName, 'The expiry notices'' subject template (MiniJinja; `""` for the default)')
            [CompletionResult]::new('--expiry-body', '--expiry-body', [CompletionResultType]::ParameterName, 'The expiry notices'' plain-text body template (MiniJinja, with `expires_on`, `renewal_url` and `unsubscribe_url` besides the first email''s variables; an empty file for the default)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--no-open-tracking', '--no-open-tracking', [CompletionResultType]::ParameterName, 'Send without the open pixel (opens are then known only from clicks and claims)')
            [CompletionResult]::new('--open-tracking', '--open-tracking', [CompletionResultType]::ParameterName, 'Send with the open pixel again (the default)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Accept an expiry that has already passed (every credential of the certificate is then expired)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;cert;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;cert;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a certificate with its email template and design')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every certificate: name, recipients, created, sent, claimed %')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The overview: name, issuer, created date, total recipients, status breakdown')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a certificate''s name, issuer, description, templates or design')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a certificate with its recipients and events')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;cert;help;create' {
            break
        }
        'certstat;cert;help;list' {
            break
        }
        'certstat;cert;help;show' {
            break
        }
        'certstat;cert;help;edit' {
            break
        }
        'certstat;cert;help;delete' {
            break
        }
        'certstat;cert;help;help' {
            break
        }
        'certstat;recipients' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add one recipient')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add recipients from a CSV file (all or nothing)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recipients with their status, status time and detail')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One recipient: their status and why (the deciding event, its source, the server''s words), then their whole timeline')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove recipients (with their events)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Fix a recipient in place: history is kept; a new address goes back to Not Sent')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke recipients'' certificates (their status is kept; verification says revoked)')
            [CompletionResult]::new('unrevoke', 'unrevoke', [CompletionResultType]::ParameterValue, 'Undo a revocation')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;recipients;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Display name')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'A template field (repeatable)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;import' {
            [CompletionResult]::new('--email-column', '--email-column', [CompletionResultType]::ParameterName, 'The column holding the email address [default: detected from the header]')
            [CompletionResult]::new('--name-column', '--name-column', [CompletionResultType]::ParameterName, 'The column holding the name [default: name/full name, or first + last name]')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'The field delimiter [default: sniffed from the header]')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'The file''s character encoding (auto: UTF-8, UTF-16 or a detected legacy encoding; or a name such as windows-1250, shift_jis, gb18030, utf-16le)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the summary')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would happen; write nothing')
            [CompletionResult]::new('--skip-invalid', '--skip-invalid', [CompletionResultType]::ParameterName, 'Import the valid rows and report the others')
            [CompletionResult]::new('--update-existing', '--update-existing', [CompletionResultType]::ParameterName, 'Update name and fields of recipients already on the certificate')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only these statuses (repeatable)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only addresses or names containing TEXT')
            [CompletionResult]::new('--expiring', '--expiring', [CompletionResultType]::ParameterName, 'Only recipients who claimed a certificate that expires within this window (e.g. 30d): those `remind --expiring` notifies')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--needs-review', '--needs-review', [CompletionResultType]::ParameterName, 'Only Pending recipients named by a failure notice that could not be classified (they are kept out of the settle window until reviewed)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Do not neutralise formula-like cells in CSV')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (needed when stdin is not a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;edit' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The corrected address (the recipient goes back to Not Sent)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The corrected name')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Set a template field (repeatable); an empty value removes it')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;revoke' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (shown on the verification page and by `certstat verify`)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;unrevoke' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;recipients;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add one recipient')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add recipients from a CSV file (all or nothing)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recipients with their status, status time and detail')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One recipient: their status and why (the deciding event, its source, the server''s words), then their whole timeline')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove recipients (with their events)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Fix a recipient in place: history is kept; a new address goes back to Not Sent')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke recipients'' certificates (their status is kept; verification says revoked)')
            [CompletionResult]::new('unrevoke', 'unrevoke', [CompletionResultType]::ParameterValue, 'Undo a revocation')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;recipients;help;add' {
            break
        }
        'certstat;recipients;help;import' {
            break
        }
        'certstat;recipients;help;list' {
            break
        }
        'certstat;recipients;help;show' {
            break
        }
        'certstat;recipients;help;remove' {
            break
        }
        'certstat;recipients;help;edit' {
            break
        }
        'certstat;recipients;help;revoke' {
            break
        }
        'certstat;recipients;help;unrevoke' {
            break
        }
        'certstat;recipients;help;help' {
            break
        }
        'certstat;export' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'File format: CSV (one row per recipient, with their original fields) or a JSON array')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--bom', '--bom', [CompletionResultType]::ParameterName, 'Start the CSV with a byte-order mark (for Excel)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Do not neutralise formula-like cells')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;stats' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: the page (table), one row per figure (csv) or one object (json) [default: table]')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Also write a self-contained HTML report (boxes, tables and the pie chart) to FILE')
            [CompletionResult]::new('--svg', '--svg', [CompletionResultType]::ParameterName, 'Also write the shares pie chart as an SVG file')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Do not neutralise formula-like cells in CSV')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;events' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The event log of a certificate, oldest first')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)')
            [CompletionResult]::new('lost', 'lost', [CompletionResultType]::ParameterValue, 'The requests of `serve`''s "lost your link?" page, for any address (one without a certificate too), oldest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;events;list' {
            [CompletionResult]::new('--recipient', '--recipient', [CompletionResultType]::ParameterName, 'Only this recipient''s events')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only events of this kind (repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339 or YYYY-MM-DD)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format; jsonl is the line format `events import` reads [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Do not neutralise formula-like cells in CSV')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'certstat;events;import' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The file''s format: certstat''s jsonl, a provider''s webhook payloads, or auto')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'certstat;events;lost' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only requests at or after this time (RFC 3339 or YYYY-MM-DD)')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Only requests for this address')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Do not neutralise formula-like cells in CSV')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;events;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The event log of a certificate, oldest first')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)')
            [CompletionResult]::new('lost', 'lost', [CompletionResultType]::ParameterValue, 'The requests of `serve`''s "lost your link?" page, for any address (one without a certificate too), oldest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;events;help;list' {
            break
        }
        'certstat;events;help;import' {
            break
        }
        'certstat;events;help;lost' {
            break
        }
        'certstat;events;help;help' {
            break
        }
        'certstat;preview' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--eml', '--eml', [CompletionResultType]::ParameterName, 'Print the raw message (RFC 5322, CRLF line ends): the bytes that would be sent')
            [CompletionResult]::new('--reminder', '--reminder', [CompletionResultType]::ParameterName, 'The reminder `certstat remind` would send instead of the first email')
            [CompletionResult]::new('--expiry', '--expiry', [CompletionResultType]::ParameterName, 'The expiry notice `certstat remind --expiring` would send')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;send' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Send at most N messages in this run')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N messages per second (e.g. 5 or 5/s)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Only these recipients (repeatable)')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel SMTP connections [default: [smtp] connections, else 1]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of the final summary')
            [CompletionResult]::new('--max-hard-bounces', '--max-hard-bounces', [CompletionResultType]::ParameterName, 'Stop the run when, after its first 50 outcomes, more than this share of its messages hard-bounced (a run also stops at its first complaint) [default: [guardrail] max_hard_bounces, else 5%]')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over finish and the rest are postponed, unchanged, to the next run (exit 0)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Render every message and say who would be mailed; send nothing, record nothing')
            [CompletionResult]::new('--retry-bounced', '--retry-bounced', [CompletionResultType]::ParameterName, 'Also send to soft-bounced recipients (mailbox full, suspended, expired, …)')
            [CompletionResult]::new('--include-hard', '--include-hard', [CompletionResultType]::ParameterName, 'With --retry-bounced, also send to hard-bounced ones (address or domain does not exist)')
            [CompletionResult]::new('--resend-unconfirmed', '--resend-unconfirmed', [CompletionResultType]::ParameterName, 'Also send to recipients whose earlier send was interrupted before its outcome was recorded (they may get the message twice)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Refuse to send when a recipient''s name has characters no available font can draw (without it, a warning names them)')
            [CompletionResult]::new('--ignore-suppression', '--ignore-suppression', [CompletionResultType]::ParameterName, 'Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any certificate, `certstat suppress list`); `--include-hard` alone lets this certificate''s own hard bounces through')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;refresh' {
            [CompletionResult]::new('--maildir', '--maildir', [CompletionResultType]::ParameterName, 'A Maildir to read (its new/ and cur/); repeatable')
            [CompletionResult]::new('--mbox', '--mbox', [CompletionResultType]::ParameterName, 'An mbox file to read; repeatable')
            [CompletionResult]::new('--imap', '--imap', [CompletionResultType]::ParameterName, 'An IMAP mailbox: imaps://USER@HOST[:PORT]/MAILBOX (USER percent-encoded), imap:// for STARTTLS (plain on a loopback address)')
            [CompletionResult]::new('--imap-move', '--imap-move', [CompletionResultType]::ParameterName, 'Move processed IMAP mail to this folder')
            [CompletionResult]::new('--settle', '--settle', [CompletionResultType]::ParameterName, 'Pending recipients with no bounce this long after sending become Delivered [default: 1h]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--imap-mark-seen', '--imap-mark-seen', [CompletionResultType]::ParameterName, 'Mark processed IMAP mail \Seen')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would change; write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'certstat;remind' {
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Only after this long since the last message to the recipient (first email or reminder)')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'At most N reminders per recipient, over all runs')
            [CompletionResult]::new('--expiring', '--expiring', [CompletionResultType]::ParameterName, 'Instead of reminders: expiry notices to recipients who claimed, when the certificate expires within this window (e.g. 90d, 30d, 7d); once per window')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Send at most N messages in this run')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N messages per second (e.g. 5 or 5/s)')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Parallel SMTP connections [default: [smtp] connections, else 1]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Format of the final summary')
            [CompletionResult]::new('--max-hard-bounces', '--max-hard-bounces', [CompletionResultType]::ParameterName, 'Stop the run when, after its first 50 outcomes, more than this share of its messages hard-bounced (a run also stops at its first complaint) [default: [guardrail] max_hard_bounces, else 5%]')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over finish and the rest are postponed, unchanged, to the next run (exit 0)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('--opened-not-claimed', '--opened-not-claimed', [CompletionResultType]::ParameterName, 'Only recipients who opened a message (a person, not a mail scanner) but did not claim')
            [CompletionResult]::new('--resend-unconfirmed', '--resend-unconfirmed', [CompletionResultType]::ParameterName, 'Also mail again the reminders (or notices of this window) that an interrupted run handed over without recording their outcome (the recipient may get one twice)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say who would be mailed; send nothing, record nothing')
            [CompletionResult]::new('--ignore-suppression', '--ignore-suppression', [CompletionResultType]::ParameterName, 'Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any certificate, `certstat suppress list`); `--include-hard` alone lets this certificate''s own hard bounces through')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;suppress' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Never mail these addresses (for any certificate)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add every address of a CSV file (an `email` column; an optional `reason` column)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the list as CSV (email, cause, reason, at)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;suppress;list' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;suppress;add' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (shown by `suppress list` and when `send` skips the address)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;suppress;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;suppress;import' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;suppress;export' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to this file instead of stdout')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;suppress;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Never mail these addresses (for any certificate)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add every address of a CSV file (an `email` column; an optional `reason` column)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the list as CSV (email, cause, reason, at)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;suppress;help;list' {
            break
        }
        'certstat;suppress;help;add' {
            break
        }
        'certstat;suppress;help;remove' {
            break
        }
        'certstat;suppress;help;import' {
            break
        }
        'certstat;suppress;help;export' {
            break
        }
        'certstat;suppress;help;help' {
            break
        }
        'certstat;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on [default: config [serve] listen, else 127.0.0.1:8080]')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Public URL of these pages, used in links and on certificates [default: config [serve] base_url, else http://<listen address>]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;render' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Folder to write the documents to (created when missing)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Document format')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;publish' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Folder to write the site to (created when missing; files certstat writes are replaced)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'Public URL the folder will be served at [default: config [serve] base_url]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;verify' {
            [CompletionResult]::new('--jwks', '--jwks', [CompletionResultType]::ParameterName, 'The issuer''s public keys (a JWK Set or one JWK), as a file or an http(s) URL, for credentials this database did not issue')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format of the verdict [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;keys' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The issuer''s public keys as JWKs with their fingerprints (creating the first key)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;keys;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;keys;rotate' {
            [CompletionResult]::new('--alg', '--alg', [CompletionResultType]::ParameterName, 'The new key''s algorithm: Ed25519 (JWS EdDSA) or P-256 (JWS ES256, which registrars accepting only RS256/ES256 verify)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: table]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'certstat;keys;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The issuer''s public keys as JWKs with their fingerprints (creating the first key)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;keys;help;show' {
            break
        }
        'certstat;keys;help;rotate' {
            break
        }
        'certstat;keys;help;help' {
            break
        }
        'certstat;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write certstat.1 and one certstat-<command>.1 per subcommand into DIR')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors (for cron)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more: -v each message sent or mail not matched, -vv also the paths in use')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'certstat;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database and a commented configuration file; print every path')
            [CompletionResult]::new('cert', 'cert', [CompletionResultType]::ParameterValue, 'Create, list, show, edit and delete certificates')
            [CompletionResult]::new('recipients', 'recipients', [CompletionResultType]::ParameterValue, 'Add, import, list, edit and remove a certificate''s recipients')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write one row per recipient: status, timestamps, counts and original fields')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'The statistics page (all certificates when none is named)')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'List the event log; import events recorded elsewhere')
            [CompletionResult]::new('preview', 'preview', [CompletionResultType]::ParameterValue, 'Render one recipient''s email exactly as it would be sent')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Mail every Not Sent recipient (or those named) their certificate')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Remind recipients who were mailed but have not claimed; expiry notices (--expiring)')
            [CompletionResult]::new('suppress', 'suppress', [CompletionResultType]::ParameterValue, 'Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve the recipient pages: claim, view, download, share, verify')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Write recipients'' certificate documents (PDF, PNG or SVG) to a folder')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Write a certificate''s public pages, credentials and issuer keys as static files')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'The issuer''s signing keys: show (public JWK, fingerprint) or rotate')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the manual page (or write every page to a directory)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'certstat;help;init' {
            break
        }
        'certstat;help;cert' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a certificate with its email template and design')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every certificate: name, recipients, created, sent, claimed %')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The overview: name, issuer, created date, total recipients, status breakdown')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Change a certificate''s name, issuer, description, templates or design')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a certificate with its recipients and events')
            break
        }
        'certstat;help;cert;create' {
            break
        }
        'certstat;help;cert;list' {
            break
        }
        'certstat;help;cert;show' {
            break
        }
        'certstat;help;cert;edit' {
            break
        }
        'certstat;help;cert;delete' {
            break
        }
        'certstat;help;recipients' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add one recipient')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add recipients from a CSV file (all or nothing)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List recipients with their status, status time and detail')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'One recipient: their status and why (the deciding event, its source, the server''s words), then their whole timeline')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove recipients (with their events)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Fix a recipient in place: history is kept; a new address goes back to Not Sent')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke recipients'' certificates (their status is kept; verification says revoked)')
            [CompletionResult]::new('unrevoke', 'unrevoke', [CompletionResultType]::ParameterValue, 'Undo a revocation')
            break
        }
        'certstat;help;recipients;add' {
            break
        }
        'certstat;help;recipients;import' {
            break
        }
        'certstat;help;recipients;list' {
            break
        }
        'certstat;help;recipients;show' {
            break
        }
        'certstat;help;recipients;remove' {
            break
        }
        'certstat;help;recipients;edit' {
            break
        }
        'certstat;help;recipients;revoke' {
            break
        }
        'certstat;help;recipients;unrevoke' {
            break
        }
        'certstat;help;export' {
            break
        }
        'certstat;help;stats' {
            break
        }
        'certstat;help;events' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The event log of a certificate, oldest first')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)')
            [CompletionResult]::new('lost', 'lost', [CompletionResultType]::ParameterValue, 'The requests of `serve`''s "lost your link?" page, for any address (one without a certificate too), oldest first')
            break
        }
        'certstat;help;events;list' {
            break
        }
        'certstat;help;events;import' {
            break
        }
        'certstat;help;events;lost' {
            break
        }
        'certstat;help;preview' {
            break
        }
        'certstat;help;send' {
            break
        }
        'certstat;help;refresh' {
            break
        }
        'certstat;help;remind' {
            break
        }
        'certstat;help;suppress' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Never mail these addresses (for any certificate)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Add every address of a CSV file (an `email` column; an optional `reason` column)')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write the list as CSV (email, cause, reason, at)')
            break
        }
        'certstat;help;suppress;list' {
            break
        }
        'certstat;help;suppress;add' {
            break
        }
        'certstat;help;suppress;remove' {
            break
        }
        'certstat;help;suppress;import' {
            break
        }
        'certstat;help;suppress;export' {
            break
        }
        'certstat;help;serve' {
            break
        }
        'certstat;help;render' {
            break
        }
        'certstat;help;publish' {
            break
        }
        'certstat;help;verify' {
            break
        }
        'certstat;help;keys' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'The issuer''s public keys as JWKs with their fingerprints (creating the first key)')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs')
            break
        }
        'certstat;help;keys;show' {
            break
        }
        'certstat;help;keys;rotate' {
            break
        }
        'certstat;help;completions' {
            break
        }
        'certstat;help;man' {
            break
        }
        'certstat;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}

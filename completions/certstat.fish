# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_certstat_global_optspecs
    string join \n db= config= q/quiet v/verbose color= h/help V/version
end

function __fish_certstat_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_certstat_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_certstat_using_subcommand
    set -l cmd (__fish_certstat_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c certstat -n "__fish_certstat_needs_command" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_needs_command" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_needs_command" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_needs_command" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_needs_command" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c certstat -n "__fish_certstat_needs_command" -s V -l version -d 'Print version'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "init" -d 'Create the database and a commented configuration file; print every path'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "cert" -d 'Create, list, show, edit and delete certificates'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "recipients" -d 'Add, import, list, edit and remove a certificate\'s recipients'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "export" -d 'Write one row per recipient: status, timestamps, counts and original fields'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "stats" -d 'The statistics page (all certificates when none is named)'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "events" -d 'List the event log; import events recorded elsewhere'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "preview" -d 'Render one recipient\'s email exactly as it would be sent'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "send" -d 'Mail every Not Sent recipient (or those named) their certificate'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "refresh" -d 'Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "remind" -d 'Remind recipients who were mailed but have not claimed; expiry notices (--expiring)'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "suppress" -d 'Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "serve" -d 'Serve the recipient pages: claim, view, download, share, verify'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "render" -d 'Write recipients\' certificate documents (PDF, PNG or SVG) to a folder'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "publish" -d 'Write a certificate\'s public pages, credentials and issuer keys as static files'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "verify" -d 'Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "keys" -d 'The issuer\'s signing keys: show (public JWK, fingerprint) or rotate'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "man" -d 'Print the manual page (or write every page to a directory)'
complete -c certstat -n "__fish_certstat_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand init" -l format -d 'Output format' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand init" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand init" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand init" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand init" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand init" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand init" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -f -a "create" -d 'Create a certificate with its email template and design'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -f -a "list" -d 'Every certificate: name, recipients, created, sent, claimed %'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -f -a "show" -d 'The overview: name, issuer, created date, total recipients, status breakdown'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -f -a "edit" -d 'Change a certificate\'s name, issuer, description, templates or design'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -f -a "delete" -d 'Delete a certificate with its recipients and events'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and not __fish_seen_subcommand_from create list show edit delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l issuer -d 'Issuing organisation, as shown on the certificate' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l description -d 'What the certificate is for' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l subject -d 'Email subject template (MiniJinja)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l body -d 'Plain-text email body template file (MiniJinja)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l html -d 'HTML email body template file (MiniJinja, auto-escaped)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l design -d 'Certificate design: an SVG template file (MiniJinja)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l expires -d 'When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l valid-for -d 'Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l format -d 'Output format of the created certificate [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l no-open-tracking -d 'Send without the open pixel (opens are then known only from clicks and claims)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l open-tracking -d 'Send with the open pixel again (the default)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -l force -d 'Accept an expiry that has already passed (every credential of the certificate is then expired)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l name -d 'New name' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l issuer -d 'Issuing organisation, as shown on the certificate' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l description -d 'What the certificate is for' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l subject -d 'Email subject template (MiniJinja)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l body -d 'Plain-text email body template file (MiniJinja)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l html -d 'HTML email body template file (MiniJinja, auto-escaped)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l design -d 'Certificate design: an SVG template file (MiniJinja)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l expires -d 'When the certificate expires: a date (2027-12-31) or RFC 3339 time; `never` removes it' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l valid-for -d 'Expire this long after the certificate was created: 90d, 12w, 18mo, 2y (at most 10y)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l reminder-subject -d 'The reminders\' subject template (MiniJinja; `""` for the default)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l reminder-body -d 'The reminders\' plain-text body template (MiniJinja, with `unsubscribe_url` besides the first email\'s variables; an empty file for the default)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l renewal-url -d 'The renewal link of expiry notices (`renewal_url` in their template; `""` for none)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l expiry-subject -d 'The expiry notices\' subject template (MiniJinja; `""` for the default)' -r
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l expiry-body -d 'The expiry notices\' plain-text body template (MiniJinja, with `expires_on`, `renewal_url` and `unsubscribe_url` besides the first email\'s variables; an empty file for the default)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l no-open-tracking -d 'Send without the open pixel (opens are then known only from clicks and claims)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l open-tracking -d 'Send with the open pixel again (the default)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -l force -d 'Accept an expiry that has already passed (every credential of the certificate is then expired)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -l yes -d 'Do not ask for confirmation'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a certificate with its email template and design'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every certificate: name, recipients, created, sent, claimed %'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "show" -d 'The overview: name, issuer, created date, total recipients, status breakdown'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Change a certificate\'s name, issuer, description, templates or design'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a certificate with its recipients and events'
complete -c certstat -n "__fish_certstat_using_subcommand cert; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "add" -d 'Add one recipient'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "import" -d 'Add recipients from a CSV file (all or nothing)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "list" -d 'List recipients with their status, status time and detail'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "show" -d 'One recipient: their status and why (the deciding event, its source, the server\'s words), then their whole timeline'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "remove" -d 'Remove recipients (with their events)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "edit" -d 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "revoke" -d 'Revoke recipients\' certificates (their status is kept; verification says revoked)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "unrevoke" -d 'Undo a revocation'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and not __fish_seen_subcommand_from add import list show remove edit revoke unrevoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -l name -d 'Display name' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -l field -d 'A template field (repeatable)' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l email-column -d 'The column holding the email address [default: detected from the header]' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l name-column -d 'The column holding the name [default: name/full name, or first + last name]' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l delimiter -d 'The field delimiter [default: sniffed from the header]' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l encoding -d 'The file\'s character encoding (auto: UTF-8, UTF-16 or a detected legacy encoding; or a name such as windows-1250, shift_jis, gb18030, utf-16le)' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l format -d 'Output format of the summary' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l dry-run -d 'Report what would happen; write nothing'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l skip-invalid -d 'Import the valid rows and report the others'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -l update-existing -d 'Update name and fields of recipients already on the certificate'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l status -d 'Only these statuses (repeatable)' -r -f -a "not_sent\t''
pending\t''
delivered\t''
bounced\t''
claimed\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l search -d 'Only addresses or names containing TEXT' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l expiring -d 'Only recipients who claimed a certificate that expires within this window (e.g. 30d): those `remind --expiring` notifies' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l needs-review -d 'Only Pending recipients named by a failure notice that could not be classified (they are kept out of the settle window until reviewed)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -l raw -d 'Do not neutralise formula-like cells in CSV'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -l yes -d 'Do not ask for confirmation (needed when stdin is not a terminal)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -l email -d 'The corrected address (the recipient goes back to Not Sent)' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -l name -d 'The corrected name' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -l field -d 'Set a template field (repeatable); an empty value removes it' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -l reason -d 'Why (shown on the verification page and by `certstat verify`)' -r
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from unrevoke" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from unrevoke" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from unrevoke" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from unrevoke" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from unrevoke" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from unrevoke" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add one recipient'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add recipients from a CSV file (all or nothing)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "list" -d 'List recipients with their status, status time and detail'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "show" -d 'One recipient: their status and why (the deciding event, its source, the server\'s words), then their whole timeline'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove recipients (with their events)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke recipients\' certificates (their status is kept; verification says revoked)'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "unrevoke" -d 'Undo a revocation'
complete -c certstat -n "__fish_certstat_using_subcommand recipients; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand export" -s o -l output -d 'Write to FILE instead of stdout' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand export" -l format -d 'File format: CSV (one row per recipient, with their original fields) or a JSON array' -r -f -a "csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand export" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand export" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand export" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand export" -l bom -d 'Start the CSV with a byte-order mark (for Excel)'
complete -c certstat -n "__fish_certstat_using_subcommand export" -l raw -d 'Do not neutralise formula-like cells'
complete -c certstat -n "__fish_certstat_using_subcommand export" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand export" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand export" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l format -d 'Output format: the page (table), one row per figure (csv) or one object (json) [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l html -d 'Also write a self-contained HTML report (boxes, tables and the pie chart) to FILE' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l svg -d 'Also write the shares pie chart as an SVG file' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand stats" -l raw -d 'Do not neutralise formula-like cells in CSV'
complete -c certstat -n "__fish_certstat_using_subcommand stats" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand stats" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand stats" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -f -a "list" -d 'The event log of a certificate, oldest first'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -f -a "import" -d 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -f -a "lost" -d 'The requests of `serve`\'s "lost your link?" page, for any address (one without a certificate too), oldest first'
complete -c certstat -n "__fish_certstat_using_subcommand events; and not __fish_seen_subcommand_from list import lost help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l recipient -d 'Only this recipient\'s events' -r
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l kind -d 'Only events of this kind (repeatable)' -r
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l since -d 'Only events at or after this time (RFC 3339 or YYYY-MM-DD)' -r
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l format -d 'Output format; jsonl is the line format `events import` reads [default: table]' -r -f -a "table\t''
csv\t''
json\t''
jsonl\t'One event per line, in the format `events import --format jsonl` reads'"
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -l raw -d 'Do not neutralise formula-like cells in CSV'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -l format -d 'The file\'s format: certstat\'s jsonl, a provider\'s webhook payloads, or auto' -r -f -a "jsonl\t'certstat\'s own line format (what `events list --format jsonl` writes)'
auto\t'Recognise the provider (or certstat\'s jsonl) from the file\'s content'
sendgrid\t'SendGrid Event Webhook payloads'
ses\t'Amazon SES notifications (as SNS delivers them, or bare)'
postmark\t'Postmark webhooks'
mailgun\t'Mailgun webhooks'"
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l since -d 'Only requests at or after this time (RFC 3339 or YYYY-MM-DD)' -r
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l email -d 'Only requests for this address' -r
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -l raw -d 'Do not neutralise formula-like cells in CSV'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from lost" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "list" -d 'The event log of a certificate, oldest first'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "import" -d 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "lost" -d 'The requests of `serve`\'s "lost your link?" page, for any address (one without a certificate too), oldest first'
complete -c certstat -n "__fish_certstat_using_subcommand events; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand preview" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand preview" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand preview" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand preview" -l eml -d 'Print the raw message (RFC 5322, CRLF line ends): the bytes that would be sent'
complete -c certstat -n "__fish_certstat_using_subcommand preview" -l reminder -d 'The reminder `certstat remind` would send instead of the first email'
complete -c certstat -n "__fish_certstat_using_subcommand preview" -l expiry -d 'The expiry notice `certstat remind --expiring` would send'
complete -c certstat -n "__fish_certstat_using_subcommand preview" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand preview" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand preview" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand send" -l limit -d 'Send at most N messages in this run' -r
complete -c certstat -n "__fish_certstat_using_subcommand send" -l rate -d 'At most N messages per second (e.g. 5 or 5/s)' -r
complete -c certstat -n "__fish_certstat_using_subcommand send" -l to -d 'Only these recipients (repeatable)' -r
complete -c certstat -n "__fish_certstat_using_subcommand send" -l connections -d 'Parallel SMTP connections [default: [smtp] connections, else 1]' -r
complete -c certstat -n "__fish_certstat_using_subcommand send" -l format -d 'Format of the final summary' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand send" -l max-hard-bounces -d 'Stop the run when, after its first 50 outcomes, more than this share of its messages hard-bounced (a run also stops at its first complaint) [default: [guardrail] max_hard_bounces, else 5%]' -r
complete -c certstat -n "__fish_certstat_using_subcommand send" -l time-limit -d 'Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over finish and the rest are postponed, unchanged, to the next run (exit 0)' -r
complete -c certstat -n "__fish_certstat_using_subcommand send" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand send" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand send" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand send" -l dry-run -d 'Render every message and say who would be mailed; send nothing, record nothing'
complete -c certstat -n "__fish_certstat_using_subcommand send" -l retry-bounced -d 'Also send to soft-bounced recipients (mailbox full, suspended, expired, …)'
complete -c certstat -n "__fish_certstat_using_subcommand send" -l include-hard -d 'With --retry-bounced, also send to hard-bounced ones (address or domain does not exist)'
complete -c certstat -n "__fish_certstat_using_subcommand send" -l resend-unconfirmed -d 'Also send to recipients whose earlier send was interrupted before its outcome was recorded (they may get the message twice)'
complete -c certstat -n "__fish_certstat_using_subcommand send" -l strict -d 'Refuse to send when a recipient\'s name has characters no available font can draw (without it, a warning names them)'
complete -c certstat -n "__fish_certstat_using_subcommand send" -l ignore-suppression -d 'Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any certificate, `certstat suppress list`); `--include-hard` alone lets this certificate\'s own hard bounces through'
complete -c certstat -n "__fish_certstat_using_subcommand send" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand send" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand send" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l maildir -d 'A Maildir to read (its new/ and cur/); repeatable' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l mbox -d 'An mbox file to read; repeatable' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l imap -d 'An IMAP mailbox: imaps://USER@HOST[:PORT]/MAILBOX (USER percent-encoded), imap:// for STARTTLS (plain on a loopback address)' -r
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l imap-move -d 'Move processed IMAP mail to this folder' -r
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l settle -d 'Pending recipients with no bounce this long after sending become Delivered [default: 1h]' -r
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l imap-mark-seen -d 'Mark processed IMAP mail \\Seen'
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -l dry-run -d 'Print what would change; write nothing'
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l after -d 'Only after this long since the last message to the recipient (first email or reminder)' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l max -d 'At most N reminders per recipient, over all runs' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l expiring -d 'Instead of reminders: expiry notices to recipients who claimed, when the certificate expires within this window (e.g. 90d, 30d, 7d); once per window' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l limit -d 'Send at most N messages in this run' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l rate -d 'At most N messages per second (e.g. 5 or 5/s)' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l connections -d 'Parallel SMTP connections [default: [smtp] connections, else 1]' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l format -d 'Format of the final summary' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l max-hard-bounces -d 'Stop the run when, after its first 50 outcomes, more than this share of its messages hard-bounced (a run also stops at its first complaint) [default: [guardrail] max_hard_bounces, else 5%]' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l time-limit -d 'Stop queuing messages after this long (e.g. 30m, 2h): the messages being handed over finish and the rest are postponed, unchanged, to the next run (exit 0)' -r
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l opened-not-claimed -d 'Only recipients who opened a message (a person, not a mail scanner) but did not claim'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l resend-unconfirmed -d 'Also mail again the reminders (or notices of this window) that an interrupted run handed over without recording their outcome (the recipient may get one twice)'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l dry-run -d 'Say who would be mailed; send nothing, record nothing'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -l ignore-suppression -d 'Also mail suppressed addresses (hard bounces, complaints and unsubscribes of any certificate, `certstat suppress list`); `--include-hard` alone lets this certificate\'s own hard bounces through'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand remind" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -f -a "list" -d 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -f -a "add" -d 'Never mail these addresses (for any certificate)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -f -a "remove" -d 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -f -a "import" -d 'Add every address of a CSV file (an `email` column; an optional `reason` column)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -f -a "export" -d 'Write the list as CSV (email, cause, reason, at)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and not __fish_seen_subcommand_from list add remove import export help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -l reason -d 'Why (shown by `suppress list` and when `send` skips the address)' -r
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from remove" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from remove" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from import" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from import" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from import" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to this file instead of stdout' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from help" -f -a "list" -d 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from help" -f -a "add" -d 'Never mail these addresses (for any certificate)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from help" -f -a "import" -d 'Add every address of a CSV file (an `email` column; an optional `reason` column)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write the list as CSV (email, cause, reason, at)'
complete -c certstat -n "__fish_certstat_using_subcommand suppress; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand serve" -l listen -d 'Address to listen on [default: config [serve] listen, else 127.0.0.1:8080]' -r
complete -c certstat -n "__fish_certstat_using_subcommand serve" -l base-url -d 'Public URL of these pages, used in links and on certificates [default: config [serve] base_url, else http://<listen address>]' -r
complete -c certstat -n "__fish_certstat_using_subcommand serve" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand serve" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand serve" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand serve" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand serve" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand serve" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand render" -l out -d 'Folder to write the documents to (created when missing)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand render" -l format -d 'Document format' -r -f -a "svg\t''
png\t''
pdf\t''"
complete -c certstat -n "__fish_certstat_using_subcommand render" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand render" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand render" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand render" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand render" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand render" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand publish" -l out -d 'Folder to write the site to (created when missing; files certstat writes are replaced)' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand publish" -l base-url -d 'Public URL the folder will be served at [default: config [serve] base_url]' -r
complete -c certstat -n "__fish_certstat_using_subcommand publish" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand publish" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand publish" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand publish" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand publish" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand publish" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand verify" -l jwks -d 'The issuer\'s public keys (a JWK Set or one JWK), as a file or an http(s) URL, for credentials this database did not issue' -r
complete -c certstat -n "__fish_certstat_using_subcommand verify" -l format -d 'Output format of the verdict [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand verify" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand verify" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand verify" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand verify" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand verify" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand verify" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -f -a "show" -d 'The issuer\'s public keys as JWKs with their fingerprints (creating the first key)'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -f -a "rotate" -d 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and not __fish_seen_subcommand_from show rotate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l alg -d 'The new key\'s algorithm: Ed25519 (JWS EdDSA) or P-256 (JWS ES256, which registrars accepting only RS256/ES256 verify)' -r -f -a "ed25519\t'Ed25519 (JWS `alg` EdDSA)'
es256\t'ECDSA on P-256 with SHA-256 (JWS `alg` ES256), which 1EdTech\'s validator accepts'"
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l format -d 'Output format [default: table]' -r -f -a "table\t''
csv\t''
json\t''"
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "show" -d 'The issuer\'s public keys as JWKs with their fingerprints (creating the first key)'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs'
complete -c certstat -n "__fish_certstat_using_subcommand keys; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand completions" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand completions" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand completions" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand completions" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand completions" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand man" -l dir -d 'Write certstat.1 and one certstat-<command>.1 per subcommand into DIR' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand man" -l db -d 'Database file [env: CERTSTAT_DB] [default: <data dir>/certstat/certstat.db]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand man" -l config -d 'Configuration file [env: CERTSTAT_CONFIG] [default: <config dir>/certstat/config.toml]' -r -F
complete -c certstat -n "__fish_certstat_using_subcommand man" -l color -d 'When to use colour (NO_COLOR, when set and not empty, means never unless --color=always)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c certstat -n "__fish_certstat_using_subcommand man" -s q -l quiet -d 'Print nothing but errors (for cron)'
complete -c certstat -n "__fish_certstat_using_subcommand man" -s v -l verbose -d 'Say more: -v each message sent or mail not matched, -vv also the paths in use'
complete -c certstat -n "__fish_certstat_using_subcommand man" -s h -l help -d 'Print help'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "init" -d 'Create the database and a commented configuration file; print every path'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "cert" -d 'Create, list, show, edit and delete certificates'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "recipients" -d 'Add, import, list, edit and remove a certificate\'s recipients'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "export" -d 'Write one row per recipient: status, timestamps, counts and original fields'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "stats" -d 'The statistics page (all certificates when none is named)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "events" -d 'List the event log; import events recorded elsewhere'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "preview" -d 'Render one recipient\'s email exactly as it would be sent'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "send" -d 'Mail every Not Sent recipient (or those named) their certificate'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "refresh" -d 'Read bounce mailboxes (Maildir, mbox, IMAP); apply bounces and deliveries; cron-safe'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "remind" -d 'Remind recipients who were mailed but have not claimed; expiry notices (--expiring)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "suppress" -d 'Addresses never mailed again: hard bounces, complaints, unsubscribes, added by hand'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "serve" -d 'Serve the recipient pages: claim, view, download, share, verify'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "render" -d 'Write recipients\' certificate documents (PDF, PNG or SVG) to a folder'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "publish" -d 'Write a certificate\'s public pages, credentials and issuer keys as static files'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "verify" -d 'Check a baked PNG/SVG, PDF or credential: signature, schema, dates, revocation'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "keys" -d 'The issuer\'s signing keys: show (public JWK, fingerprint) or rotate'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "man" -d 'Print the manual page (or write every page to a directory)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and not __fish_seen_subcommand_from init cert recipients export stats events preview send refresh remind suppress serve render publish verify keys completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "create" -d 'Create a certificate with its email template and design'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "list" -d 'Every certificate: name, recipients, created, sent, claimed %'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "show" -d 'The overview: name, issuer, created date, total recipients, status breakdown'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "edit" -d 'Change a certificate\'s name, issuer, description, templates or design'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from cert" -f -a "delete" -d 'Delete a certificate with its recipients and events'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "add" -d 'Add one recipient'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "import" -d 'Add recipients from a CSV file (all or nothing)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "list" -d 'List recipients with their status, status time and detail'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "show" -d 'One recipient: their status and why (the deciding event, its source, the server\'s words), then their whole timeline'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "remove" -d 'Remove recipients (with their events)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "edit" -d 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "revoke" -d 'Revoke recipients\' certificates (their status is kept; verification says revoked)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from recipients" -f -a "unrevoke" -d 'Undo a revocation'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "list" -d 'The event log of a certificate, oldest first'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "import" -d 'Apply events recorded elsewhere (idempotent: importing twice changes nothing)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from events" -f -a "lost" -d 'The requests of `serve`\'s "lost your link?" page, for any address (one without a certificate too), oldest first'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from suppress" -f -a "list" -d 'Every suppressed address: hard bounces, complaints and unsubscribes of any certificate, and addresses added by hand'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from suppress" -f -a "add" -d 'Never mail these addresses (for any certificate)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from suppress" -f -a "remove" -d 'Mail these addresses again: their earlier bounces, complaints and unsubscribes no longer count (a new one suppresses them again)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from suppress" -f -a "import" -d 'Add every address of a CSV file (an `email` column; an optional `reason` column)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from suppress" -f -a "export" -d 'Write the list as CSV (email, cause, reason, at)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "show" -d 'The issuer\'s public keys as JWKs with their fingerprints (creating the first key)'
complete -c certstat -n "__fish_certstat_using_subcommand help; and __fish_seen_subcommand_from keys" -f -a "rotate" -d 'Sign from now on with a new key; older keys are kept (retired) so what they signed still verifies. A P-256 key signs VC-JWTs only: the Ed25519 key stays active for Data Integrity proofs'

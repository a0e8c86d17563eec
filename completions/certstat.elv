
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
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Create the database and a commented configuration file; print every path'
            cand cert 'Create, list, show, edit and delete certificates'
            cand recipients 'Add, import, list, edit and remove a certificate''s recipients'
            cand export 'Write one row per recipient: status, timestamps, counts and original fields'
            cand completions 'Print a shell completion script'
            cand man 'Print the manual page (or write every page to a directory)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;init'= {
            cand --format 'Output format'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert'= {
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
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
            cand --format 'format'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;list'= {
            cand --format 'format'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;show'= {
            cand --format 'format'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
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
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;cert;delete'= {
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand --yes 'Do not ask for confirmation'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
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
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add one recipient'
            cand import 'Add recipients from a CSV file (all or nothing)'
            cand list 'List recipients with their status, status time and detail'
            cand remove 'Remove recipients (with their events)'
            cand edit 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;recipients;add'= {
            cand --name 'Display name'
            cand --field 'A template field (repeatable)'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;import'= {
            cand --email-column 'The column holding the email address [default: detected from the header]'
            cand --name-column 'The column holding the name [default: name/full name, or first + last name]'
            cand --delimiter 'The field delimiter [default: sniffed from the header]'
            cand --encoding 'The file''s character encoding'
            cand --format 'Output format of the summary'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand --dry-run 'Report what would happen; write nothing'
            cand --skip-invalid 'Import the valid rows and report the others'
            cand --update-existing 'Update name and fields of recipients already on the certificate'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'certstat;recipients;list'= {
            cand --status 'Only these statuses (repeatable)'
            cand --search 'Only addresses or names containing TEXT'
            cand --format 'format'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand --raw 'Do not neutralise formula-like cells in CSV'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;remove'= {
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;edit'= {
            cand --email 'The corrected address (the recipient goes back to Not Sent)'
            cand --name 'The corrected name'
            cand --field 'Set a template field (repeatable); an empty value removes it'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;recipients;help'= {
            cand add 'Add one recipient'
            cand import 'Add recipients from a CSV file (all or nothing)'
            cand list 'List recipients with their status, status time and detail'
            cand remove 'Remove recipients (with their events)'
            cand edit 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'certstat;recipients;help;add'= {
        }
        &'certstat;recipients;help;import'= {
        }
        &'certstat;recipients;help;list'= {
        }
        &'certstat;recipients;help;remove'= {
        }
        &'certstat;recipients;help;edit'= {
        }
        &'certstat;recipients;help;help'= {
        }
        &'certstat;export'= {
            cand -o 'Write to FILE instead of stdout'
            cand --output 'Write to FILE instead of stdout'
            cand --format 'format'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand --bom 'Start the CSV with a byte-order mark (for Excel)'
            cand --raw 'Do not neutralise formula-like cells'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;completions'= {
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;man'= {
            cand --dir 'Write certstat.1 and one certstat-<command>.1 per subcommand into DIR'
            cand --db 'Database file [default: <data dir>/certstat/certstat.db]'
            cand --config 'Configuration file [default: <config dir>/certstat/config.toml]'
            cand --color 'When to use colour'
            cand -q 'Print only errors'
            cand --quiet 'Print only errors'
            cand -v 'Say more (repeat for even more)'
            cand --verbose 'Say more (repeat for even more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'certstat;help'= {
            cand init 'Create the database and a commented configuration file; print every path'
            cand cert 'Create, list, show, edit and delete certificates'
            cand recipients 'Add, import, list, edit and remove a certificate''s recipients'
            cand export 'Write one row per recipient: status, timestamps, counts and original fields'
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
            cand remove 'Remove recipients (with their events)'
            cand edit 'Fix a recipient in place: history is kept; a new address goes back to Not Sent'
        }
        &'certstat;help;recipients;add'= {
        }
        &'certstat;help;recipients;import'= {
        }
        &'certstat;help;recipients;list'= {
        }
        &'certstat;help;recipients;remove'= {
        }
        &'certstat;help;recipients;edit'= {
        }
        &'certstat;help;export'= {
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

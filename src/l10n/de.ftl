# certstat, Deutsch.

## Dates

month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
date-long = { $day }. { $month } { $year }
time-and-date = { $time } Uhr UTC, { $date }

## Every page

skip-link = Zum Inhalt springen
brand = Zertifikate
footer-issuer = Zertifikate ausgestellt von { $issuer }. Diese Seite setzt keine Tracking-Cookies und lädt nichts von anderen Websites.
footer-plain = Ausgestellte Zertifikate. Diese Seite setzt keine Tracking-Cookies und lädt nichts von anderen Websites.

## The claim page

claim-title = Zertifikat abrufen — { $certificate }
claim-eyebrow = { $issuer } hat ein Zertifikat für Sie
claim-eyebrow-plain = Für Sie liegt ein Zertifikat bereit
awarded-to = Verliehen an { $name }
fact-issued = Ausgestellt am
fact-issued-by = Ausgestellt von
locked-heading = Zu viele Versuche
locked-text = Dieser Zertifikatslink ist gesperrt, weil mehrmals eine nicht passende Adresse eingegeben wurde. Bitte versuchen Sie es nach { $until } erneut.
locked-contact = Wenn Sie die Adresse, an die das Zertifikat geschickt wurde, nicht mehr haben, wenden Sie sich an { $issuer }.
locked-contact-plain = Wenn Sie die Adresse, an die das Zertifikat geschickt wurde, nicht mehr haben, wenden Sie sich an die ausstellende Stelle.
claim-heading = Zertifikat abrufen
claim-heading-returning = Willkommen zurück
claim-intro = Damit dieses Zertifikat die richtige Person erreicht, geben Sie bitte die E-Mail-Adresse ein, an die es geschickt wurde.
email-label = E-Mail-Adresse
email-placeholder = sie@example.org
claim-button = Mein Zertifikat abrufen
claim-button-returning = Mein Zertifikat öffnen
claim-fine = Ihre Adresse wird nur mit der hinterlegten verglichen und nicht weitergegeben.
claim-wrong-locked = Das ist nicht die Adresse, an die dieses Zertifikat geschickt wurde. Der Link ist jetzt für 15 Minuten gesperrt.
claim-wrong = Das ist nicht die Adresse, an die dieses Zertifikat geschickt wurde. { $remaining ->
        [one] Noch ein Versuch.
       *[other] Noch { $remaining } Versuche.
    }

## The recipient's own page

view-public-page = Öffentliche Seite
view-claimed = Ihr Zertifikat ist abgerufen. Über den Link in Ihrer E-Mail können Sie jederzeit auf diese Seite zurückkehren.
view-eyebrow = Herzlichen Glückwunsch
view-eyebrow-other = Zertifikat
view-lead = Verliehen an { $name } von { $issuer } am { $date }
view-lead-plain = Verliehen an { $name } am { $date }
view-revoked = Dieses Zertifikat wurde von der ausstellenden Stelle widerrufen.
view-expired = Dieses Zertifikat ist am { $date } abgelaufen.
image-alt = Zertifikat: { $certificate }, verliehen an { $name }
actions-label = Was Sie mit Ihrem Zertifikat tun können
download-heading = Herunterladen
download-pdf = PDF
download-png = PNG-Bild
share-heading = Teilen
share-linkedin = Auf LinkedIn teilen
share-facebook = Auf Facebook teilen
share-x = Auf X teilen
add-linkedin = Zum LinkedIn-Profil hinzufügen
public-heading = Öffentliche Prüfseite
public-fine = Mit diesem Link kann jede Person prüfen, ob das Zertifikat echt ist. Ihre E-Mail-Adresse wird dort nicht angezeigt.
share-text = Ich habe das Zertifikat „{ $certificate }“ von { $issuer } erhalten!
share-text-plain = Ich habe das Zertifikat „{ $certificate }“ erhalten!

## The public verification page

verify-meta = { $name } wurde am { $date } von { $issuer } das Zertifikat „{ $certificate }“ verliehen.
verify-og-revoked = WIDERRUFEN: { $title }
verify-og-description = Zertifikat, verliehen von { $issuer } am { $date }. Nachweis-ID { $id }.
verify-og-description-revoked = Dieses Zertifikat wurde von der ausstellenden Stelle widerrufen. Zertifikat, verliehen von { $issuer } am { $date }. Nachweis-ID { $id }.
verify-twitter-description = Zertifikat, verliehen von { $issuer } am { $date }.
verdict-valid-heading = Geprüftes Zertifikat
verdict-revoked-heading = Widerrufenes Zertifikat
verdict-expired-heading = Abgelaufenes Zertifikat
verdict-valid = Dieses Zertifikat ist gültig: Es wurde von { $issuer } ausgestellt und nicht widerrufen.
verdict-valid-plain = Dieses Zertifikat ist gültig: Es wurde von der ausstellenden Stelle ausgestellt und nicht widerrufen.
verdict-revoked = Dieses Zertifikat wurde von der ausstellenden Stelle widerrufen und ist nicht mehr gültig.
verdict-revoked-on = Widerrufen am { $date }.
verdict-revoked-on-reason = Widerrufen am { $date }: { $reason }.
verdict-expired = Dieses Zertifikat ist am { $date } abgelaufen.
label-awarded-to = Verliehen an
label-certificate = Zertifikat
label-issued-by = Ausgestellt von
label-issue-date = Ausstellungsdatum
label-valid-until = Gültig bis
label-status = Status
label-credential-id = Nachweis-ID
state-valid = Gültig
state-revoked = Widerrufen
state-expired = Abgelaufen
credential-links = Open-Badges-3.0-Nachweis:
credential-json = JSON
credential-jwt = signiertes JWT
credential-keys = Schlüssel der ausstellenden Stelle
credential-achievement = Leistung

## Pages with a message

home-heading = Zertifikate
home-text = Öffnen Sie den Link in der E-Mail, die Sie erhalten haben, um Ihr Zertifikat abzurufen.
not-found-heading = Seite nicht gefunden
not-found-text = Dieser Link ist ungültig. Prüfen Sie, ob Sie den ganzen Link aus Ihrer E-Mail kopiert haben.
too-many-heading = Zu viele Versuche
too-many-text = Von Ihrer Verbindung oder für dieses Zertifikat wurden in kurzer Zeit zu viele Formulare gesendet. Es wurde nichts geändert. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.
error-heading = Etwas ist schiefgegangen
error-text = Der Server konnte diese Anfrage nicht ausführen. Bitte versuchen Sie es gleich noch einmal.
bad-form-heading = Ungültige Anfrage
bad-form-text = Das Formular konnte nicht gelesen werden. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
form-expired-heading = Dieses Formular ist abgelaufen
form-expired-text = Zu Ihrer Sicherheit muss das Formular von dieser Website aus gesendet werden. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es noch einmal.
revoked-heading = Zertifikat widerrufen
revoked-download-text = Dieses Zertifikat wurde von der ausstellenden Stelle widerrufen und kann nicht mehr heruntergeladen werden.
revoked-share-text = Dieses Zertifikat wurde von der ausstellenden Stelle widerrufen und kann nicht mehr geteilt werden.

## Lost link

lost-heading = Link verloren?
lost-done = Wenn an diese Adresse ein Zertifikat geschickt wurde, ist sein Link jetzt dorthin unterwegs. Sehen Sie in einigen Minuten in Ihrem Posteingang (und im Spam-Ordner) nach.
lost-intro = Geben Sie die E-Mail-Adresse ein, an die Ihr Zertifikat geschickt wurde: Wir schicken den Link noch einmal dorthin.
lost-expired = Zu Ihrer Sicherheit muss dieses Formular von dieser Seite aus gesendet werden. Geben Sie Ihre Adresse noch einmal ein und senden Sie sie von hier ab.
lost-button = Link zuschicken

## Unsubscribe from reminders

unsubscribe-heading = Keine Erinnerungen mehr?
unsubscribe-text = Sie erhalten dann keine Erinnerungen oder Hinweise mehr zu diesem Zertifikat und auch zu keinem anderen dieses Absenders. Ihr Zertifikat bleibt Ihnen erhalten.
unsubscribe-button = Erinnerungen abbestellen
unsubscribed-heading = Sie erhalten keine Erinnerungen mehr
unsubscribed-text = Erledigt: An diese Adresse werden keine Erinnerungen oder Hinweise mehr geschickt.

## The default email

email-subject = Ihr Zertifikat: { $certificate }
email-hello = Hallo { $name },
email-congratulations = Herzlichen Glückwunsch! { $issuer } hat Ihnen das Zertifikat „{ $certificate }“ ausgestellt.
email-congratulations-plain = Herzlichen Glückwunsch! Hier ist Ihr Zertifikat „{ $certificate }“.
email-get-it = Hier erhalten Sie Ihr Zertifikat:
email-explain-text = Auf dieser Seite können Sie es als PDF oder Bild herunterladen, teilen und Ihrem LinkedIn-Profil hinzufügen. Zum Öffnen werden Sie nach der E-Mail-Adresse gefragt, an die diese Nachricht ging.
email-signature-plain = Das Organisationsteam
email-why = Sie erhalten diese Nachricht, weil Sie an „{ $certificate }“ teilgenommen haben.
email-preheader = Ihr Zertifikat für { $certificate } ist bereit.
email-eyebrow-plain = Zertifikat
email-heading = Herzlichen Glückwunsch, { $name }!
email-ready = Ihr Zertifikat für { $certificate } ist bereit.
email-button = Zertifikat abrufen
email-explain-html = Auf der Zertifikatsseite können Sie es als PDF oder Bild herunterladen, teilen und Ihrem LinkedIn-Profil hinzufügen. Sie werden nach der E-Mail-Adresse gefragt, an die diese Nachricht ging.
email-fallback = Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:
email-footer = Diese Nachricht wurde von { $issuer } an { $email } geschickt, weil auf Ihren Namen ein Zertifikat für { $certificate } ausgestellt wurde. Der Link ist persönlich: Bitte leiten Sie diese Nachricht nicht weiter. Wenn Sie glauben, dass sie Sie irrtümlich erreicht hat, antworten Sie bitte darauf und teilen Sie es uns mit.
email-footer-plain = Diese Nachricht wurde von den Veranstaltern von { $certificate } an { $email } geschickt, weil auf Ihren Namen ein Zertifikat für { $certificate } ausgestellt wurde. Der Link ist persönlich: Bitte leiten Sie diese Nachricht nicht weiter. Wenn Sie glauben, dass sie Sie irrtümlich erreicht hat, antworten Sie bitte darauf und teilen Sie es uns mit.
email-text-link = Ihr Zertifikat abrufen:

## Reminders (`certstat remind`)

reminder-subject = Erinnerung: Ihr Zertifikat für { $certificate } wartet auf Sie
reminder-heading = { $name }, Ihr Zertifikat wartet auf Sie
reminder-waiting = Eine Erinnerung: Ihr Zertifikat „{ $certificate }“ von { $issuer } wartet auf Sie.
reminder-waiting-plain = Eine Erinnerung: Ihr Zertifikat „{ $certificate }“ wartet auf Sie.
reminder-get-it = Hier erhalten Sie es:
reminder-explain = Zum Öffnen werden Sie nach der E-Mail-Adresse gefragt, an die diese Nachricht ging.
reminder-why = Sie erhalten diese Erinnerung, weil Sie an „{ $certificate }“ teilgenommen haben.
reminder-stop = Keine Erinnerungen mehr:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = Ihr Zertifikat für { $certificate } läuft am { $date } ab
expiry-heading = Ihr Zertifikat läuft am { $date } ab
expiry-expires = Ihr Zertifikat „{ $certificate }“ von { $issuer } läuft am { $date } ab.
expiry-expires-plain = Ihr Zertifikat „{ $certificate }“ läuft am { $date } ab.
expiry-days-left = { $days ->
        [0] Das ist heute.
        [1] Das ist morgen.
       *[other] Das ist in { $days } Tagen.
    }
expiry-renew = Zur Verlängerung:
expiry-renew-button = Zertifikat verlängern
expiry-stays = Bis dahin finden Sie Ihr Zertifikat hier:
expiry-stop = Keine Erinnerungen oder Hinweise mehr:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Ihr Link: { $certificate }
lost-email-heading = Der Link zu Ihrem Zertifikat
lost-email-asked = Sie haben den Link zu Ihrem Zertifikat „{ $certificate }“ von { $issuer } angefordert. Hier ist er:
lost-email-asked-plain = Sie haben den Link zu Ihrem Zertifikat „{ $certificate }“ angefordert. Hier ist er:
lost-email-ignore = Wenn Sie ihn nicht angefordert haben, können Sie diese Nachricht ignorieren.

## The certificate (the default design)

cert-title = ZERTIFIKAT
cert-certifies = Hiermit wird bestätigt, dass
cert-awarded = folgendes Zertifikat erhalten hat
cert-date-label = AUSSTELLUNGSDATUM
cert-issuer-label = AUSGESTELLT VON
cert-credential-id = Nachweis-ID { $id }
cert-credential-label = NACHWEIS-ID
cert-revoked-stamp = WIDERRUFEN
cert-pdf-title = { $certificate }: { $name }

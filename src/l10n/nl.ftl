# certstat, Nederlands.

## Dates

month-1 = januari
month-2 = februari
month-3 = maart
month-4 = april
month-5 = mei
month-6 = juni
month-7 = juli
month-8 = augustus
month-9 = september
month-10 = oktober
month-11 = november
month-12 = december
date-long = { $day } { $month } { $year }
time-and-date = { $time } UTC op { $date }

## Every page

skip-link = Naar de inhoud
brand = Certificaten
footer-issuer = Certificaten uitgegeven door { $issuer }. Deze pagina plaatst geen trackingcookies en laadt niets van andere sites.
footer-plain = Uitgegeven certificaten. Deze pagina plaatst geen trackingcookies en laadt niets van andere sites.

## The claim page

claim-title = Ontvang je certificaat — { $certificate }
claim-eyebrow = { $issuer } heeft een certificaat voor je
claim-eyebrow-plain = Er ligt een certificaat voor je klaar
awarded-to = Toegekend aan { $name }
fact-issued = Uitgegeven op
fact-issued-by = Uitgegeven door
locked-heading = Te veel pogingen
locked-text = Deze link is geblokkeerd na meerdere adressen die niet overeenkwamen. Probeer het opnieuw na { $until }.
locked-contact = Heb je het adres waarnaar het certificaat is gestuurd niet meer? Neem dan contact op met { $issuer }.
locked-contact-plain = Heb je het adres waarnaar het certificaat is gestuurd niet meer? Neem dan contact op met de uitgever.
claim-heading = Ontvang je certificaat
claim-heading-returning = Welkom terug
claim-intro = Typ het e-mailadres waarnaar dit certificaat is gestuurd, zodat het bij de juiste persoon terechtkomt.
email-label = E-mailadres
email-placeholder = jij@example.org
claim-button = Mijn certificaat ontvangen
claim-button-returning = Mijn certificaat openen
claim-fine = Je adres wordt alleen vergeleken met het adres dat bij ons bekend is; het wordt niet gedeeld.
claim-wrong-locked = Dat is niet het adres waarnaar dit certificaat is gestuurd. De link is nu 15 minuten geblokkeerd.
claim-wrong = Dat is niet het adres waarnaar dit certificaat is gestuurd. { $remaining ->
        [one] Nog één poging.
       *[other] Nog { $remaining } pogingen.
    }

## The recipient's own page

view-public-page = Openbare pagina
view-claimed = Je certificaat is ontvangen. Via de link in je e-mail kun je altijd terugkomen op deze pagina.
view-eyebrow = Gefeliciteerd
view-eyebrow-other = Certificaat
view-lead = Toegekend aan { $name } door { $issuer } op { $date }
view-lead-plain = Toegekend aan { $name } op { $date }
view-revoked = Dit certificaat is door de uitgever ingetrokken.
view-expired = Dit certificaat is verlopen op { $date }.
image-alt = Certificaat: { $certificate }, toegekend aan { $name }
actions-label = Wat je met je certificaat kunt doen
download-heading = Downloaden
download-pdf = PDF
download-png = PNG-afbeelding
share-heading = Delen
share-linkedin = Delen op LinkedIn
share-facebook = Delen op Facebook
share-x = Delen op X
add-linkedin = Toevoegen aan LinkedIn-profiel
public-heading = Openbare verificatiepagina
public-fine = Iedereen met deze link kan controleren of het certificaat echt is. Je e-mailadres staat er niet op.
share-text = Ik heb het certificaat ‘{ $certificate }’ van { $issuer } behaald!
share-text-plain = Ik heb het certificaat ‘{ $certificate }’ behaald!

## The public verification page

verify-meta = { $name } heeft ‘{ $certificate }’ ontvangen van { $issuer } op { $date }.
verify-og-revoked = INGETROKKEN: { $title }
verify-og-description = Certificaat toegekend door { $issuer } op { $date }. Credential-ID { $id }.
verify-og-description-revoked = Dit certificaat is door de uitgever ingetrokken. Certificaat toegekend door { $issuer } op { $date }. Credential-ID { $id }.
verify-twitter-description = Certificaat toegekend door { $issuer } op { $date }.
verdict-valid-heading = Geverifieerd certificaat
verdict-revoked-heading = Ingetrokken certificaat
verdict-expired-heading = Verlopen certificaat
verdict-valid = Dit certificaat is geldig: het is uitgegeven door { $issuer } en niet ingetrokken.
verdict-valid-plain = Dit certificaat is geldig: het is uitgegeven door de uitgever en niet ingetrokken.
verdict-revoked = Dit certificaat is door de uitgever ingetrokken en is niet langer geldig.
verdict-revoked-on = Ingetrokken op { $date }.
verdict-revoked-on-reason = Ingetrokken op { $date }: { $reason }.
verdict-expired = Dit certificaat is verlopen op { $date }.
label-awarded-to = Toegekend aan
label-certificate = Certificaat
label-issued-by = Uitgegeven door
label-issue-date = Datum van uitgifte
label-valid-until = Geldig tot
label-status = Status
label-credential-id = Credential-ID
state-valid = Geldig
state-revoked = Ingetrokken
state-expired = Verlopen
credential-links = Open Badges 3.0-credential:
credential-json = JSON
credential-jwt = ondertekende JWT
credential-keys = sleutels van de uitgever
credential-achievement = prestatie

## Pages with a message

home-heading = Certificaten
home-text = Open de link in de e-mail die je hebt ontvangen om je certificaat op te halen.
not-found-heading = Pagina niet gevonden
not-found-text = Deze link is niet geldig. Controleer of je de hele link uit je e-mail hebt gekopieerd.
too-many-heading = Te veel pogingen
too-many-text = Er zijn in korte tijd te veel formulieren verstuurd vanaf je verbinding, of voor dit certificaat. Er is niets gewijzigd. Wacht even en probeer het opnieuw.
error-heading = Er is iets misgegaan
error-text = De server kon dit verzoek niet afhandelen. Probeer het over een ogenblik opnieuw.
bad-form-heading = Ongeldig verzoek
bad-form-text = Het formulier kon niet worden gelezen. Ga terug, laad de pagina opnieuw en probeer het nog eens.
form-expired-heading = Dit formulier is verlopen
form-expired-text = Voor je veiligheid moet het formulier vanaf deze site worden verstuurd. Ga terug, laad de pagina opnieuw en probeer het nog eens.
revoked-heading = Certificaat ingetrokken
revoked-download-text = Dit certificaat is door de uitgever ingetrokken en kan niet meer worden gedownload.
revoked-share-text = Dit certificaat is door de uitgever ingetrokken en kan niet meer worden gedeeld.

## Lost link

lost-heading = Link kwijt?
lost-done = Als er een certificaat naar dit adres is gestuurd, is de link nu onderweg. Kijk over een paar minuten in je inbox (en in de spammap).
lost-intro = Typ het e-mailadres waarnaar je certificaat is gestuurd: we sturen de link er opnieuw naartoe.
lost-expired = Voor je veiligheid moet dit formulier vanaf deze site worden verstuurd. Typ je adres opnieuw en verstuur het hiervandaan.
lost-button = Stuur mijn link

## Unsubscribe from reminders

unsubscribe-heading = Geen herinneringen meer?
unsubscribe-text = Je krijgt dan geen herinneringen of berichten meer over dit certificaat, en ook niet over andere van deze afzender. Je certificaat blijft van jou.
unsubscribe-button = Herinneringen stoppen
unsubscribed-heading = Je krijgt geen herinneringen meer
unsubscribed-text = Klaar: er worden geen herinneringen of berichten meer naar dit adres gestuurd.

## The default email

email-subject = Je certificaat: { $certificate }
email-hello = Hallo { $name },
email-congratulations = Gefeliciteerd! { $issuer } heeft je certificaat voor ‘{ $certificate }’ uitgegeven.
email-congratulations-plain = Gefeliciteerd! Hier is je certificaat voor ‘{ $certificate }’.
email-get-it = Haal je certificaat hier op:
email-explain-text = Op die pagina kun je het downloaden als PDF of afbeelding, delen en toevoegen aan je LinkedIn-profiel. Om het te openen, vragen we het e-mailadres waarnaar dit bericht is gestuurd.
email-signature-plain = De organisatie
email-why = Je ontvangt dit bericht omdat je hebt deelgenomen aan ‘{ $certificate }’.
email-preheader = Je certificaat voor { $certificate } staat klaar.
email-eyebrow-plain = Certificaat
email-heading = Gefeliciteerd, { $name }!
email-ready = Je certificaat voor { $certificate } staat klaar.
email-button = Certificaat ophalen
email-explain-html = Op de certificaatpagina kun je het downloaden als PDF of afbeelding, delen en toevoegen aan je LinkedIn-profiel. We vragen het e-mailadres waarnaar dit bericht is gestuurd.
email-fallback = Werkt de knop niet? Kopieer dan dit adres naar je browser:
email-footer = Dit bericht is door { $issuer } naar { $email } gestuurd, omdat er op jouw naam een certificaat voor { $certificate } is uitgegeven. De link is persoonlijk: stuur dit bericht niet door. Denk je dat je het per vergissing hebt ontvangen? Beantwoord het dan en laat het ons weten.
email-footer-plain = Dit bericht is door de organisatie van { $certificate } naar { $email } gestuurd, omdat er op jouw naam een certificaat voor { $certificate } is uitgegeven. De link is persoonlijk: stuur dit bericht niet door. Denk je dat je het per vergissing hebt ontvangen? Beantwoord het dan en laat het ons weten.
email-text-link = Haal je certificaat op:

## Reminders (`certstat remind`)

reminder-subject = Herinnering: je certificaat voor { $certificate } ligt klaar
reminder-heading = { $name }, je certificaat ligt voor je klaar
reminder-waiting = Een herinnering: je certificaat voor ‘{ $certificate }’ van { $issuer } ligt voor je klaar.
reminder-waiting-plain = Een herinnering: je certificaat voor ‘{ $certificate }’ ligt voor je klaar.
reminder-get-it = Haal het hier op:
reminder-explain = Om het te openen, vragen we het e-mailadres waarnaar dit bericht is gestuurd.
reminder-why = Je ontvangt deze herinnering omdat je hebt deelgenomen aan ‘{ $certificate }’.
reminder-stop = Geen herinneringen meer:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = Je certificaat voor { $certificate } verloopt op { $date }
expiry-heading = Je certificaat verloopt op { $date }
expiry-expires = Je certificaat voor ‘{ $certificate }’ van { $issuer } verloopt op { $date }.
expiry-expires-plain = Je certificaat voor ‘{ $certificate }’ verloopt op { $date }.
expiry-days-left = { $days ->
        [0] Dat is vandaag.
        [1] Dat is morgen.
       *[other] Dat is over { $days } dagen.
    }
expiry-renew = Zo verleng je het:
expiry-renew-button = Mijn certificaat verlengen
expiry-stays = Tot die tijd staat je certificaat hier:
expiry-stop = Geen herinneringen of berichten meer:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Je link: { $certificate }
lost-email-heading = De link naar je certificaat
lost-email-asked = Je hebt de link naar je certificaat voor ‘{ $certificate }’ van { $issuer } aangevraagd. Hier is hij:
lost-email-asked-plain = Je hebt de link naar je certificaat voor ‘{ $certificate }’ aangevraagd. Hier is hij:
lost-email-ignore = Heb je hier niet om gevraagd? Dan kun je dit bericht negeren.

## The certificate (the default design)

cert-title = CERTIFICAAT
cert-certifies = Hierbij wordt verklaard dat
cert-awarded = het volgende heeft behaald
cert-date-label = DATUM VAN UITGIFTE
cert-issuer-label = UITGEGEVEN DOOR
cert-credential-id = Credential-ID { $id }
cert-credential-label = CREDENTIAL-ID
cert-revoked-stamp = INGETROKKEN
cert-pdf-title = { $certificate }: { $name }

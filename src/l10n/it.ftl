# certstat, italiano.

## Dates

month-1 = gennaio
month-2 = febbraio
month-3 = marzo
month-4 = aprile
month-5 = maggio
month-6 = giugno
month-7 = luglio
month-8 = agosto
month-9 = settembre
month-10 = ottobre
month-11 = novembre
month-12 = dicembre
date-long = { $day } { $month } { $year }
time-and-date = { $time } UTC del { $date }

## Every page

skip-link = Vai al contenuto
brand = Attestati
footer-issuer = Attestati rilasciati da { $issuer }. Questa pagina non usa cookie di tracciamento e non carica nulla da altri siti.
footer-plain = Attestati rilasciati. Questa pagina non usa cookie di tracciamento e non carica nulla da altri siti.

## The claim page

claim-title = Ritira il tuo attestato — { $certificate }
claim-eyebrow = { $issuer } ha un attestato per te
claim-eyebrow-plain = Hai un attestato
awarded-to = Conferito a { $name }
fact-issued = Rilasciato il
fact-issued-by = Rilasciato da
locked-heading = Troppi tentativi
locked-text = Questo link è bloccato dopo diversi indirizzi che non corrispondevano. Riprova dopo le { $until }.
locked-contact = Se non hai più l’indirizzo a cui è stato inviato l’attestato, contatta { $issuer }.
locked-contact-plain = Se non hai più l’indirizzo a cui è stato inviato l’attestato, contatta l’ente che lo ha rilasciato.
claim-heading = Ritira il tuo attestato
claim-heading-returning = Bentornato
claim-intro = Per essere sicuri che questo attestato arrivi alla persona giusta, scrivi l’indirizzo email a cui è stato inviato.
email-label = Indirizzo email
email-placeholder = tu@example.org
claim-button = Ritira il mio attestato
claim-button-returning = Apri il mio attestato
claim-fine = Il tuo indirizzo viene solo confrontato con quello registrato; non viene condiviso.
claim-wrong-locked = Non è l’indirizzo a cui è stato inviato questo attestato. Il link è ora bloccato per 15 minuti.
claim-wrong = Non è l’indirizzo a cui è stato inviato questo attestato. { $remaining ->
        [one] Ti resta un tentativo.
       *[other] Ti restano { $remaining } tentativi.
    }

## The recipient's own page

view-public-page = Pagina pubblica
view-claimed = Hai ritirato il tuo attestato. Puoi tornare su questa pagina in qualsiasi momento dal link nella tua email.
view-eyebrow = Congratulazioni
view-eyebrow-other = Attestato
view-lead = Conferito a { $name } da { $issuer } il { $date }
view-lead-plain = Conferito a { $name } il { $date }
view-revoked = Questo attestato è stato revocato dall’ente che lo ha rilasciato.
view-expired = Questo attestato è scaduto il { $date }.
image-alt = Attestato: { $certificate }, conferito a { $name }
actions-label = Cosa puoi fare con il tuo attestato
download-heading = Scarica
download-pdf = PDF
download-png = Immagine PNG
share-heading = Condividi
share-linkedin = Condividi su LinkedIn
share-facebook = Condividi su Facebook
share-x = Condividi su X
add-linkedin = Aggiungi al profilo LinkedIn
public-heading = Pagina pubblica di verifica
public-fine = Chiunque abbia questo link può verificare che l’attestato è autentico. Il tuo indirizzo email non viene mostrato.
share-text = Ho ottenuto l’attestato «{ $certificate }» da { $issuer }!
share-text-plain = Ho ottenuto l’attestato «{ $certificate }»!

## The public verification page

verify-meta = { $issuer } ha conferito «{ $certificate }» a { $name } il { $date }.
verify-og-revoked = REVOCATO: { $title }
verify-og-description = Attestato conferito da { $issuer } il { $date }. ID credenziale { $id }.
verify-og-description-revoked = Questo attestato è stato revocato dall’ente che lo ha rilasciato. Attestato conferito da { $issuer } il { $date }. ID credenziale { $id }.
verify-twitter-description = Attestato conferito da { $issuer } il { $date }.
verdict-valid-heading = Attestato verificato
verdict-revoked-heading = Attestato revocato
verdict-expired-heading = Attestato scaduto
verdict-valid = Questo attestato è valido: è stato rilasciato da { $issuer } e non è stato revocato.
verdict-valid-plain = Questo attestato è valido: è stato rilasciato dal suo ente e non è stato revocato.
verdict-revoked = Questo attestato è stato revocato dall’ente che lo ha rilasciato e non è più valido.
verdict-revoked-on = Revocato il { $date }.
verdict-revoked-on-reason = Revocato il { $date }: { $reason }.
verdict-expired = Questo attestato è scaduto il { $date }.
label-awarded-to = Conferito a
label-certificate = Attestato
label-issued-by = Rilasciato da
label-issue-date = Data di rilascio
label-valid-until = Valido fino al
label-status = Stato
label-credential-id = ID credenziale
state-valid = Valido
state-revoked = Revocato
state-expired = Scaduto
credential-links = Credenziale Open Badges 3.0:
credential-json = JSON
credential-jwt = JWT firmato
credential-keys = chiavi dell’ente
credential-achievement = risultato

## Pages with a message

home-heading = Attestati
home-text = Apri il link nell’email che hai ricevuto per ritirare il tuo attestato.
not-found-heading = Pagina non trovata
not-found-text = Questo link non è valido. Controlla di aver copiato l’intero link dalla tua email.
too-many-heading = Troppi tentativi
too-many-text = Sono stati inviati troppi moduli dalla tua connessione, o per questo attestato, in poco tempo. Non è stato modificato nulla. Attendi un momento e riprova.
error-heading = Si è verificato un errore
error-text = Il server non è riuscito a completare la richiesta. Riprova tra qualche istante.
bad-form-heading = Richiesta non valida
bad-form-text = Non è stato possibile leggere il modulo. Torna indietro, ricarica la pagina e riprova.
form-expired-heading = Questo modulo è scaduto
form-expired-text = Per la tua sicurezza il modulo deve essere inviato da questo sito. Torna indietro, ricarica la pagina e riprova.
revoked-heading = Attestato revocato
revoked-download-text = Questo attestato è stato revocato dall’ente che lo ha rilasciato e non può più essere scaricato.
revoked-share-text = Questo attestato è stato revocato dall’ente che lo ha rilasciato e non può più essere condiviso.

## Lost link

lost-heading = Hai perso il link?
lost-done = Se a questo indirizzo è stato inviato un attestato, il suo link sta arrivando. Controlla la posta in arrivo (e la cartella dello spam) tra qualche minuto.
lost-intro = Scrivi l’indirizzo email a cui è stato inviato il tuo attestato: ti rimanderemo il link.
lost-expired = Per la tua sicurezza questo modulo va inviato da questo sito. Scrivi di nuovo il tuo indirizzo e invialo da qui.
lost-button = Inviami il link

## Unsubscribe from reminders

unsubscribe-heading = Non ricevere più promemoria?
unsubscribe-text = Non riceverai più promemoria né avvisi su questo attestato, né su altri di questo mittente. Il tuo attestato resta tuo.
unsubscribe-button = Interrompi i promemoria
unsubscribed-heading = Non riceverai più promemoria
unsubscribed-text = Fatto: a questo indirizzo non verranno più inviati promemoria né avvisi.

## The default email

email-subject = Il tuo attestato: { $certificate }
email-hello = Ciao { $name },
email-congratulations = Congratulazioni! { $issuer } ha rilasciato il tuo attestato per «{ $certificate }».
email-congratulations-plain = Congratulazioni! Ecco il tuo attestato per «{ $certificate }».
email-get-it = Ritira qui il tuo attestato:
email-explain-text = Su quella pagina puoi scaricarlo in PDF o come immagine, condividerlo e aggiungerlo al tuo profilo LinkedIn. Per aprirlo ti verrà chiesto l’indirizzo email a cui è stato inviato questo messaggio.
email-signature-plain = Gli organizzatori
email-why = Ricevi questo messaggio perché hai partecipato a «{ $certificate }».
email-preheader = Il tuo attestato per { $certificate } è pronto.
email-eyebrow-plain = Attestato
email-heading = Congratulazioni, { $name }!
email-ready = Il tuo attestato per { $certificate } è pronto.
email-button = Ritira l’attestato
email-explain-html = Sulla pagina dell’attestato puoi scaricarlo in PDF o come immagine, condividerlo e aggiungerlo al tuo profilo LinkedIn. Ti verrà chiesto l’indirizzo email a cui è stato inviato questo messaggio.
email-fallback = Se il pulsante non funziona, copia questo indirizzo nel browser:
email-footer = Questo messaggio è stato inviato a { $email } da { $issuer }, perché a tuo nome è stato rilasciato un attestato per { $certificate }. Il link è personale: non inoltrare questo messaggio. Se pensi di averlo ricevuto per errore, rispondi e faccelo sapere.
email-footer-plain = Questo messaggio è stato inviato a { $email } dagli organizzatori di { $certificate }, perché a tuo nome è stato rilasciato un attestato per { $certificate }. Il link è personale: non inoltrare questo messaggio. Se pensi di averlo ricevuto per errore, rispondi e faccelo sapere.
email-text-link = Ritira il tuo attestato:

## Reminders (`certstat remind`)

reminder-subject = Promemoria: il tuo attestato per { $certificate } ti aspetta
reminder-heading = { $name }, il tuo attestato ti aspetta
reminder-waiting = Un promemoria: il tuo attestato per «{ $certificate }», rilasciato da { $issuer }, ti aspetta.
reminder-waiting-plain = Un promemoria: il tuo attestato per «{ $certificate }» ti aspetta.
reminder-get-it = Ritiralo qui:
reminder-explain = Per aprirlo ti verrà chiesto l’indirizzo email a cui è stato inviato questo messaggio.
reminder-why = Ricevi questo promemoria perché hai partecipato a «{ $certificate }».
reminder-stop = Non ricevere più promemoria:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = Il tuo attestato per { $certificate } scade il { $date }
expiry-heading = Il tuo attestato scade il { $date }
expiry-expires = Il tuo attestato per «{ $certificate }», rilasciato da { $issuer }, scade il { $date }.
expiry-expires-plain = Il tuo attestato per «{ $certificate }» scade il { $date }.
expiry-days-left = { $days ->
        [0] Cioè oggi.
        [1] Cioè domani.
       *[other] Cioè tra { $days } giorni.
    }
expiry-renew = Per rinnovarlo:
expiry-renew-button = Rinnova il mio attestato
expiry-stays = Fino ad allora il tuo attestato resta qui:
expiry-stop = Non ricevere più promemoria né avvisi:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Il tuo link: { $certificate }
lost-email-heading = Il link al tuo attestato
lost-email-asked = Hai chiesto il link al tuo attestato per «{ $certificate }», rilasciato da { $issuer }. Eccolo:
lost-email-asked-plain = Hai chiesto il link al tuo attestato per «{ $certificate }». Eccolo:
lost-email-ignore = Se non l’hai chiesto, puoi ignorare questo messaggio.

## The certificate (the default design)

cert-title = ATTESTATO
cert-certifies = Si attesta che
cert-awarded = ha conseguito
cert-date-label = DATA DI RILASCIO
cert-issuer-label = RILASCIATO DA
cert-credential-id = ID credenziale { $id }
cert-credential-label = ID CREDENZIALE
cert-revoked-stamp = REVOCATO
cert-pdf-title = { $certificate }: { $name }

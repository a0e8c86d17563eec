# certstat, polski. Miesiące w dopełniaczu, jak w dacie („6 listopada 2026”).

## Dates

month-1 = stycznia
month-2 = lutego
month-3 = marca
month-4 = kwietnia
month-5 = maja
month-6 = czerwca
month-7 = lipca
month-8 = sierpnia
month-9 = września
month-10 = października
month-11 = listopada
month-12 = grudnia
date-long = { $day } { $month } { $year }
time-and-date = { $time } UTC, { $date }

## Every page

skip-link = Przejdź do treści
brand = Certyfikaty
footer-issuer = Certyfikaty wystawia { $issuer }. Ta strona nie używa śledzących plików cookie i nie wczytuje niczego z innych witryn.
footer-plain = Wystawione certyfikaty. Ta strona nie używa śledzących plików cookie i nie wczytuje niczego z innych witryn.

## The claim page

claim-title = Odbierz certyfikat — { $certificate }
claim-eyebrow = { $issuer } ma dla Ciebie certyfikat
claim-eyebrow-plain = Czeka na Ciebie certyfikat
awarded-to = Przyznany dla: { $name }
fact-issued = Data wystawienia
fact-issued-by = Wystawca
locked-heading = Zbyt wiele prób
locked-text = Ten link został zablokowany po kilku niepasujących adresach. Spróbuj ponownie po { $until }.
locked-contact = Jeśli nie masz już dostępu do adresu, na który wysłano certyfikat, skontaktuj się z: { $issuer }.
locked-contact-plain = Jeśli nie masz już dostępu do adresu, na który wysłano certyfikat, skontaktuj się z wystawcą.
claim-heading = Odbierz certyfikat
claim-heading-returning = Witaj ponownie
claim-intro = Aby certyfikat trafił do właściwej osoby, wpisz adres e-mail, na który został wysłany.
email-label = Adres e-mail
email-placeholder = ty@example.org
claim-button = Odbierz mój certyfikat
claim-button-returning = Otwórz mój certyfikat
claim-fine = Twój adres jest tylko porównywany z zapisanym u nas; nie jest nikomu udostępniany.
claim-wrong-locked = To nie jest adres, na który wysłano ten certyfikat. Link jest teraz zablokowany na 15 minut.
claim-wrong = To nie jest adres, na który wysłano ten certyfikat. { $remaining ->
        [one] Pozostała jedna próba.
        [few] Pozostały { $remaining } próby.
       *[many] Pozostało { $remaining } prób.
    }

## The recipient's own page

view-public-page = Strona publiczna
view-claimed = Certyfikat został odebrany. Możesz wrócić na tę stronę w każdej chwili z linku w e-mailu.
view-eyebrow = Gratulacje
view-eyebrow-other = Certyfikat
view-lead = Przyznany dla: { $name }, wystawca: { $issuer }, dnia { $date }
view-lead-plain = Przyznany dla: { $name }, dnia { $date }
view-revoked = Ten certyfikat został unieważniony przez wystawcę.
view-expired = Ten certyfikat wygasł { $date }.
image-alt = Certyfikat: { $certificate }, przyznany dla: { $name }
actions-label = Co możesz zrobić z certyfikatem
download-heading = Pobierz
download-pdf = PDF
download-png = Obraz PNG
share-heading = Udostępnij
share-linkedin = Udostępnij na LinkedIn
share-facebook = Udostępnij na Facebooku
share-x = Udostępnij na X
add-linkedin = Dodaj do profilu LinkedIn
public-heading = Publiczna strona weryfikacji
public-fine = Każdy, kto ma ten link, może sprawdzić, czy certyfikat jest autentyczny. Twój adres e-mail nie jest tam widoczny.
share-text = Zdobyłem/zdobyłam certyfikat „{ $certificate }” wystawiony przez { $issuer }!
share-text-plain = Zdobyłem/zdobyłam certyfikat „{ $certificate }”!

## The public verification page

verify-meta = { $name } otrzymuje „{ $certificate }” od wystawcy { $issuer } ({ $date }).
verify-og-revoked = UNIEWAŻNIONY: { $title }
verify-og-description = Certyfikat wystawiony przez { $issuer } dnia { $date }. Identyfikator { $id }.
verify-og-description-revoked = Ten certyfikat został unieważniony przez wystawcę. Certyfikat wystawiony przez { $issuer } dnia { $date }. Identyfikator { $id }.
verify-twitter-description = Certyfikat wystawiony przez { $issuer } dnia { $date }.
verdict-valid-heading = Zweryfikowany certyfikat
verdict-revoked-heading = Unieważniony certyfikat
verdict-expired-heading = Wygasły certyfikat
verdict-valid = Ten certyfikat jest ważny: wystawił go { $issuer } i nie został unieważniony.
verdict-valid-plain = Ten certyfikat jest ważny: wystawił go jego wystawca i nie został unieważniony.
verdict-revoked = Ten certyfikat został unieważniony przez wystawcę i nie jest już ważny.
verdict-revoked-on = Unieważniony { $date }.
verdict-revoked-on-reason = Unieważniony { $date }: { $reason }.
verdict-expired = Ten certyfikat wygasł { $date }.
label-awarded-to = Przyznany dla
label-certificate = Certyfikat
label-issued-by = Wystawca
label-issue-date = Data wystawienia
label-valid-until = Ważny do
label-status = Stan
label-credential-id = Identyfikator
state-valid = Ważny
state-revoked = Unieważniony
state-expired = Wygasły
credential-links = Poświadczenie Open Badges 3.0:
credential-json = JSON
credential-jwt = podpisany JWT
credential-keys = klucze wystawcy
credential-achievement = osiągnięcie

## Pages with a message

home-heading = Certyfikaty
home-text = Otwórz link z otrzymanego e-maila, aby odebrać certyfikat.
not-found-heading = Nie znaleziono strony
not-found-text = Ten link jest nieprawidłowy. Sprawdź, czy skopiowano cały link z e-maila.
too-many-heading = Zbyt wiele prób
too-many-text = W krótkim czasie z Twojego połączenia lub dla tego certyfikatu wysłano zbyt wiele formularzy. Nic nie zostało zmienione. Odczekaj chwilę i spróbuj ponownie.
error-heading = Coś poszło nie tak
error-text = Serwer nie mógł zrealizować tego żądania. Spróbuj ponownie za chwilę.
bad-form-heading = Nieprawidłowe żądanie
bad-form-text = Nie udało się odczytać formularza. Wróć, odśwież stronę i spróbuj ponownie.
form-expired-heading = Formularz wygasł
form-expired-text = Ze względów bezpieczeństwa formularz musi zostać wysłany z tej witryny. Wróć, odśwież stronę i spróbuj ponownie.
revoked-heading = Certyfikat unieważniony
revoked-download-text = Ten certyfikat został unieważniony przez wystawcę i nie można go już pobrać.
revoked-share-text = Ten certyfikat został unieważniony przez wystawcę i nie można go już udostępnić.

## Lost link

lost-heading = Zgubiony link?
lost-done = Jeśli na ten adres wysłano certyfikat, jego link jest już w drodze. Za kilka minut sprawdź skrzynkę odbiorczą (i folder spamu).
lost-intro = Wpisz adres e-mail, na który wysłano certyfikat: wyślemy na niego link jeszcze raz.
lost-expired = Dla Twojego bezpieczeństwa ten formularz trzeba wysłać z tej strony. Wpisz adres jeszcze raz i wyślij go stąd.
lost-button = Wyślij mi link

## Unsubscribe from reminders

unsubscribe-heading = Zrezygnować z przypomnień?
unsubscribe-text = Nie otrzymasz już przypomnień ani powiadomień o tym certyfikacie ani o żadnym innym od tego nadawcy. Certyfikat nadal należy do Ciebie.
unsubscribe-button = Wyłącz przypomnienia
unsubscribed-heading = Nie otrzymasz już przypomnień
unsubscribed-text = Gotowe: na ten adres nie będą już wysyłane przypomnienia ani powiadomienia.

## The default email

email-subject = Twój certyfikat: { $certificate }
email-hello = Dzień dobry, { $name }!
email-congratulations = Gratulacje! { $issuer } wystawia Ci certyfikat „{ $certificate }”.
email-congratulations-plain = Gratulacje! Oto Twój certyfikat „{ $certificate }”.
email-get-it = Certyfikat odbierzesz tutaj:
email-explain-text = Na tej stronie możesz pobrać go jako PDF lub obraz, udostępnić go i dodać do profilu LinkedIn. Przy otwieraniu zostaniesz poproszony(-a) o adres e-mail, na który wysłano tę wiadomość.
email-signature-plain = Organizatorzy
email-why = Otrzymujesz tę wiadomość, ponieważ bierzesz udział w „{ $certificate }”.
email-preheader = Twój certyfikat „{ $certificate }” jest gotowy.
email-eyebrow-plain = Certyfikat
email-heading = Gratulacje, { $name }!
email-ready = Twój certyfikat „{ $certificate }” jest gotowy.
email-button = Odbierz certyfikat
email-explain-html = Na stronie certyfikatu możesz pobrać go jako PDF lub obraz, udostępnić go i dodać do profilu LinkedIn. Zostaniesz poproszony(-a) o adres e-mail, na który wysłano tę wiadomość.
email-fallback = Jeśli przycisk nie działa, skopiuj ten adres do przeglądarki:
email-footer = Tę wiadomość wysłał do { $email } wystawca { $issuer }, ponieważ na Twoje nazwisko wystawiono certyfikat „{ $certificate }”. Link jest osobisty: nie przekazuj tej wiadomości dalej. Jeśli uważasz, że trafiła do Ciebie przez pomyłkę, odpowiedz na nią i daj nam znać.
email-footer-plain = Tę wiadomość wysłali do { $email } organizatorzy „{ $certificate }”, ponieważ na Twoje nazwisko wystawiono certyfikat „{ $certificate }”. Link jest osobisty: nie przekazuj tej wiadomości dalej. Jeśli uważasz, że trafiła do Ciebie przez pomyłkę, odpowiedz na nią i daj nam znać.
email-text-link = Odbierz certyfikat:

## Reminders (`certstat remind`)

reminder-subject = Przypomnienie: Twój certyfikat „{ $certificate }” czeka na Ciebie
reminder-heading = { $name }, Twój certyfikat czeka na Ciebie
reminder-waiting = Przypominamy: Twój certyfikat „{ $certificate }”, wystawiony przez { $issuer }, czeka na Ciebie.
reminder-waiting-plain = Przypominamy: Twój certyfikat „{ $certificate }” czeka na Ciebie.
reminder-get-it = Odbierzesz go tutaj:
reminder-explain = Przy otwieraniu zostaniesz poproszony(-a) o adres e-mail, na który wysłano tę wiadomość.
reminder-why = Otrzymujesz to przypomnienie, ponieważ bierzesz udział w „{ $certificate }”.
reminder-stop = Rezygnacja z przypomnień:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = Twój certyfikat „{ $certificate }” wygasa { $date }
expiry-heading = Twój certyfikat wygasa { $date }
expiry-expires = Twój certyfikat „{ $certificate }”, wystawiony przez { $issuer }, wygasa { $date }.
expiry-expires-plain = Twój certyfikat „{ $certificate }” wygasa { $date }.
expiry-days-left = { $days ->
        [0] To już dziś.
        [1] To już jutro.
        [few] Zostały { $days } dni.
       *[many] Zostało { $days } dni.
    }
expiry-renew = Aby go odnowić:
expiry-renew-button = Odnów certyfikat
expiry-stays = Do tego czasu Twój certyfikat jest dostępny tutaj:
expiry-stop = Rezygnacja z przypomnień i powiadomień:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Twój link: { $certificate }
lost-email-heading = Link do Twojego certyfikatu
lost-email-asked = Poproszono o link do Twojego certyfikatu „{ $certificate }”, wystawionego przez { $issuer }. Oto on:
lost-email-asked-plain = Poproszono o link do Twojego certyfikatu „{ $certificate }”. Oto on:
lost-email-ignore = Jeśli to nie Ty o niego prosisz, możesz zignorować tę wiadomość.

## The certificate (the default design)

cert-title = CERTYFIKAT
cert-certifies = Niniejszym zaświadcza się, że
cert-awarded = uzyskał(a)
cert-date-label = DATA WYSTAWIENIA
cert-issuer-label = WYSTAWCA
cert-credential-id = Identyfikator { $id }
cert-credential-label = IDENTYFIKATOR
cert-revoked-stamp = UNIEWAŻNIONY
cert-pdf-title = { $certificate }: { $name }

# certstat's messages, English: every other language's file has the same ids.
# { $name } and the like are values certstat puts in; keep them, move them where the
# language wants them.

## Dates

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
# "6 November 2026"
date-long = { $day } { $month } { $year }
# "15:30 UTC, 6 November 2026"
time-and-date = { $time } UTC, { $date }

## Every page

skip-link = Skip to content
brand = Certificates
footer-issuer = Certificates issued by { $issuer }. This page sets no tracking cookies and loads nothing from other sites.
footer-plain = Certificates issued. This page sets no tracking cookies and loads nothing from other sites.

## The claim page

claim-title = Claim your certificate — { $certificate }
claim-eyebrow = { $issuer } has a certificate for you
claim-eyebrow-plain = You have a certificate
awarded-to = Awarded to { $name }
fact-issued = Issued
fact-issued-by = Issued by
locked-heading = Too many attempts
locked-text = This certificate link is locked after several addresses that did not match. Please try again after { $until }.
locked-contact = If you no longer have the address the certificate was sent to, contact { $issuer }.
locked-contact-plain = If you no longer have the address the certificate was sent to, contact the issuer.
claim-heading = Claim your certificate
claim-heading-returning = Welcome back
claim-intro = To make sure this certificate reaches the right person, type the email address it was sent to.
email-label = Email address
email-placeholder = you@example.org
claim-button = Claim my certificate
claim-button-returning = Open my certificate
claim-fine = Your address is only compared with the one on file; it is not shared.
claim-wrong-locked = That is not the address this certificate was sent to. The link is now locked for 15 minutes.
claim-wrong = That is not the address this certificate was sent to. { $remaining ->
        [one] One attempt left.
       *[other] { $remaining } attempts left.
    }

## The recipient's own page

view-public-page = Public page
view-claimed = Your certificate is claimed. You can come back to this page from your email link at any time.
view-eyebrow = Congratulations
view-eyebrow-other = Certificate
view-lead = Awarded to { $name } by { $issuer } on { $date }
view-lead-plain = Awarded to { $name } on { $date }
view-revoked = This certificate has been revoked by its issuer.
view-expired = This certificate expired on { $date }.
image-alt = Certificate: { $certificate }, awarded to { $name }
actions-label = What you can do with your certificate
download-heading = Download
download-pdf = PDF
download-png = PNG image
share-heading = Share
share-linkedin = Share on LinkedIn
share-facebook = Share on Facebook
share-x = Share on X
add-linkedin = Add to LinkedIn profile
public-heading = Public verification page
public-fine = Anyone with this link can check that the certificate is genuine. It does not show your email address.
share-text = I earned the { $certificate } certificate from { $issuer }!
share-text-plain = I earned the { $certificate } certificate!

## The public verification page

verify-meta = { $name } was awarded { $certificate } by { $issuer } on { $date }.
verify-og-revoked = REVOKED: { $title }
verify-og-description = Certificate awarded by { $issuer } on { $date }. Credential ID { $id }.
verify-og-description-revoked = This certificate was revoked by its issuer. Certificate awarded by { $issuer } on { $date }. Credential ID { $id }.
verify-twitter-description = Certificate awarded by { $issuer } on { $date }.
verdict-valid-heading = Verified certificate
verdict-revoked-heading = Revoked certificate
verdict-expired-heading = Expired certificate
verdict-valid = This certificate is valid: it was issued by { $issuer } and has not been revoked.
verdict-valid-plain = This certificate is valid: it was issued by its issuer and has not been revoked.
verdict-revoked = This certificate was revoked by its issuer and is no longer valid.
verdict-revoked-on = Revoked on { $date }.
verdict-revoked-on-reason = Revoked on { $date }: { $reason }.
verdict-expired = This certificate expired on { $date }.
label-awarded-to = Awarded to
label-certificate = Certificate
label-issued-by = Issued by
label-issue-date = Issue date
label-valid-until = Valid until
label-status = Status
label-credential-id = Credential ID
state-valid = Valid
state-revoked = Revoked
state-expired = Expired
credential-links = Open Badges 3.0 credential:
credential-json = JSON
credential-jwt = signed JWT
credential-keys = issuer keys
credential-achievement = achievement

## Pages with a message

home-heading = Certificates
home-text = Open the link in the email you received to claim your certificate.
not-found-heading = Page not found
not-found-text = This link is not valid. Check that you copied the whole link from your email.
too-many-heading = Too many attempts
too-many-text = Too many forms were sent from your connection, or for this certificate, in a short time. Nothing was changed. Please wait a little and try again.
error-heading = Something went wrong
error-text = The server could not complete this request. Please try again in a moment.
bad-form-heading = Bad request
bad-form-text = The form could not be read. Go back, reload the page and try again.
form-expired-heading = This form has expired
form-expired-text = For your security the claim form must be sent from this site. Go back, reload the page and try again.
revoked-heading = Certificate revoked
revoked-download-text = This certificate was revoked by its issuer and can no longer be downloaded.
revoked-share-text = This certificate was revoked by its issuer and can no longer be shared.

## Lost link

lost-heading = Lost your link?
lost-done = If a certificate was sent to this address, its link is on its way to it now. Check your inbox (and the spam folder) in a few minutes.
lost-intro = Type the email address your certificate was sent to: we mail its link to it again.
lost-expired = For your security this form must be sent from this site. Type your address again and send it from here.
lost-button = Send my link

## Unsubscribe from reminders

unsubscribe-heading = Stop reminders?
unsubscribe-text = You will get no more reminders or notices about this certificate, nor about any other from this sender. Your certificate stays yours.
unsubscribe-button = Stop reminders
unsubscribed-heading = You will get no more reminders
unsubscribed-text = Done: no more reminders or notices will be sent to this address.

## The default email

email-subject = Your certificate: { $certificate }
email-hello = Hello { $name },
email-congratulations = Congratulations! { $issuer } has issued your certificate for "{ $certificate }".
email-congratulations-plain = Congratulations! Here is your certificate for "{ $certificate }".
email-get-it = Get your certificate here:
email-explain-text = On that page you can download it as PDF or image, share it, and add it to your LinkedIn profile. To open it, you will be asked for the email address this message was sent to.
email-signature-plain = The organisers
email-why = You receive this message because you took part in "{ $certificate }".
email-preheader = Your certificate for { $certificate } is ready.
email-eyebrow-plain = Certificate
email-heading = Congratulations, { $name }!
email-ready = Your certificate for { $certificate } is ready.
email-button = Get Certificate
email-explain-html = On the certificate page you can download it as PDF or image, share it, and add it to your LinkedIn profile. You will be asked for the email address this message was sent to.
email-fallback = If the button does not work, copy this address into your browser:
email-footer = This message was sent to { $email } by { $issuer }, because a certificate for { $certificate } was issued in your name. The link is personal: please do not forward this message. If you think it reached you by mistake, reply to it and let us know.
email-footer-plain = This message was sent to { $email } by the organiser of { $certificate }, because a certificate for { $certificate } was issued in your name. The link is personal: please do not forward this message. If you think it reached you by mistake, reply to it and let us know.
# The link added to the plain-text part made from an organisation's own HTML-only template.
email-text-link = Get your certificate:

## Reminders (`certstat remind`)

reminder-subject = Reminder: your certificate for { $certificate } is waiting
reminder-heading = Your certificate is waiting for you, { $name }
reminder-waiting = A reminder: your certificate for "{ $certificate }" is waiting for you, from { $issuer }.
reminder-waiting-plain = A reminder: your certificate for "{ $certificate }" is waiting for you.
reminder-get-it = Get it here:
reminder-explain = To open it, you will be asked for the email address this message was sent to.
reminder-why = You receive this reminder because you took part in "{ $certificate }".
reminder-stop = No more reminders:

## Expiry notices (`certstat remind --expiring`)

# { $date } is written as date-long writes it.
expiry-subject = Your certificate for { $certificate } expires on { $date }
expiry-heading = Your certificate expires on { $date }
expiry-expires = Your certificate for "{ $certificate }" from { $issuer } expires on { $date }.
expiry-expires-plain = Your certificate for "{ $certificate }" expires on { $date }.
# The days from today to the expiry date (0 when it is today).
expiry-days-left = { $days ->
        [0] That is today.
        [1] That is tomorrow.
       *[other] That is in { $days } days.
    }
expiry-renew = To renew it:
expiry-renew-button = Renew my certificate
expiry-stays = Your certificate stays here until then:
expiry-stop = No more reminders or notices:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Your link: { $certificate }
lost-email-heading = The link to your certificate
lost-email-asked = You asked for the link to your certificate for "{ $certificate }" from { $issuer }. Here it is:
lost-email-asked-plain = You asked for the link to your certificate for "{ $certificate }". Here it is:
lost-email-ignore = If you did not ask for it, you can ignore this message.

## The certificate (the default design)

cert-title = CERTIFICATE
cert-certifies = This certifies that
cert-awarded = has been awarded
cert-date-label = DATE OF ISSUE
cert-issuer-label = ISSUED BY
cert-credential-id = Credential ID { $id }
cert-credential-label = CREDENTIAL ID
cert-revoked-stamp = REVOKED
# The PDF's title (document properties).
cert-pdf-title = { $certificate }: { $name }

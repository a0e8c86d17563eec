# certstat, français.

## Dates

month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
date-long = { $day } { $month } { $year }
time-and-date = { $time } UTC, le { $date }

## Every page

skip-link = Aller au contenu
brand = Certificats
footer-issuer = Certificats délivrés par { $issuer }. Cette page ne dépose aucun cookie de suivi et ne charge rien depuis d’autres sites.
footer-plain = Certificats délivrés. Cette page ne dépose aucun cookie de suivi et ne charge rien depuis d’autres sites.

## The claim page

claim-title = Récupérez votre certificat — { $certificate }
claim-eyebrow = { $issuer } a un certificat pour vous
claim-eyebrow-plain = Un certificat vous attend
awarded-to = Décerné à { $name }
fact-issued = Délivré le
fact-issued-by = Délivré par
locked-heading = Trop de tentatives
locked-text = Ce lien est bloqué après plusieurs adresses qui ne correspondaient pas. Veuillez réessayer après { $until }.
locked-contact = Si vous n’avez plus accès à l’adresse à laquelle le certificat a été envoyé, contactez { $issuer }.
locked-contact-plain = Si vous n’avez plus accès à l’adresse à laquelle le certificat a été envoyé, contactez l’organisme émetteur.
claim-heading = Récupérez votre certificat
claim-heading-returning = Bon retour
claim-intro = Pour que ce certificat parvienne à la bonne personne, saisissez l’adresse e-mail à laquelle il a été envoyé.
email-label = Adresse e-mail
email-placeholder = vous@example.org
claim-button = Récupérer mon certificat
claim-button-returning = Ouvrir mon certificat
claim-fine = Votre adresse est seulement comparée à celle enregistrée ; elle n’est pas communiquée.
claim-wrong-locked = Ce n’est pas l’adresse à laquelle ce certificat a été envoyé. Le lien est maintenant bloqué pendant 15 minutes.
claim-wrong = Ce n’est pas l’adresse à laquelle ce certificat a été envoyé. { $remaining ->
        [one] Il vous reste une tentative.
       *[other] Il vous reste { $remaining } tentatives.
    }

## The recipient's own page

view-public-page = Page publique
view-claimed = Votre certificat est récupéré. Vous pouvez revenir sur cette page à tout moment grâce au lien de votre e-mail.
view-eyebrow = Félicitations
view-eyebrow-other = Certificat
view-lead = Décerné à { $name } par { $issuer } le { $date }
view-lead-plain = Décerné à { $name } le { $date }
view-revoked = Ce certificat a été révoqué par l’organisme émetteur.
view-expired = Ce certificat a expiré le { $date }.
image-alt = Certificat : { $certificate }, décerné à { $name }
actions-label = Ce que vous pouvez faire de votre certificat
download-heading = Télécharger
download-pdf = PDF
download-png = Image PNG
share-heading = Partager
share-linkedin = Partager sur LinkedIn
share-facebook = Partager sur Facebook
share-x = Partager sur X
add-linkedin = Ajouter à mon profil LinkedIn
public-heading = Page de vérification publique
public-fine = Toute personne disposant de ce lien peut vérifier que le certificat est authentique. Votre adresse e-mail n’y figure pas.
share-text = J’ai obtenu le certificat « { $certificate } » délivré par { $issuer } !
share-text-plain = J’ai obtenu le certificat « { $certificate } » !

## The public verification page

verify-meta = { $name } a reçu « { $certificate } » de { $issuer } le { $date }.
verify-og-revoked = RÉVOQUÉ : { $title }
verify-og-description = Certificat décerné par { $issuer } le { $date }. Identifiant { $id }.
verify-og-description-revoked = Ce certificat a été révoqué par l’organisme émetteur. Certificat décerné par { $issuer } le { $date }. Identifiant { $id }.
verify-twitter-description = Certificat décerné par { $issuer } le { $date }.
verdict-valid-heading = Certificat vérifié
verdict-revoked-heading = Certificat révoqué
verdict-expired-heading = Certificat expiré
verdict-valid = Ce certificat est valide : il a été délivré par { $issuer } et n’a pas été révoqué.
verdict-valid-plain = Ce certificat est valide : il a été délivré par son émetteur et n’a pas été révoqué.
verdict-revoked = Ce certificat a été révoqué par l’organisme émetteur et n’est plus valide.
verdict-revoked-on = Révoqué le { $date }.
verdict-revoked-on-reason = Révoqué le { $date } : { $reason }.
verdict-expired = Ce certificat a expiré le { $date }.
label-awarded-to = Décerné à
label-certificate = Certificat
label-issued-by = Délivré par
label-issue-date = Date de délivrance
label-valid-until = Valable jusqu’au
label-status = Statut
label-credential-id = Identifiant
state-valid = Valide
state-revoked = Révoqué
state-expired = Expiré
credential-links = Attestation Open Badges 3.0 :
credential-json = JSON
credential-jwt = JWT signé
credential-keys = clés de l’émetteur
credential-achievement = réussite

## Pages with a message

home-heading = Certificats
home-text = Ouvrez le lien de l’e-mail que vous avez reçu pour récupérer votre certificat.
not-found-heading = Page introuvable
not-found-text = Ce lien n’est pas valide. Vérifiez que vous avez copié le lien complet depuis votre e-mail.
too-many-heading = Trop de tentatives
too-many-text = Trop de formulaires ont été envoyés depuis votre connexion, ou pour ce certificat, en peu de temps. Rien n’a été modifié. Patientez un peu, puis réessayez.
error-heading = Une erreur s’est produite
error-text = Le serveur n’a pas pu traiter cette demande. Veuillez réessayer dans un instant.
bad-form-heading = Requête incorrecte
bad-form-text = Le formulaire n’a pas pu être lu. Revenez en arrière, rechargez la page et réessayez.
form-expired-heading = Ce formulaire a expiré
form-expired-text = Pour votre sécurité, le formulaire doit être envoyé depuis ce site. Revenez en arrière, rechargez la page et réessayez.
revoked-heading = Certificat révoqué
revoked-download-text = Ce certificat a été révoqué par l’organisme émetteur et ne peut plus être téléchargé.
revoked-share-text = Ce certificat a été révoqué par l’organisme émetteur et ne peut plus être partagé.

## Lost link

lost-heading = Lien perdu ?
lost-done = Si un certificat a été envoyé à cette adresse, son lien est en route. Consultez votre boîte de réception (et le dossier des indésirables) dans quelques minutes.
lost-intro = Saisissez l’adresse e-mail à laquelle votre certificat a été envoyé : nous y renverrons son lien.
lost-expired = Pour votre sécurité, ce formulaire doit être envoyé depuis ce site. Saisissez à nouveau votre adresse et envoyez-la d’ici.
lost-button = Renvoyer mon lien

## Unsubscribe from reminders

unsubscribe-heading = Ne plus recevoir de rappels ?
unsubscribe-text = Vous ne recevrez plus de rappels ni d’avis concernant ce certificat, ni aucun autre de cet expéditeur. Votre certificat reste le vôtre.
unsubscribe-button = Arrêter les rappels
unsubscribed-heading = Vous ne recevrez plus de rappels
unsubscribed-text = C’est fait : plus aucun rappel ni avis ne sera envoyé à cette adresse.

## The default email

email-subject = Votre certificat : { $certificate }
email-hello = Bonjour { $name },
email-congratulations = Félicitations ! { $issuer } vous a délivré votre certificat « { $certificate } ».
email-congratulations-plain = Félicitations ! Voici votre certificat « { $certificate } ».
email-get-it = Récupérez votre certificat ici :
email-explain-text = Sur cette page, vous pouvez le télécharger en PDF ou en image, le partager et l’ajouter à votre profil LinkedIn. Pour l’ouvrir, l’adresse e-mail à laquelle ce message a été envoyé vous sera demandée.
email-signature-plain = L’équipe organisatrice
email-why = Vous recevez ce message parce que vous avez participé à « { $certificate } ».
email-preheader = Votre certificat pour { $certificate } est prêt.
email-eyebrow-plain = Certificat
email-heading = Félicitations, { $name } !
email-ready = Votre certificat pour { $certificate } est prêt.
email-button = Obtenir le certificat
email-explain-html = Sur la page du certificat, vous pouvez le télécharger en PDF ou en image, le partager et l’ajouter à votre profil LinkedIn. L’adresse e-mail à laquelle ce message a été envoyé vous sera demandée.
email-fallback = Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :
email-footer = Ce message a été envoyé à { $email } par { $issuer }, car un certificat pour { $certificate } a été délivré à votre nom. Le lien est personnel : merci de ne pas transférer ce message. Si vous pensez l’avoir reçu par erreur, répondez-y pour nous le signaler.
email-footer-plain = Ce message a été envoyé à { $email } par l’organisation de { $certificate }, car un certificat pour { $certificate } a été délivré à votre nom. Le lien est personnel : merci de ne pas transférer ce message. Si vous pensez l’avoir reçu par erreur, répondez-y pour nous le signaler.
email-text-link = Récupérez votre certificat :

## Reminders (`certstat remind`)

reminder-subject = Rappel : votre certificat pour { $certificate } vous attend
reminder-heading = { $name }, votre certificat vous attend
reminder-waiting = Petit rappel : votre certificat « { $certificate } », délivré par { $issuer }, vous attend.
reminder-waiting-plain = Petit rappel : votre certificat « { $certificate } » vous attend.
reminder-get-it = Récupérez-le ici :
reminder-explain = Pour l’ouvrir, l’adresse e-mail à laquelle ce message a été envoyé vous sera demandée.
reminder-why = Vous recevez ce rappel parce que vous avez participé à « { $certificate } ».
reminder-stop = Ne plus recevoir de rappels :

## Expiry notices (`certstat remind --expiring`)

expiry-subject = Votre certificat pour { $certificate } expire le { $date }
expiry-heading = Votre certificat expire le { $date }
expiry-expires = Votre certificat « { $certificate } », délivré par { $issuer }, expire le { $date }.
expiry-expires-plain = Votre certificat « { $certificate } » expire le { $date }.
expiry-days-left = { $days ->
        [0] C’est aujourd’hui.
        [1] C’est demain.
       *[other] C’est dans { $days } jours.
    }
expiry-renew = Pour le renouveler :
expiry-renew-button = Renouveler mon certificat
expiry-stays = D’ici là, votre certificat reste disponible ici :
expiry-stop = Ne plus recevoir de rappels ni d’avis :

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Votre lien : { $certificate }
lost-email-heading = Le lien vers votre certificat
lost-email-asked = Vous avez demandé le lien vers votre certificat « { $certificate } », délivré par { $issuer }. Le voici :
lost-email-asked-plain = Vous avez demandé le lien vers votre certificat « { $certificate } ». Le voici :
lost-email-ignore = Si vous ne l’avez pas demandé, vous pouvez ignorer ce message.

## The certificate (the default design)

cert-title = CERTIFICAT
cert-certifies = Nous certifions que
cert-awarded = a obtenu
cert-date-label = DATE DE DÉLIVRANCE
cert-issuer-label = DÉLIVRÉ PAR
cert-credential-id = Identifiant { $id }
cert-credential-label = IDENTIFIANT
cert-revoked-stamp = RÉVOQUÉ
cert-pdf-title = { $certificate } : { $name }

# certstat, español.

## Dates

month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
date-long = { $day } de { $month } de { $year }
time-and-date = { $time } UTC del { $date }

## Every page

skip-link = Ir al contenido
brand = Certificados
footer-issuer = Certificados emitidos por { $issuer }. Esta página no usa cookies de seguimiento ni carga nada de otros sitios.
footer-plain = Certificados emitidos. Esta página no usa cookies de seguimiento ni carga nada de otros sitios.

## The claim page

claim-title = Obtén tu certificado — { $certificate }
claim-eyebrow = { $issuer } tiene un certificado para ti
claim-eyebrow-plain = Tienes un certificado
awarded-to = Otorgado a { $name }
fact-issued = Emitido el
fact-issued-by = Emitido por
locked-heading = Demasiados intentos
locked-text = Este enlace se ha bloqueado tras varias direcciones que no coincidían. Vuelve a intentarlo después de las { $until }.
locked-contact = Si ya no tienes la dirección a la que se envió el certificado, ponte en contacto con { $issuer }.
locked-contact-plain = Si ya no tienes la dirección a la que se envió el certificado, ponte en contacto con la entidad emisora.
claim-heading = Obtén tu certificado
claim-heading-returning = Hola de nuevo
claim-intro = Para asegurarnos de que este certificado llega a la persona correcta, escribe la dirección de correo a la que se envió.
email-label = Correo electrónico
email-placeholder = tu@example.org
claim-button = Obtener mi certificado
claim-button-returning = Abrir mi certificado
claim-fine = Tu dirección solo se compara con la que tenemos registrada; no se comparte.
claim-wrong-locked = Esa no es la dirección a la que se envió este certificado. El enlace queda bloqueado durante 15 minutos.
claim-wrong = Esa no es la dirección a la que se envió este certificado. { $remaining ->
        [one] Te queda un intento.
       *[other] Te quedan { $remaining } intentos.
    }

## The recipient's own page

view-public-page = Página pública
view-claimed = Ya tienes tu certificado. Puedes volver a esta página cuando quieras desde el enlace de tu correo.
view-eyebrow = Enhorabuena
view-eyebrow-other = Certificado
view-lead = Otorgado a { $name } por { $issuer } el { $date }
view-lead-plain = Otorgado a { $name } el { $date }
view-revoked = La entidad emisora ha revocado este certificado.
view-expired = Este certificado caducó el { $date }.
image-alt = Certificado: { $certificate }, otorgado a { $name }
actions-label = Qué puedes hacer con tu certificado
download-heading = Descargar
download-pdf = PDF
download-png = Imagen PNG
share-heading = Compartir
share-linkedin = Compartir en LinkedIn
share-facebook = Compartir en Facebook
share-x = Compartir en X
add-linkedin = Añadir al perfil de LinkedIn
public-heading = Página pública de verificación
public-fine = Cualquiera con este enlace puede comprobar que el certificado es auténtico. No muestra tu dirección de correo.
share-text = ¡He obtenido el certificado «{ $certificate }» de { $issuer }!
share-text-plain = ¡He obtenido el certificado «{ $certificate }»!

## The public verification page

verify-meta = { $issuer } otorgó «{ $certificate }» a { $name } el { $date }.
verify-og-revoked = REVOCADO: { $title }
verify-og-description = Certificado otorgado por { $issuer } el { $date }. Identificador { $id }.
verify-og-description-revoked = La entidad emisora revocó este certificado. Certificado otorgado por { $issuer } el { $date }. Identificador { $id }.
verify-twitter-description = Certificado otorgado por { $issuer } el { $date }.
verdict-valid-heading = Certificado verificado
verdict-revoked-heading = Certificado revocado
verdict-expired-heading = Certificado caducado
verdict-valid = Este certificado es válido: lo emitió { $issuer } y no ha sido revocado.
verdict-valid-plain = Este certificado es válido: lo emitió su entidad emisora y no ha sido revocado.
verdict-revoked = La entidad emisora revocó este certificado y ya no es válido.
verdict-revoked-on = Revocado el { $date }.
verdict-revoked-on-reason = Revocado el { $date }: { $reason }.
verdict-expired = Este certificado caducó el { $date }.
label-awarded-to = Otorgado a
label-certificate = Certificado
label-issued-by = Emitido por
label-issue-date = Fecha de emisión
label-valid-until = Válido hasta
label-status = Estado
label-credential-id = Identificador
state-valid = Válido
state-revoked = Revocado
state-expired = Caducado
credential-links = Credencial Open Badges 3.0:
credential-json = JSON
credential-jwt = JWT firmado
credential-keys = claves del emisor
credential-achievement = logro

## Pages with a message

home-heading = Certificados
home-text = Abre el enlace del correo que recibiste para obtener tu certificado.
not-found-heading = Página no encontrada
not-found-text = Este enlace no es válido. Comprueba que copiaste el enlace completo de tu correo.
too-many-heading = Demasiados intentos
too-many-text = Se han enviado demasiados formularios desde tu conexión, o para este certificado, en poco tiempo. No se ha cambiado nada. Espera un poco y vuelve a intentarlo.
error-heading = Algo ha fallado
error-text = El servidor no pudo completar la solicitud. Vuelve a intentarlo en un momento.
bad-form-heading = Solicitud incorrecta
bad-form-text = No se pudo leer el formulario. Vuelve atrás, recarga la página e inténtalo de nuevo.
form-expired-heading = Este formulario ha caducado
form-expired-text = Por tu seguridad, el formulario debe enviarse desde este sitio. Vuelve atrás, recarga la página e inténtalo de nuevo.
revoked-heading = Certificado revocado
revoked-download-text = La entidad emisora revocó este certificado y ya no se puede descargar.
revoked-share-text = La entidad emisora revocó este certificado y ya no se puede compartir.

## Lost link

lost-heading = ¿Has perdido tu enlace?
lost-done = Si se envió un certificado a esta dirección, su enlace ya va de camino. Revisa tu bandeja de entrada (y la carpeta de spam) dentro de unos minutos.
lost-intro = Escribe la dirección de correo a la que se envió tu certificado y te volveremos a mandar el enlace.
lost-expired = Por tu seguridad, este formulario debe enviarse desde este sitio. Vuelve a escribir tu dirección y envíala desde aquí.
lost-button = Enviarme el enlace

## Unsubscribe from reminders

unsubscribe-heading = ¿Dejar de recibir recordatorios?
unsubscribe-text = No recibirás más recordatorios ni avisos sobre este certificado ni sobre ningún otro de este remitente. Tu certificado sigue siendo tuyo.
unsubscribe-button = Dejar de recibir recordatorios
unsubscribed-heading = Ya no recibirás recordatorios
unsubscribed-text = Hecho: no se enviarán más recordatorios ni avisos a esta dirección.

## The default email

email-subject = Tu certificado: { $certificate }
email-hello = Hola, { $name }:
email-congratulations = ¡Enhorabuena! { $issuer } ha emitido tu certificado de «{ $certificate }».
email-congratulations-plain = ¡Enhorabuena! Aquí tienes tu certificado de «{ $certificate }».
email-get-it = Obtén tu certificado aquí:
email-explain-text = En esa página puedes descargarlo en PDF o como imagen, compartirlo y añadirlo a tu perfil de LinkedIn. Para abrirlo, se te pedirá la dirección de correo a la que se envió este mensaje.
email-signature-plain = El equipo organizador
email-why = Recibes este mensaje porque participaste en «{ $certificate }».
email-preheader = Tu certificado de { $certificate } está listo.
email-eyebrow-plain = Certificado
email-heading = ¡Enhorabuena, { $name }!
email-ready = Tu certificado de { $certificate } está listo.
email-button = Obtener certificado
email-explain-html = En la página del certificado puedes descargarlo en PDF o como imagen, compartirlo y añadirlo a tu perfil de LinkedIn. Se te pedirá la dirección de correo a la que se envió este mensaje.
email-fallback = Si el botón no funciona, copia esta dirección en tu navegador:
email-footer = { $issuer } envió este mensaje a { $email } porque se emitió a tu nombre un certificado de { $certificate }. El enlace es personal: no reenvíes este mensaje. Si crees que te ha llegado por error, respóndelo y avísanos.
email-footer-plain = Los organizadores de { $certificate } enviaron este mensaje a { $email } porque se emitió a tu nombre un certificado de { $certificate }. El enlace es personal: no reenvíes este mensaje. Si crees que te ha llegado por error, respóndelo y avísanos.
email-text-link = Obtén tu certificado:

## Reminders (`certstat remind`)

reminder-subject = Recordatorio: tu certificado de { $certificate } te está esperando
reminder-heading = { $name }, tu certificado te está esperando
reminder-waiting = Te recordamos que tu certificado de «{ $certificate }», emitido por { $issuer }, te está esperando.
reminder-waiting-plain = Te recordamos que tu certificado de «{ $certificate }» te está esperando.
reminder-get-it = Obtenlo aquí:
reminder-explain = Para abrirlo, se te pedirá la dirección de correo a la que se envió este mensaje.
reminder-why = Recibes este recordatorio porque participaste en «{ $certificate }».
reminder-stop = Dejar de recibir recordatorios:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = Tu certificado de { $certificate } caduca el { $date }
expiry-heading = Tu certificado caduca el { $date }
expiry-expires = Tu certificado de «{ $certificate }», emitido por { $issuer }, caduca el { $date }.
expiry-expires-plain = Tu certificado de «{ $certificate }» caduca el { $date }.
expiry-days-left = { $days ->
        [0] Es decir, hoy.
        [1] Es decir, mañana.
       *[other] Es decir, dentro de { $days } días.
    }
expiry-renew = Para renovarlo:
expiry-renew-button = Renovar mi certificado
expiry-stays = Hasta entonces, tu certificado sigue aquí:
expiry-stop = Dejar de recibir recordatorios y avisos:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = Tu enlace: { $certificate }
lost-email-heading = El enlace a tu certificado
lost-email-asked = Has pedido el enlace a tu certificado de «{ $certificate }», emitido por { $issuer }. Aquí lo tienes:
lost-email-asked-plain = Has pedido el enlace a tu certificado de «{ $certificate }». Aquí lo tienes:
lost-email-ignore = Si no lo has pedido, puedes ignorar este mensaje.

## The certificate (the default design)

cert-title = CERTIFICADO
cert-certifies = Se certifica que
cert-awarded = ha obtenido
cert-date-label = FECHA DE EMISIÓN
cert-issuer-label = EMITIDO POR
cert-credential-id = Identificador { $id }
cert-credential-label = IDENTIFICADOR
cert-revoked-stamp = REVOCADO
cert-pdf-title = { $certificate }: { $name }

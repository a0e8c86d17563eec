# certstat, português.

## Dates

month-1 = janeiro
month-2 = fevereiro
month-3 = março
month-4 = abril
month-5 = maio
month-6 = junho
month-7 = julho
month-8 = agosto
month-9 = setembro
month-10 = outubro
month-11 = novembro
month-12 = dezembro
date-long = { $day } de { $month } de { $year }
time-and-date = { $time } UTC de { $date }

## Every page

skip-link = Saltar para o conteúdo
brand = Certificados
footer-issuer = Certificados emitidos por { $issuer }. Esta página não usa cookies de rastreamento e não carrega nada de outros sites.
footer-plain = Certificados emitidos. Esta página não usa cookies de rastreamento e não carrega nada de outros sites.

## The claim page

claim-title = Receba o seu certificado — { $certificate }
claim-eyebrow = { $issuer } tem um certificado para si
claim-eyebrow-plain = Tem um certificado à sua espera
awarded-to = Atribuído a { $name }
fact-issued = Emitido em
fact-issued-by = Emitido por
locked-heading = Demasiadas tentativas
locked-text = Este link foi bloqueado depois de vários endereços de email que não correspondiam. Tente novamente depois das { $until }.
locked-contact = Se já não tem acesso ao endereço para onde o certificado foi enviado, contacte { $issuer }.
locked-contact-plain = Se já não tem acesso ao endereço para onde o certificado foi enviado, contacte a entidade emissora.
claim-heading = Receba o seu certificado
claim-heading-returning = Bem-vindo de volta
claim-intro = Para garantir que este certificado chega à pessoa certa, escreva o endereço de email para onde foi enviado.
email-label = Endereço de email
email-placeholder = voce@example.org
claim-button = Receber o meu certificado
claim-button-returning = Abrir o meu certificado
claim-fine = O seu endereço só é comparado com o que temos registado; não é partilhado.
claim-wrong-locked = Este não é o endereço para onde o certificado foi enviado. O link fica agora bloqueado durante 15 minutos.
claim-wrong = Este não é o endereço para onde o certificado foi enviado. { $remaining ->
        [one] Resta uma tentativa.
       *[other] Restam { $remaining } tentativas.
    }

## The recipient's own page

view-public-page = Página pública
view-claimed = O seu certificado foi recebido. Pode voltar a esta página em qualquer altura através do link do seu email.
view-eyebrow = Parabéns
view-eyebrow-other = Certificado
view-lead = Atribuído a { $name } por { $issuer } em { $date }
view-lead-plain = Atribuído a { $name } em { $date }
view-revoked = Este certificado foi revogado pela entidade emissora.
view-expired = Este certificado expirou em { $date }.
image-alt = Certificado: { $certificate }, atribuído a { $name }
actions-label = O que pode fazer com o seu certificado
download-heading = Transferir
download-pdf = PDF
download-png = Imagem PNG
share-heading = Partilhar
share-linkedin = Partilhar no LinkedIn
share-facebook = Partilhar no Facebook
share-x = Partilhar no X
add-linkedin = Adicionar ao perfil do LinkedIn
public-heading = Página pública de verificação
public-fine = Qualquer pessoa com este link pode confirmar que o certificado é autêntico. O seu endereço de email não é mostrado.
share-text = Obtive o certificado «{ $certificate }» de { $issuer }!
share-text-plain = Obtive o certificado «{ $certificate }»!

## The public verification page

verify-meta = { $name } recebeu «{ $certificate }» de { $issuer } em { $date }.
verify-og-revoked = REVOGADO: { $title }
verify-og-description = Certificado atribuído por { $issuer } em { $date }. Identificador { $id }.
verify-og-description-revoked = Este certificado foi revogado pela entidade emissora. Certificado atribuído por { $issuer } em { $date }. Identificador { $id }.
verify-twitter-description = Certificado atribuído por { $issuer } em { $date }.
verdict-valid-heading = Certificado verificado
verdict-revoked-heading = Certificado revogado
verdict-expired-heading = Certificado expirado
verdict-valid = Este certificado é válido: foi emitido por { $issuer } e não foi revogado.
verdict-valid-plain = Este certificado é válido: foi emitido pela entidade emissora e não foi revogado.
verdict-revoked = Este certificado foi revogado pela entidade emissora e já não é válido.
verdict-revoked-on = Revogado em { $date }.
verdict-revoked-on-reason = Revogado em { $date }: { $reason }.
verdict-expired = Este certificado expirou em { $date }.
label-awarded-to = Atribuído a
label-certificate = Certificado
label-issued-by = Emitido por
label-issue-date = Data de emissão
label-valid-until = Válido até
label-status = Estado
label-credential-id = Identificador
state-valid = Válido
state-revoked = Revogado
state-expired = Expirado
credential-links = Credencial Open Badges 3.0:
credential-json = JSON
credential-jwt = JWT assinado
credential-keys = chaves do emissor
credential-achievement = conquista

## Pages with a message

home-heading = Certificados
home-text = Abra o link do email que recebeu para receber o seu certificado.
not-found-heading = Página não encontrada
not-found-text = Este link não é válido. Confirme que copiou o link completo do seu email.
too-many-heading = Demasiadas tentativas
too-many-text = Foram enviados demasiados formulários a partir da sua ligação, ou para este certificado, em pouco tempo. Nada foi alterado. Aguarde um pouco e tente de novo.
error-heading = Algo correu mal
error-text = O servidor não conseguiu concluir o pedido. Tente novamente daqui a pouco.
bad-form-heading = Pedido inválido
bad-form-text = Não foi possível ler o formulário. Volte atrás, recarregue a página e tente novamente.
form-expired-heading = Este formulário expirou
form-expired-text = Por segurança, o formulário tem de ser enviado a partir deste site. Volte atrás, recarregue a página e tente novamente.
revoked-heading = Certificado revogado
revoked-download-text = Este certificado foi revogado pela entidade emissora e já não pode ser transferido.
revoked-share-text = Este certificado foi revogado pela entidade emissora e já não pode ser partilhado.

## Lost link

lost-heading = Perdeu o seu link?
lost-done = Se foi enviado um certificado para este endereço, o respetivo link já está a caminho. Veja a sua caixa de entrada (e a pasta de spam) dentro de alguns minutos.
lost-intro = Escreva o endereço de email para onde o seu certificado foi enviado: voltamos a enviar-lhe o link.
lost-expired = Para sua segurança, este formulário tem de ser enviado a partir deste site. Escreva de novo o seu endereço e envie-o a partir daqui.
lost-button = Enviar o meu link

## Unsubscribe from reminders

unsubscribe-heading = Deixar de receber lembretes?
unsubscribe-text = Não voltará a receber lembretes nem avisos sobre este certificado, nem sobre nenhum outro deste remetente. O seu certificado continua a ser seu.
unsubscribe-button = Deixar de receber lembretes
unsubscribed-heading = Não voltará a receber lembretes
unsubscribed-text = Feito: não serão enviados mais lembretes nem avisos para este endereço.

## The default email

email-subject = O seu certificado: { $certificate }
email-hello = Olá, { $name },
email-congratulations = Parabéns! { $issuer } emitiu o seu certificado de «{ $certificate }».
email-congratulations-plain = Parabéns! Aqui está o seu certificado de «{ $certificate }».
email-get-it = Receba o seu certificado aqui:
email-explain-text = Nessa página pode transferi-lo em PDF ou como imagem, partilhá-lo e adicioná-lo ao seu perfil do LinkedIn. Para o abrir, ser-lhe-á pedido o endereço de email para onde esta mensagem foi enviada.
email-signature-plain = A organização
email-why = Recebe esta mensagem porque participou em «{ $certificate }».
email-preheader = O seu certificado de { $certificate } está pronto.
email-eyebrow-plain = Certificado
email-heading = Parabéns, { $name }!
email-ready = O seu certificado de { $certificate } está pronto.
email-button = Obter certificado
email-explain-html = Na página do certificado pode transferi-lo em PDF ou como imagem, partilhá-lo e adicioná-lo ao seu perfil do LinkedIn. Ser-lhe-á pedido o endereço de email para onde esta mensagem foi enviada.
email-fallback = Se o botão não funcionar, copie este endereço para o seu navegador:
email-footer = Esta mensagem foi enviada para { $email } por { $issuer }, porque foi emitido em seu nome um certificado de { $certificate }. O link é pessoal: não reencaminhe esta mensagem. Se acha que a recebeu por engano, responda e avise-nos.
email-footer-plain = Esta mensagem foi enviada para { $email } pela organização de { $certificate }, porque foi emitido em seu nome um certificado de { $certificate }. O link é pessoal: não reencaminhe esta mensagem. Se acha que a recebeu por engano, responda e avise-nos.
email-text-link = Receba o seu certificado:

## Reminders (`certstat remind`)

reminder-subject = Lembrete: o seu certificado de { $certificate } está à sua espera
reminder-heading = { $name }, o seu certificado está à sua espera
reminder-waiting = Um lembrete: o seu certificado de «{ $certificate }», emitido por { $issuer }, está à sua espera.
reminder-waiting-plain = Um lembrete: o seu certificado de «{ $certificate }» está à sua espera.
reminder-get-it = Receba-o aqui:
reminder-explain = Para o abrir, ser-lhe-á pedido o endereço de email para onde esta mensagem foi enviada.
reminder-why = Recebe este lembrete porque participou em «{ $certificate }».
reminder-stop = Deixar de receber lembretes:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = O seu certificado de { $certificate } expira em { $date }
expiry-heading = O seu certificado expira em { $date }
expiry-expires = O seu certificado de «{ $certificate }», emitido por { $issuer }, expira em { $date }.
expiry-expires-plain = O seu certificado de «{ $certificate }» expira em { $date }.
expiry-days-left = { $days ->
        [0] Ou seja, hoje.
        [1] Ou seja, amanhã.
       *[other] Ou seja, daqui a { $days } dias.
    }
expiry-renew = Para o renovar:
expiry-renew-button = Renovar o meu certificado
expiry-stays = Até lá, o seu certificado continua aqui:
expiry-stop = Deixar de receber lembretes e avisos:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = O seu link: { $certificate }
lost-email-heading = O link para o seu certificado
lost-email-asked = Pediu o link para o seu certificado de «{ $certificate }», emitido por { $issuer }. Aqui está:
lost-email-asked-plain = Pediu o link para o seu certificado de «{ $certificate }». Aqui está:
lost-email-ignore = Se não o pediu, pode ignorar esta mensagem.

## The certificate (the default design)

cert-title = CERTIFICADO
cert-certifies = Certifica-se que
cert-awarded = concluiu com êxito
cert-date-label = DATA DE EMISSÃO
cert-issuer-label = EMITIDO POR
cert-credential-id = Identificador { $id }
cert-credential-label = IDENTIFICADOR
cert-revoked-stamp = REVOGADO
cert-pdf-title = { $certificate }: { $name }

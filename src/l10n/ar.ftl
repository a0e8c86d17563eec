# certstat، العربية (تُكتب من اليمين إلى اليسار؛ الصفحات تأخذ dir="rtl").

## Dates

month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
date-long = { $day } { $month } { $year }
time-and-date = الساعة { $time } بالتوقيت العالمي، { $date }

## Every page

skip-link = انتقل إلى المحتوى
brand = الشهادات
footer-issuer = شهادات صادرة عن { $issuer }. لا تضع هذه الصفحة ملفات تعريف ارتباط للتتبع ولا تحمّل شيئًا من مواقع أخرى.
footer-plain = شهادات صادرة. لا تضع هذه الصفحة ملفات تعريف ارتباط للتتبع ولا تحمّل شيئًا من مواقع أخرى.

## The claim page

claim-title = استلم شهادتك — { $certificate }
claim-eyebrow = لدى { $issuer } شهادة لك
claim-eyebrow-plain = لديك شهادة
awarded-to = مُنحت إلى { $name }
fact-issued = تاريخ الإصدار
fact-issued-by = الجهة المُصدِرة
locked-heading = محاولات كثيرة جدًا
locked-text = أُغلق رابط هذه الشهادة بعد إدخال عدة عناوين غير مطابقة. يُرجى المحاولة مجددًا بعد { $until }.
locked-contact = إذا لم يعد لديك العنوان الذي أُرسلت إليه الشهادة، فتواصل مع { $issuer }.
locked-contact-plain = إذا لم يعد لديك العنوان الذي أُرسلت إليه الشهادة، فتواصل مع الجهة المُصدِرة.
claim-heading = استلم شهادتك
claim-heading-returning = مرحبًا بعودتك
claim-intro = للتأكد من وصول هذه الشهادة إلى الشخص الصحيح، اكتب عنوان البريد الإلكتروني الذي أُرسلت إليه.
email-label = عنوان البريد الإلكتروني
email-placeholder = you@example.org
claim-button = استلم شهادتي
claim-button-returning = افتح شهادتي
claim-fine = يُقارَن عنوانك بالعنوان المسجّل لدينا فقط، ولا تتم مشاركته.
claim-wrong-locked = هذا ليس العنوان الذي أُرسلت إليه هذه الشهادة. أُغلق الرابط الآن لمدة 15 دقيقة.
claim-wrong = هذا ليس العنوان الذي أُرسلت إليه هذه الشهادة. { $remaining ->
        [one] تبقّت محاولة واحدة.
        [two] تبقّت محاولتان.
        [few] تبقّت { $remaining } محاولات.
       *[other] تبقّت { $remaining } محاولة.
    }

## The recipient's own page

view-public-page = الصفحة العامة
view-claimed = تم استلام شهادتك. يمكنك العودة إلى هذه الصفحة في أي وقت من الرابط الموجود في بريدك الإلكتروني.
view-eyebrow = تهانينا
view-eyebrow-other = شهادة
view-lead = مُنحت إلى { $name } من { $issuer } بتاريخ { $date }
view-lead-plain = مُنحت إلى { $name } بتاريخ { $date }
view-revoked = ألغت الجهة المُصدِرة هذه الشهادة.
view-expired = انتهت صلاحية هذه الشهادة في { $date }.
image-alt = شهادة: { $certificate }، مُنحت إلى { $name }
actions-label = ما يمكنك فعله بشهادتك
download-heading = تنزيل
download-pdf = PDF
download-png = صورة PNG
share-heading = مشاركة
share-linkedin = المشاركة على LinkedIn
share-facebook = المشاركة على Facebook
share-x = المشاركة على X
add-linkedin = الإضافة إلى ملف LinkedIn الشخصي
public-heading = صفحة التحقق العامة
public-fine = يمكن لأي شخص لديه هذا الرابط التحقق من أن الشهادة أصلية. لا تعرض الصفحة عنوان بريدك الإلكتروني.
share-text = حصلت على شهادة «{ $certificate }» من { $issuer }!
share-text-plain = حصلت على شهادة «{ $certificate }»!

## The public verification page

verify-meta = مُنح { $name } شهادة «{ $certificate }» من { $issuer } بتاريخ { $date }.
verify-og-revoked = ملغاة: { $title }
verify-og-description = شهادة صادرة عن { $issuer } بتاريخ { $date }. مُعرّف الاعتماد { $id }.
verify-og-description-revoked = ألغت الجهة المُصدِرة هذه الشهادة. شهادة صادرة عن { $issuer } بتاريخ { $date }. مُعرّف الاعتماد { $id }.
verify-twitter-description = شهادة صادرة عن { $issuer } بتاريخ { $date }.
verdict-valid-heading = شهادة موثَّقة
verdict-revoked-heading = شهادة ملغاة
verdict-expired-heading = شهادة منتهية الصلاحية
verdict-valid = هذه الشهادة صالحة: أصدرتها { $issuer } ولم تُلغَ.
verdict-valid-plain = هذه الشهادة صالحة: أصدرتها الجهة المُصدِرة ولم تُلغَ.
verdict-revoked = ألغت الجهة المُصدِرة هذه الشهادة ولم تعد صالحة.
verdict-revoked-on = أُلغيت في { $date }.
verdict-revoked-on-reason = أُلغيت في { $date }: { $reason }.
verdict-expired = انتهت صلاحية هذه الشهادة في { $date }.
label-awarded-to = مُنحت إلى
label-certificate = الشهادة
label-issued-by = الجهة المُصدِرة
label-issue-date = تاريخ الإصدار
label-valid-until = صالحة حتى
label-status = الحالة
label-credential-id = مُعرّف الاعتماد
state-valid = صالحة
state-revoked = ملغاة
state-expired = منتهية الصلاحية
credential-links = اعتماد Open Badges 3.0:
credential-json = JSON
credential-jwt = JWT موقَّع
credential-keys = مفاتيح الجهة المُصدِرة
credential-achievement = الإنجاز

## Pages with a message

home-heading = الشهادات
home-text = افتح الرابط الموجود في البريد الإلكتروني الذي وصلك لاستلام شهادتك.
not-found-heading = الصفحة غير موجودة
not-found-text = هذا الرابط غير صالح. تأكد من أنك نسخت الرابط كاملًا من بريدك الإلكتروني.
too-many-heading = محاولات كثيرة جدًا
too-many-text = أُرسل عدد كبير جدًا من النماذج من اتصالك، أو لهذه الشهادة، خلال وقت قصير. لم يتغيّر شيء. يُرجى الانتظار قليلًا ثم المحاولة مرة أخرى.
error-heading = حدث خطأ ما
error-text = تعذّر على الخادم إتمام هذا الطلب. يُرجى المحاولة مجددًا بعد قليل.
bad-form-heading = طلب غير صالح
bad-form-text = تعذّرت قراءة النموذج. عُد إلى الصفحة السابقة، وأعد تحميلها، ثم حاول مجددًا.
form-expired-heading = انتهت صلاحية هذا النموذج
form-expired-text = حرصًا على أمانك، يجب إرسال نموذج الاستلام من هذا الموقع. عُد إلى الصفحة السابقة، وأعد تحميلها، ثم حاول مجددًا.
revoked-heading = الشهادة ملغاة
revoked-download-text = ألغت الجهة المُصدِرة هذه الشهادة ولم يعد بالإمكان تنزيلها.
revoked-share-text = ألغت الجهة المُصدِرة هذه الشهادة ولم يعد بالإمكان مشاركتها.

## Lost link

lost-heading = هل فقدت رابطك؟
lost-done = إذا كانت قد أُرسلت شهادة إلى هذا العنوان، فإن رابطها في الطريق إليه الآن. تفقّد بريدك الوارد (ومجلد الرسائل غير المرغوب فيها) خلال بضع دقائق.
lost-intro = اكتب عنوان البريد الإلكتروني الذي أُرسلت إليه شهادتك، وسنرسل رابطها إليه مجددًا.
lost-expired = حفاظًا على أمانك، يجب إرسال هذا النموذج من هذا الموقع. اكتب عنوانك مرة أخرى وأرسله من هنا.
lost-button = أرسل رابطي

## Unsubscribe from reminders

unsubscribe-heading = إيقاف التذكيرات؟
unsubscribe-text = لن تصلك بعد الآن أي تذكيرات أو إشعارات بشأن هذه الشهادة، ولا بشأن أي شهادة أخرى من هذا المرسل. تبقى شهادتك ملكًا لك.
unsubscribe-button = إيقاف التذكيرات
unsubscribed-heading = لن تصلك تذكيرات بعد الآن
unsubscribed-text = تم: لن تُرسل بعد الآن أي تذكيرات أو إشعارات إلى هذا العنوان.

## The default email

email-subject = شهادتك: { $certificate }
email-hello = مرحبًا { $name }،
email-congratulations = تهانينا! أصدرت { $issuer } شهادتك في «{ $certificate }».
email-congratulations-plain = تهانينا! إليك شهادتك في «{ $certificate }».
email-get-it = استلم شهادتك من هنا:
email-explain-text = يمكنك في تلك الصفحة تنزيلها بصيغة PDF أو كصورة، ومشاركتها، وإضافتها إلى ملفك الشخصي على LinkedIn. لفتحها، سيُطلب منك عنوان البريد الإلكتروني الذي أُرسلت إليه هذه الرسالة.
email-signature-plain = فريق التنظيم
email-why = تصلك هذه الرسالة لأنك شاركت في «{ $certificate }».
email-preheader = شهادتك في { $certificate } جاهزة.
email-eyebrow-plain = شهادة
email-heading = تهانينا يا { $name }!
email-ready = شهادتك في { $certificate } جاهزة.
email-button = استلم الشهادة
email-explain-html = يمكنك في صفحة الشهادة تنزيلها بصيغة PDF أو كصورة، ومشاركتها، وإضافتها إلى ملفك الشخصي على LinkedIn. سيُطلب منك عنوان البريد الإلكتروني الذي أُرسلت إليه هذه الرسالة.
email-fallback = إذا لم يعمل الزر، فانسخ هذا العنوان والصقه في متصفحك:
email-footer = أرسلت { $issuer } هذه الرسالة إلى { $email } لأن شهادة في { $certificate } صدرت باسمك. الرابط شخصي: يُرجى عدم إعادة توجيه هذه الرسالة. إذا كنت تعتقد أنها وصلتك عن طريق الخطأ، فردّ عليها وأخبرنا.
email-footer-plain = أرسل منظّمو { $certificate } هذه الرسالة إلى { $email } لأن شهادة في { $certificate } صدرت باسمك. الرابط شخصي: يُرجى عدم إعادة توجيه هذه الرسالة. إذا كنت تعتقد أنها وصلتك عن طريق الخطأ، فردّ عليها وأخبرنا.
email-text-link = استلم شهادتك:

## Reminders (`certstat remind`)

reminder-subject = تذكير: شهادتك في { $certificate } بانتظارك
reminder-heading = شهادتك بانتظارك يا { $name }
reminder-waiting = نذكّرك بأن شهادتك في «{ $certificate }» الصادرة عن { $issuer } بانتظارك.
reminder-waiting-plain = نذكّرك بأن شهادتك في «{ $certificate }» بانتظارك.
reminder-get-it = استلمها من هنا:
reminder-explain = لفتحها، سيُطلب منك عنوان البريد الإلكتروني الذي أُرسلت إليه هذه الرسالة.
reminder-why = يصلك هذا التذكير لأنك شاركت في «{ $certificate }».
reminder-stop = لإيقاف التذكيرات:

## Expiry notices (`certstat remind --expiring`)

expiry-subject = تنتهي صلاحية شهادتك في { $certificate } بتاريخ { $date }
expiry-heading = تنتهي صلاحية شهادتك بتاريخ { $date }
expiry-expires = تنتهي صلاحية شهادتك في «{ $certificate }» الصادرة عن { $issuer } بتاريخ { $date }.
expiry-expires-plain = تنتهي صلاحية شهادتك في «{ $certificate }» بتاريخ { $date }.
expiry-days-left = { $days ->
        [0] أي اليوم.
        [1] أي غدًا.
        [two] أي بعد يومين.
        [few] أي بعد { $days } أيام.
        [many] أي بعد { $days } يومًا.
       *[other] أي بعد { $days } يوم.
    }
expiry-renew = لتجديدها:
expiry-renew-button = جدّد شهادتي
expiry-stays = تبقى شهادتك هنا حتى ذلك الحين:
expiry-stop = لإيقاف التذكيرات والإشعارات:

## The lost-link email (`certstat serve`'s "Lost your link?")

lost-email-subject = رابطك: { $certificate }
lost-email-heading = رابط شهادتك
lost-email-asked = طلبتَ رابط شهادتك في «{ $certificate }» الصادرة عن { $issuer }. إليك الرابط:
lost-email-asked-plain = طلبتَ رابط شهادتك في «{ $certificate }». إليك الرابط:
lost-email-ignore = إذا لم تطلبه، فيمكنك تجاهل هذه الرسالة.

## The certificate (the default design)

cert-title = شهادة
cert-certifies = نشهد بأنّ
cert-awarded = قد حصل على
cert-date-label = تاريخ الإصدار
cert-issuer-label = الجهة المُصدِرة
cert-credential-id = مُعرّف الاعتماد { $id }
cert-credential-label = مُعرّف الاعتماد
cert-revoked-stamp = ملغاة
cert-pdf-title = { $certificate }: { $name }

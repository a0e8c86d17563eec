//! Provider webhook payloads (SendGrid, SES via SNS, Postmark, Mailgun).

/**
 * ward-mail: notifications by email over SMTP, through Jakarta Mail (Eclipse Angus Mail).
 *
 * <p>{@link io.github.wardops.ward.mail.MailNotifier} sends each notification as one UTF-8 text
 * mail, with the subject and body of ward-core's {@link io.github.wardops.ward.notify.MessageTemplate}.
 */
module io.github.wardops.ward.mail {
    requires transitive io.github.wardops.ward;
    requires jakarta.mail;

    exports io.github.wardops.ward.mail;
}

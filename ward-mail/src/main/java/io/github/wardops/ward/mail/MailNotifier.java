package io.github.wardops.ward.mail;

import io.github.wardops.ward.WardException;
import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import io.github.wardops.ward.notify.MessageTemplate;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLException;

/**
 * Sends each notification as one plain-text mail (UTF-8) over SMTP: the subject is the
 * {@linkplain MailOptions#subjectPrefix() prefix} and the template's title, the body its text.
 * One SMTP connection per notification, bounded by the options' connect, read and write timeouts.
 * STARTTLS, when chosen, is required; certificates and the server's host name are verified.
 *
 * <p>A failure throws a {@link WardException} naming the receiver, the server and what went
 * wrong (a refused login, a failed TLS handshake, a refused recipient), never the password, so
 * the delivery retries it and counts it. Thread-safe: {@link #send} may be called from several
 * threads (ward calls it from one).
 */
public final class MailNotifier implements Notifier {
    private final MailOptions options;
    private final Session session;
    private final InternetAddress from;
    private final Address[] to;

    /**
     * Creates the notifier. It connects only when it sends.
     *
     * @param options the options; never {@code null}
     */
    public MailNotifier(MailOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.session = Session.getInstance(properties(options));
        try {
            this.from = new InternetAddress(options.from(), true);
            this.to = new Address[options.to().size()];
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(options.to().get(i), true);
            }
        } catch (MessagingException e) {
            throw new WardException("invalid address (MailOptions validates them): " + e.getMessage());
        }
    }

    /**
     * A notifier for these options.
     *
     * @param options the options; never {@code null}
     * @return the notifier
     */
    public static MailNotifier of(MailOptions options) {
        return new MailNotifier(options);
    }

    static Properties properties(MailOptions o) {
        Properties p = new Properties();
        p.put("mail.smtp.host", o.host());
        p.put("mail.smtp.port", Integer.toString(o.port()));
        p.put("mail.smtp.connectiontimeout", Long.toString(o.connectTimeout().toMillis()));
        p.put("mail.smtp.timeout", Long.toString(o.readTimeout().toMillis()));
        p.put("mail.smtp.writetimeout", Long.toString(o.writeTimeout().toMillis()));
        p.put("mail.smtp.auth", Boolean.toString(o.username() != null));
        p.put("mail.smtp.quitwait", "false");
        switch (o.security()) {
            case NONE -> p.put("mail.smtp.starttls.enable", "false");
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case TLS -> p.put("mail.smtp.ssl.enable", "true");
        }
        if (o.security() != MailOptions.Security.NONE) {
            p.put("mail.smtp.ssl.checkserveridentity", "true");
            if (o.sslContext() != null) {
                p.put("mail.smtp.ssl.socketFactory", o.sslContext().getSocketFactory());
            }
        }
        return p;
    }

    @Override
    public String name() {
        return options.name();
    }

    /**
     * The options.
     *
     * @return the options
     */
    public MailOptions options() {
        return options;
    }

    @Override
    public void send(Notification notification) {
        MessageTemplate.Message m = options.template().render(notification);
        String where = options.name() + ": SMTP server " + options.host() + ":" + options.port();
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(from);
            mail.setRecipients(Message.RecipientType.TO, to);
            mail.setSubject(oneLine(options.subjectPrefix() + m.title()), "UTF-8");
            mail.setText(m.text(MessageTemplate.Format.PLAIN) + "\n", "UTF-8");
            mail.setSentDate(Date.from(notification.at()));
            // RFC 3834: no auto-replies (vacation notices) to machine-made mail
            mail.setHeader("Auto-Submitted", "auto-generated");
            try (Transport t = session.getTransport("smtp")) {
                if (options.username() != null) {
                    t.connect(options.host(), options.port(), options.username(), options.password().reveal());
                } else {
                    t.connect();
                }
                t.sendMessage(mail, to);
            }
        } catch (AuthenticationFailedException e) {
            throw new WardException(where + " refused the login of user '" + options.username()
                    + "' (wrong user name or password?)");
        } catch (SendFailedException e) {
            throw new WardException(where + " refused the mail: " + scrub(summary(e)));
        } catch (MessagingException e) {
            if (hasCause(e, SSLException.class)) {
                throw new WardException(where + ": the TLS handshake failed (an untrusted certificate, or one that does "
                        + "not name " + options.host() + "?): " + scrub(summary(e)));
            }
            throw new WardException(where + ": " + scrub(summary(e)));
        }
    }

    /** The exception's message and its causes' types and messages, on one line. */
    private static String summary(Throwable e) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (Throwable t = e; t != null && depth < 4; t = t.getCause(), depth++) {
            if (depth > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                sb.append(": ").append(t.getMessage());
            }
        }
        return oneLine(sb.length() > 600 ? sb.substring(0, 600) + "..." : sb.toString());
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Removes the password (as text and as the AUTH commands carry it) from a message, should a server echo it. */
    private String scrub(String s) {
        if (options.password() == null) {
            return s;
        }
        String pass = options.password().reveal();
        String out = s.replace(pass, "***");
        for (String encoded : List.of(b64(pass), b64("\0" + options.username() + "\0" + pass))) {
            out = out.replace(encoded, "***");
        }
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t\\p{Cntrl}]+", " ");
    }

    @Override
    public String toString() {
        return "MailNotifier[" + options.name() + ", " + options.security().name().toLowerCase(Locale.ROOT) + " "
                + options.host() + ":" + options.port() + "]";
    }
}

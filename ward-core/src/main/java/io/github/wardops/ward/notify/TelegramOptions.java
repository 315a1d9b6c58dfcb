package io.github.wardops.ward.notify;

import io.github.wardops.ward.InvalidConfigurationException;
import io.github.wardops.ward.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A Telegram bot's settings (see {@link Receivers#telegram}): messages are sent with the Bot API's
 * {@code sendMessage} to one chat. The bot token is a {@link Secret}, and it is part of the request
 * path ({@code <api-base>/bot<token>/sendMessage}), so neither {@link #toString()}, the notifier's
 * messages nor the validation's problems show the token or the URL. Immutable and thread-safe.
 *
 * @param name the receiver's name, for meters and logs (1-64 letters, digits, {@code _.-}); default {@code telegram}
 * @param apiBase the Bot API's base URL; default {@value #DEFAULT_API_BASE} (a local Bot API server, or a test's)
 * @param token the bot's token (such as {@code 123456:ABC-DEF...}: digits, {@code :}, then letters, digits,
 *     {@code _} or {@code -}); never {@code null}
 * @param chatId the chat: a number (negative for groups and channels) or a channel's {@code @username}
 * @param timeout each request's timeout (connect and answer), 1 ms-5 min; default 10 s
 * @param maxRetryAfter when Telegram answers 429 with {@code retry_after}, the notifier waits that
 *     long but at most this (0-5 min; default 30 s) before it fails, so that the delivery's retry
 *     comes after Telegram's limit
 * @param template the message template; never {@code null}
 */
public record TelegramOptions(String name, URI apiBase, Secret token, String chatId, Duration timeout,
                              Duration maxRetryAfter, MessageTemplate template) {
    /** Telegram's Bot API. */
    public static final String DEFAULT_API_BASE = "https://api.telegram.org";
    /** The default request timeout: 10 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** The default {@code maxRetryAfter}: 30 s. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(30);
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");
    private static final Pattern CHAT = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,63}");

    /**
     * Validates every setting at once.
     *
     * @throws InvalidConfigurationException listing every invalid setting
     */
    public TelegramOptions {
        List<String> p = new ArrayList<>();
        Checks.name(name, p);
        Checks.plainUrl("api-base", apiBase, p);
        if (token == null || token.isEmpty()) {
            p.add("token: must be set");
        } else if (!TOKEN.matcher(token.reveal()).matches()) {
            p.add("token: must look like 123456:ABC-DEF (digits, ':', then letters, digits, '_' or '-'); "
                    + "the value is not shown");
        }
        if (chatId == null || chatId.isBlank()) {
            p.add("chat-id: must not be empty");
        } else if (!CHAT.matcher(chatId).matches()) {
            p.add("chat-id = " + (chatId.length() > 70 ? chatId.substring(0, 70) + "..." : chatId)
                    + ": must be a number (such as -1001234567890) or a channel's @username");
        }
        Checks.timeout("timeout", timeout, p);
        if (maxRetryAfter == null || maxRetryAfter.isNegative() || maxRetryAfter.compareTo(Checks.MAX_TIMEOUT) > 0) {
            p.add("max-retry-after = " + maxRetryAfter + ": must be 0-5 min");
        }
        if (template == null) {
            p.add("template: must not be null");
        }
        if (!p.isEmpty()) {
            throw new InvalidConfigurationException("TelegramOptions", p);
        }
    }

    /**
     * The defaults: name {@code telegram}, {@value #DEFAULT_API_BASE}, 10 s timeout, 30 s
     * {@code maxRetryAfter}, {@link MessageTemplate#defaults()}.
     *
     * @param token the bot's token
     * @param chatId the chat
     * @return the options
     * @throws InvalidConfigurationException if the token or the chat is not valid
     */
    public static TelegramOptions of(Secret token, String chatId) {
        return new TelegramOptions("telegram", URI.create(DEFAULT_API_BASE), token, chatId, DEFAULT_TIMEOUT,
                DEFAULT_MAX_RETRY_AFTER, MessageTemplate.defaults());
    }

    /**
     * A copy with another name.
     *
     * @param newName the name
     * @return the options
     */
    public TelegramOptions withName(String newName) {
        return new TelegramOptions(newName, apiBase, token, chatId, timeout, maxRetryAfter, template);
    }

    /**
     * A copy with another Bot API base URL.
     *
     * @param newApiBase the URL
     * @return the options
     */
    public TelegramOptions withApiBase(URI newApiBase) {
        return new TelegramOptions(name, newApiBase, token, chatId, timeout, maxRetryAfter, template);
    }

    /**
     * A copy with another timeout.
     *
     * @param newTimeout the timeout
     * @return the options
     */
    public TelegramOptions withTimeout(Duration newTimeout) {
        return new TelegramOptions(name, apiBase, token, chatId, newTimeout, maxRetryAfter, template);
    }

    /**
     * A copy with another bound on the wait for {@code retry_after}.
     *
     * @param newMaxRetryAfter the bound
     * @return the options
     */
    public TelegramOptions withMaxRetryAfter(Duration newMaxRetryAfter) {
        return new TelegramOptions(name, apiBase, token, chatId, timeout, newMaxRetryAfter, template);
    }

    /**
     * A copy with another template.
     *
     * @param newTemplate the template
     * @return the options
     */
    public TelegramOptions withTemplate(MessageTemplate newTemplate) {
        return new TelegramOptions(name, apiBase, token, chatId, timeout, maxRetryAfter,
                Objects.requireNonNull(newTemplate, "template"));
    }
}

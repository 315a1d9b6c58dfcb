package io.github.wardops.ward.testing;

import io.github.wardops.ward.alert.Notification;
import io.github.wardops.ward.alert.Notifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every notification it is sent. */
public final class CollectingNotifier implements Notifier {
    public final List<Notification> received = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "collect";
    }

    @Override
    public void send(Notification n) {
        received.add(n);
    }

    public <T extends Notification> List<T> of(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }
}

package io.playconnect.engine;

import io.playconnect.engine.spi.RoomLogic;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** The room kinds an engine serves: those found with {@link ServiceLoader}, plus any added by hand. */
public final class RoomLogics {
    private final Map<String, RoomLogic<?>> byKind;

    private RoomLogics(Map<String, RoomLogic<?>> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /** Every {@link RoomLogic} on the class path. */
    public static RoomLogics discover() {
        return discover(Thread.currentThread().getContextClassLoader());
    }

    @SuppressWarnings("rawtypes")
    public static RoomLogics discover(ClassLoader loader) {
        Map<String, RoomLogic<?>> map = new HashMap<>();
        for (RoomLogic logic : ServiceLoader.load(RoomLogic.class, loader)) {
            map.put(logic.kind(), logic);
        }
        return new RoomLogics(map);
    }

    /** A copy with {@code logic} added, replacing a built-in kind of the same name. */
    public RoomLogics with(RoomLogic<?> logic) {
        Map<String, RoomLogic<?>> map = new HashMap<>(byKind);
        map.put(logic.kind(), logic);
        return new RoomLogics(map);
    }

    /** The logic of a kind, or null. */
    public RoomLogic<?> get(String kind) {
        return byKind.get(kind);
    }

    public Set<String> kinds() {
        return byKind.keySet();
    }
}

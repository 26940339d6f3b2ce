package io.playconnect.server;

import java.util.Objects;

/**
 * Something a client can connect to, as the command prints it on start: {@code http
 * http://127.0.0.1:8080  (health, metrics)}. Every gateway adds its own.
 *
 * @param name short protocol name, such as {@code http}, {@code ws} or {@code mqtt}
 * @param url where to connect, with the port actually bound
 * @param note what is there, and whether a default port had to be replaced; may be empty
 */
public record Listener(String name, String url, String note) {
    public Listener {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        note = note == null ? "" : note;
    }

    /** The line printed on stdout: name padded to four, the URL, then the note in parentheses. */
    public String line() {
        String head = String.format("%-4s  %s", name, url);
        return note.isEmpty() ? head : head + "  (" + note + ")";
    }
}

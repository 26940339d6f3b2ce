package io.playconnect.server;

/**
 * A configuration that cannot start, in one line that names the option to change, such as
 * {@code --http-port 8080 is already in use}. The command prints it and exits with status 2.
 */
public class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.playconnect.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** A listener that counts the errors and closes its clients saw, and keeps the last one for the report. */
abstract class ProblemCounting implements ClientListener {
    private final AtomicLong closes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastProblem = "";

    @Override
    public void onError(int client, String code, String message) {
        errors.incrementAndGet();
        lastProblem = code + ": " + message;
    }

    @Override
    public void onClosed(int client, int code, String reason) {
        closes.incrementAndGet();
        lastProblem = "closed " + code + " " + reason;
    }

    long closes() {
        return closes.get();
    }

    long errors() {
        return errors.get();
    }

    String lastProblem() {
        return lastProblem;
    }
}

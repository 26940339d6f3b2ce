/**
 * A history checker in the manner of Jepsen's: a test records every publish attempt, every
 * acknowledgement and every event each client received ({@link io.playconnect.testkit.history.History}),
 * and {@link io.playconnect.testkit.history.HistoryChecker} judges the whole history afterwards:
 * acknowledged events that were lost, events nobody sent, events applied or delivered twice,
 * events out of order, and acknowledgements that do not match what was stored.
 *
 * <p>Events are identified by room and correlationId, so a client that re-sends after an unknown
 * outcome with the same correlationId (which is how clients retry) is one event, however many
 * attempts it took. Pure Java: this package depends on the JDK only, so any test (in-process or
 * driving other processes) can use it.
 */
package io.playconnect.testkit.history;

package dev.strata.it;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaFuture;

/** Waiting on the AdminClient's futures, with the tests' 30 s bound. */
final class Futures {
    private Futures() {}

    static <T> T get(KafkaFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    /** The exception {@code f} failed with (the test fails if it succeeds). */
    static Throwable failure(KafkaFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS)).getCause();
    }
}

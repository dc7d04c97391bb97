package io.herald.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StagesTest {

    @Test
    void awaitReturnsTheResultOnceTheStageCompletes() {
        CompletableFuture<String> later = new CompletableFuture<>();
        new Thread(() -> later.complete("done")).start();

        assertThat(Stages.await(later)).isEqualTo("done");
    }

    @Test
    void anUncheckedFailureIsThrownAsItWasEvenBehindADependentStage() {
        IllegalStateException failure = new IllegalStateException("refused");
        CompletableFuture<Void> dependent = CompletableFuture.<Void>failedFuture(failure).thenRun(() -> { });

        assertThatThrownBy(() -> Stages.await(dependent)).isSameAs(failure);
    }

    @Test
    void aCheckedFailureStaysWrapped() {
        IOException failure = new IOException("disk");

        assertThatThrownBy(() -> Stages.await(CompletableFuture.failedFuture(failure)))
                .isInstanceOf(CompletionException.class).hasCause(failure);
    }

    @Test
    void causeUnwrapsWhatADependentStageWrapped() {
        IllegalStateException failure = new IllegalStateException("refused");

        assertThat(Stages.cause(new CompletionException(failure))).isSameAs(failure);
        assertThat(Stages.cause(failure)).isSameAs(failure);
        assertThat(Stages.cause(new CompletionException("no cause", null))).isInstanceOf(CompletionException.class);
    }
}

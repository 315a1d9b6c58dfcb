package io.github.wardops.ward.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FatalErrorsTest {
    @Test
    void anErrorExitsWith70AndAnExceptionDoesNot() {
        List<Integer> exits = new ArrayList<>();
        FatalErrors.handle(Thread.currentThread(), new IllegalStateException("x"), exits::add);
        assertEquals(List.of(), exits);
        FatalErrors.handle(Thread.currentThread(), new OutOfMemoryError("x"), exits::add);
        FatalErrors.handle(Thread.currentThread(), new StackOverflowError("x"), exits::add);
        assertEquals(List.of(70, 70), exits);
    }

    @Test
    void failpointSpecsAreParsedLeniently() {
        assertEquals(Map.of("a", "oom", "b", "exception"), Failpoints.parse(" a = OOM ,b=exception,,junk"));
        assertEquals(Map.of(), Failpoints.parse(""));
    }
}

package io.github.wardops.ward.testkit.state;

import io.github.wardops.ward.alert.AlertStore;
import io.github.wardops.ward.state.StateStore;
import org.junit.jupiter.api.Nested;

/** The built-in in-memory stores pass the SPI contracts. */
class InMemoryStoresContractTest {

    @Nested
    class States extends StateStoreContract {
        @Override
        protected StateStore newStore() {
            return StateStore.inMemory();
        }
    }

    @Nested
    class Alerts extends AlertStoreContract {
        @Override
        protected AlertStore newStore() {
            return AlertStore.inMemory(1000);
        }
    }
}

package dev.cxoneroutes.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommonPoolFloorTest {

    @Test
    void gives_the_common_pool_two_threads_below_three_cpus() {
        assertThat(CommonPoolFloor.parallelismFor(1, null)).contains("2");
        assertThat(CommonPoolFloor.parallelismFor(2, null)).contains("2");
    }

    @Test
    void leaves_larger_machines_and_an_explicit_setting_alone() {
        assertThat(CommonPoolFloor.parallelismFor(3, null)).isEmpty();
        assertThat(CommonPoolFloor.parallelismFor(16, null)).isEmpty();
        assertThat(CommonPoolFloor.parallelismFor(2, "1")).isEmpty();
    }
}

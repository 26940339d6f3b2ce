package io.playconnect.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void logFormatIsTextOrJsonInAnyCaseAndNothingElse() {
        assertThat(Main.logFormat(null)).isEqualTo("text");
        assertThat(Main.logFormat(" ")).isEqualTo("text");
        assertThat(Main.logFormat("JSON")).isEqualTo("json");
        assertThat(Main.logFormat(" Text ")).isEqualTo("text");
        assertThat(Main.logFormat("yaml")).isNull();
        assertThat(Main.logFormat("${jndi:x}")).isNull();
    }
}

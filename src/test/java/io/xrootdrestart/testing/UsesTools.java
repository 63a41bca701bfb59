package io.xrootdrestart.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that starts external tools (ansible-inventory, ansible-lint, yamllint, promtool,
 * apt-cache, shellcheck): no lab, but seconds per call. Left out of the fast run ({@code
 * testing/test --fast}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("tools")
public @interface UsesTools {}

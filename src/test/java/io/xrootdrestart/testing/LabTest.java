package io.xrootdrestart.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test on the lab or other real services: root, network namespaces, sshd, real Ansible runs, the
 * real Prometheus binaries or XRootD daemons. Left out of the fast run ({@code testing/test
 * --fast}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("lab")
public @interface LabTest {}

package io.xrootdrestart.ansible;

import io.xrootdrestart.BadInputException;

/** An Ansible command is not installed on this machine. */
public final class ToolNotFoundException extends BadInputException {
  public ToolNotFoundException(String tool, Throwable cause) {
    super(
        tool
            + " not found on PATH: install Ansible (Debian: apt-get install ansible;"
            + " elsewhere: pip install ansible-core)",
        cause);
  }
}

"""The audit log: every privileged action, who did it, to what, when and why."""

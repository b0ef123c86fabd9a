"""A coach on USB: the link (mpremote's serial transport) and the commands that use it."""
